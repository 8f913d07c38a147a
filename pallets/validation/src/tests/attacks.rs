//! Attacks on the challenge phase from `../shared/design/AUDIT.md` (C1, H1). Each test was run
//! first against the code before the fix (main at 55be7d3), where the attack worked; the
//! figures of that run are in the test's comment. The challenge phase of these tasks is 30
//! blocks: challenges in its first third, answers until two thirds, votes in the last third
//! (10 blocks, the mock's unbonding period).
//! Validators 10..=19 of `math` hold 200, 300, ..., 1_100 (6_500 in all).

use super::*;

const LONG: u64 = 30;

fn challenge(id: TaskId, who: AccountId, index: SubmissionIndex) -> DispatchResult {
	Validation::challenge(RuntimeOrigin::signed(who), id, index, bounded(b"claim"), MIN_BOND)
}

fn respond(id: TaskId, node: AccountId, index: SubmissionIndex) -> DispatchResult {
	Validation::respond(
		RuntimeOrigin::signed(node),
		id,
		index,
		H256::repeat_byte(9),
		bounded(b"ipfs://log"),
	)
}

fn outcome(id: TaskId, index: SubmissionIndex) -> Option<ChallengeOutcome> {
	events().into_iter().find_map(|e| match e {
		Event::ChallengeResolved { task, index: i, outcome, .. } if task == id && i == index => {
			Some(outcome)
		}
		_ => None,
	})
}

/// C1. Before: a challenge sent in the block before the deadline could not be answered (the
/// close ran in the next block): the sniper got node 1's vested reward (8_978) and its bond
/// back, node 1 lost 10 % of its bond (1_000 -> 900). Now challenges close two thirds of the
/// phase before its end, so the node always has a third of the phase to answer.
#[test]
fn c1_a_challenge_in_the_last_block_neither_takes_the_reward_nor_slashes() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		let vested = Submissions::<Test>::get(id)[0].vested;
		let deadline = task(id).deadline;
		run_to_block(deadline - 1);
		let (free_a, bond_1) = (free(ANYONE), stake(1));
		let snipe = challenge(id, ANYONE, 0);
		to_deadline(id);
		println!(
			"C1: last-block challenge {snipe:?}: sniper {free_a} -> {}, node 1 bond {bond_1} -> {}, vested {vested} paid to node 1: {}",
			free(ANYONE),
			stake(1),
			paid_to(id, 1, PayRole::Vested)
		);
		assert_eq!(snipe, Err(Error::<Test>::WrongPhase.into()));
		assert_eq!(free(ANYONE), free_a);
		assert_eq!(stake(1), bond_1);
		assert_eq!(paid_to(id, 1, PayRole::Vested), vested);
	});
}

/// C1. Before: a challenge nobody answered was an outright win: the challenger got the vested
/// reward (8_978) and the node was slashed 10 % (1_000 -> 900) without a single vote. Now an
/// unanswered challenge slashes nobody and pays the challenger nothing beyond its bond: the
/// node forfeits the vested reward to the creator's refund.
#[test]
fn c1_an_unanswered_challenge_slashes_nobody_and_pays_the_challenger_nothing() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		let vested = Submissions::<Test>::get(id)[0].vested;
		let (free_a, bond_1) = (free(ANYONE), stake(1));
		assert_ok!(challenge(id, ANYONE, 0));
		let held_before_close = task(id).held;
		to_deadline(id);
		println!(
			"C1: unanswered challenge: challenger {free_a} -> {}, node 1 bond {bond_1} -> {}, outcome {:?}",
			free(ANYONE),
			stake(1),
			outcome(id, 0)
		);
		assert_eq!(outcome(id, 0), Some(ChallengeOutcome::Unanswered));
		assert_eq!(free(ANYONE), free_a, "bond back, no award");
		assert_eq!(stake(1), bond_1, "no slash without a vote");
		assert_eq!(paid_to(id, 1, PayRole::Vested), 0);
		assert_eq!(paid_to(id, ANYONE, PayRole::Challenger), 0);
		// The forfeited reward is in the creator's refund.
		let refunded = events().into_iter().find_map(|e| match e {
			Event::TaskClosed { task, refunded, .. } if task == id => Some(refunded),
			_ => None,
		});
		assert!(refunded.unwrap() >= vested && held_before_close >= vested);
	});
}

/// H1. Before: validator 10 (200 of the domain's 6_500) upheld a challenge alone and node 2
/// lost its vested reward and 10 % of its bond. Now upholding needs a third of the domain's
/// validator stake (and more than the stake rejecting); short of that the challenge is
/// rejected and the bond goes to the node.
#[test]
fn h1_one_small_validator_cannot_uphold_a_challenge() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		let (bond_2, free_31) = (stake(2), free(31));
		assert_ok!(challenge(id, 31, 1));
		assert_ok!(respond(id, 2, 1));
		cast_votes(id, &[(10, 1, true)]);
		to_deadline(id);
		println!(
			"H1: one 200-stake vote: outcome {:?}, node 2 bond {bond_2} -> {}",
			outcome(id, 1),
			stake(2)
		);
		assert_eq!(outcome(id, 1), Some(ChallengeOutcome::Rejected));
		assert_eq!(stake(2), bond_2);
		assert_eq!(free(31), free_31 - MIN_BOND, "the bond went to the node");
	});
}

/// H1. Before: validator 19 voted with 1_100, unbonded 900 of it at once, withdrew it after
/// the unbonding period, and voted again with it from a new validator account 20: the same
/// funds counted twice (uphold 2_100 against reject 1_700) and the challenge was upheld
/// (node 2's bond 1_000 -> 900). Now votes are cast in the last third of the phase, which is
/// at most the unbonding period: funds unbonded after a vote (its stake is read at the sealed
/// commitment) are still unbonding when voting ends, so they cannot be bonded again in time.
#[test]
fn h1_the_same_stake_cannot_vote_twice_across_an_unbond() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		let deadline = task(id).deadline;
		assert_ok!(challenge(id, 31, 1));
		assert_ok!(respond(id, 2, 1));
		// Votes open at the last third.
		assert_noop!(commit_vote(id, 19, 1, true), Error::<Test>::WrongPhase);
		let (commit_at, reveal_at) = vote_windows(id);
		run_to_block(commit_at);
		assert_ok!(commit_vote(id, 19, 1, true)); // 1_100
		let free_19 = free(19);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(19), 900));
		run_to_block(reveal_at);
		assert_ok!(reveal_vote(id, 19, 1, true));
		assert_eq!(Challenges::<Test>::get(id, 1).unwrap().uphold, 1_100);
		run_to_block(deadline - 1);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(19)));
		assert_eq!(free(19), free_19, "the 900 still unbond when voting ends");
		let chunks = pallet_llmnet_staking::Unbonding::<Test>::get(19);
		assert_eq!(chunks.len(), 1);
		assert!(chunks[0].value == 900 && chunks[0].unlock_at >= deadline, "{chunks:?}");
		// A task whose last third outlasts the unbonding period (10 blocks) is refused.
		assert_noop!(
			Validation::create_task(
				RuntimeOrigin::signed(CREATOR),
				MATH,
				TaskKind::Training,
				bounded(b"ipfs://spec"),
				H256::repeat_byte(1),
				H256::repeat_byte(2),
				POOL,
				TaskLengths { challenge: 33, ..lengths(2) }
			),
			Error::<Test>::ChallengeTooLong
		);
	});
}

/// H1 and C1: the windows. A challenge after the first third, an answer after two thirds, a
/// sealed vote before the last third or in its second half, a reveal in its first half fail
/// and change nothing; reveals run to the end.
#[test]
fn challenges_answers_and_votes_have_their_own_windows() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		let deadline = task(id).deadline;
		assert_ok!(challenge(id, 31, 1));
		assert_ok!(challenge(id, 32, 0));
		run_to_block(deadline - 20);
		assert_noop!(challenge(id, 33, 2), Error::<Test>::WrongPhase);
		assert_ok!(respond(id, 2, 1));
		assert_noop!(commit_vote(id, 19, 1, true), Error::<Test>::WrongPhase);
		let (commit_at, reveal_at) = vote_windows(id);
		assert_eq!((commit_at, reveal_at), (deadline - 10, deadline - 5));
		run_to_block(commit_at);
		assert_noop!(respond(id, 1, 0), Error::<Test>::WrongPhase);
		assert_ok!(commit_vote(id, 18, 1, false));
		run_to_block(reveal_at - 1);
		assert_ok!(commit_vote(id, 19, 1, true));
		assert_noop!(reveal_vote(id, 19, 1, true), Error::<Test>::WrongPhase);
		run_to_block(reveal_at);
		assert_noop!(commit_vote(id, 17, 1, true), Error::<Test>::WrongPhase);
		assert_ok!(reveal_vote(id, 18, 1, false));
		run_to_block(deadline - 1);
		assert_ok!(reveal_vote(id, 19, 1, true));
	});
}

/// H1, last-block votes. Before (main at 5366a4f): votes were cast in clear until the phase's
/// last block, so a validator could read the tally (reject 1_000 from validator 18) and
/// outvote it in block `deadline - 1` with 1_100, and nobody could answer (the
/// `challenges_answers_and_votes_have_their_own_windows` test of that commit cast exactly
/// that vote). Now votes are sealed: while votes can be cast nobody's side is visible (the
/// tallies stay at zero, the commitments hide the side), and once sides are revealed no vote
/// can be cast. A vote left sealed counts for neither side, so withholding a reveal only
/// takes the withholder's own stake out of the count.
#[test]
fn h1_no_vote_can_be_cast_after_a_side_is_seen() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		assert_ok!(challenge(id, 31, 1));
		assert_ok!(respond(id, 2, 1));
		let (commit_at, reveal_at) = vote_windows(id);
		run_to_block(commit_at);
		assert_ok!(commit_vote(id, 18, 1, false)); // 1_000
		assert_ok!(commit_vote(id, 16, 1, true)); // 800
		assert_ok!(commit_vote(id, 17, 1, true)); // 900
		run_to_block(reveal_at - 1);
		// The last block of the commit half: nothing to read.
		let c = Challenges::<Test>::get(id, 1).unwrap();
		assert_eq!((c.uphold, c.reject), (0, 0));
		assert!(c.voters.iter().all(|v| v.sealed.is_some() && !v.uphold));
		run_to_block(reveal_at);
		assert_ok!(reveal_vote(id, 18, 1, false));
		// Sides are visible now, and too late to vote: 19's 1_100 cannot join.
		assert_noop!(commit_vote(id, 19, 1, true), Error::<Test>::WrongPhase);
		assert_ok!(reveal_vote(id, 16, 1, true));
		// 17 withholds: its 900 counts for neither side, 800 < 1_000, rejected.
		to_deadline(id);
		assert_eq!(outcome(id, 1), Some(ChallengeOutcome::Rejected));
	});
}

/// M1 (validation). Before: a submission was not an assignment, so node 1 deregistered during
/// the challenge phase, and the upheld challenge that followed found no node to slash (its bond
/// was unbonding; withdrawn after the 10-block period, before the verdict of a longer phase).
/// Now a submission is a live assignment until its task closes: `deregister` is refused, the
/// bond stays bonded and slashable, and the node may leave once the task is closed.
#[test]
fn m1_a_submitter_cannot_leave_before_the_verdict() {
	build_and_execute(|| {
		let id = through_final_with(LONG);
		for n in [1, 2, 3] {
			assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(n).unwrap().live_assignments, 1);
		}
		assert_noop!(
			Staking::deregister(RuntimeOrigin::signed(1)),
			pallet_llmnet_staking::Error::<Test>::HasLiveAssignments
		);
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Closed);
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(1).unwrap().live_assignments, 0);
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(1)));
	});
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// M9, report slots. Before: a commitment cost nothing, so sybil validators took every one of
/// the `MaxReports` slots and never revealed; the round paid nobody (run on 0a2f6c1: validator
/// 12 committed without revealing, its free balance unchanged). Now each commitment holds
/// `ReportBond`: returned at the round's close to a validator that revealed, burned otherwise.
#[test]
fn m9_a_commitment_without_a_reveal_forfeits_its_bond() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 2);
		for n in [1, 2] {
			submit(id, n);
		}
		let (free_11, free_12) = (free(11), free(12));
		commit(id, 11, &[80, 60]);
		commit(id, 12, &[10, 10]);
		assert_eq!(held(HoldReason::ReportBond, 12), REPORT_BOND);
		to_reveal(id);
		reveal(id, 11, &[80, 60]);
		let issuance = Balances::total_issuance();
		to_deadline(id);
		assert_eq!(free(11), free_11 + paid_to(id, 11, PayRole::Validator), "bond back");
		assert_eq!(free(12), free_12 - REPORT_BOND, "bond burned");
		assert_eq!(held(HoldReason::ReportBond, 12), 0);
		assert_eq!(Balances::total_issuance(), issuance - REPORT_BOND);
		assert!(events().contains(&Event::ReportBondForfeited {
			task: id,
			round: 0,
			validator: 12,
			amount: REPORT_BOND
		}));
	});
}

/// M9, submission slots. Before: a submission cost nothing beyond its fee (run on 0a2f6c1:
/// node 1's free balance unchanged by `submit`). Now the first submission holds
/// `SubmissionDeposit` until the task closes, then it comes back.
#[test]
fn m9_a_submission_holds_a_deposit_until_the_task_closes() {
	build_and_execute(|| {
		let before = free(1);
		let id = through_final();
		assert_eq!(held(HoldReason::SubmissionDeposit, 1), SUBMISSION_DEPOSIT);
		assert_eq!(free(1), before - SUBMISSION_DEPOSIT + paid_to(id, 1, PayRole::Node));
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Closed);
		assert_eq!(held(HoldReason::SubmissionDeposit, 1), 0);
		assert_eq!(
			free(1),
			before + paid_to(id, 1, PayRole::Node) + paid_to(id, 1, PayRole::Vested)
		);
	});
}

/// M9, artifacts. Before (run on 0a2f6c1): node 2 submitted node 1's artifact hash and was
/// accepted, and node 1 replaced its artifact after validators had committed scores of it.
/// Now artifact hashes are unique per task, and a replacement waits for a round without
/// commitments.
#[test]
fn m9_artifacts_are_unique_and_frozen_once_scored() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 2);
		submit(id, 1);
		let copy = Validation::submit(
			RuntimeOrigin::signed(2),
			id,
			H256::repeat_byte(1),
			bounded(b"ipfs://copy"),
		);
		assert_noop!(copy, Error::<Test>::DuplicateArtifact);
		// Replacing before any commitment is fine.
		assert_ok!(Validation::submit(
			RuntimeOrigin::signed(1),
			id,
			H256::repeat_byte(0x21),
			bounded(b"ipfs://v2")
		));
		submit(id, 2);
		commit(id, 10, &[80, 60]);
		assert_noop!(
			Validation::submit(
				RuntimeOrigin::signed(1),
				id,
				H256::repeat_byte(0x31),
				bounded(b"ipfs://v3")
			),
			Error::<Test>::ArtifactFrozen
		);
		to_reveal(id);
		reveal(id, 10, &[80, 60]);
		to_deadline(id);
		// The next round, before its commitments: the replacement goes through.
		assert_ok!(Validation::submit(
			RuntimeOrigin::signed(1),
			id,
			H256::repeat_byte(0x31),
			bounded(b"ipfs://v3")
		));
		assert_eq!(held(HoldReason::SubmissionDeposit, 1), SUBMISSION_DEPOSIT, "held once");
	});
}
