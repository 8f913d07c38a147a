//! A training task through all three phases: epoch payouts, final validation with the
//! revealed set, vesting, challenges (unanswered, upheld, rejected), closing and reaping.
//! Attacks on the challenge phase are in `attacks.rs`.

use super::*;

#[test]
fn epochs_pay_by_rank_and_stake_and_validators_by_distance() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 2);
		assert_eq!(task(id).final_pool, 20_000);
		assert_eq!(pool_held(CREATOR), POOL);
		for n in [1, 2, 3] {
			submit(id, n);
		}
		// Validator 12 is far from the others on submission 1.
		round(id, &[(10, &[90, 60, 80]), (11, &[88, 62, 80]), (12, &[90, 10, 80])]);
		let budget = 40_000;
		let p = paid(id);
		let total: Balance = p.iter().map(|x| x.2).sum();
		assert!(total <= budget && total > budget - 10, "epoch budget paid up to dust: {total}");
		// Rank: 1 (90), 3 (80), 2; equal stakes, ratio 1/2: 4 : 1 : 2.
		let (n1, n2, n3) = (
			paid_to(id, 1, PayRole::Node),
			paid_to(id, 2, PayRole::Node),
			paid_to(id, 3, PayRole::Node),
		);
		assert!(n1.abs_diff(2 * n3) <= 2 && n3.abs_diff(2 * n2) <= 2, "{n1} {n3} {n2}");
		// Node part: gamma 0.2 -> 0.1 + 0.8 * 3000 / (3000 + 300 + 400 + 500).
		let s_v = stake(10) + stake(11) + stake(12);
		let want = budget as f64 * (0.1 + 0.8 * 3000.0 / (3000.0 + s_v as f64));
		assert!(((n1 + n2 + n3) as f64 - want).abs() < 5.0, "node part {} vs {want}", n1 + n2 + n3);
		// Validator 12 is further from the aggregate than 11: it earns less per unit of stake
		// (beta = 1, so without distance the reward per stake would be equal).
		let (v11, v12) = (paid_to(id, 11, PayRole::Validator), paid_to(id, 12, PayRole::Validator));
		assert!(
			v11 * stake(12) > v12 * stake(11),
			"closer validator earns more per stake: {v11} vs {v12}"
		);
		let rec = &Rounds::<Test>::get(id)[0];
		assert_eq!((rec.round, rec.reports), (0, 3));
		assert_eq!(rec.to_nodes + rec.to_validators, total);
		let subs = Submissions::<Test>::get(id);
		assert_eq!(subs[0].earned, n1);
		assert!(subs[0].score.unwrap() > subs[2].score.unwrap());
		assert_eq!(task(id).held, POOL - total);
		assert_eq!(pool_held(CREATOR), POOL - total);
	});
}

#[test]
fn a_round_without_reports_pays_nothing_and_carries_the_budget() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 2);
		submit(id, 1);
		to_deadline(id);
		assert!(paid(id).is_empty());
		assert_eq!(task(id).held, POOL);
		// The second epoch gets everything left for epochs.
		round(id, &[(10, &[70])]);
		let total: Balance = paid(id).iter().map(|x| x.2).sum();
		assert!(total > 79_990 && total <= 80_000, "{total}");
	});
}

#[test]
fn full_task_with_challenges_unanswered_upheld_and_rejected() {
	build_and_execute(|| {
		let creator_before = free(CREATOR);
		let id = through_final();
		let subs = Submissions::<Test>::get(id);
		// Final ranking 3 (81), 1 (85.5) ... : node 1 best, then 3, then 2.
		assert!(subs.iter().all(|s| s.final_score.is_some()));
		let vested: Vec<Balance> = subs.iter().map(|s| s.vested).collect();
		assert!(vested[0] > vested[2] && vested[2] > vested[1], "{vested:?}");
		assert!(vested.iter().sum::<Balance>() < 20_000);
		assert!(task(id).held >= vested.iter().sum());

		// Challenge node 3 (index 2): never answered. Node 2 (index 1): answered, upheld.
		// Node 1 (index 0): answered, rejected.
		let bond = 500;
		assert_ok!(Validation::challenge(
			RuntimeOrigin::signed(ANYONE),
			id,
			2,
			bounded(b"stolen"),
			bond
		));
		assert_ok!(Validation::challenge(
			RuntimeOrigin::signed(31),
			id,
			1,
			bounded(b"copied"),
			bond
		));
		assert_ok!(Validation::challenge(
			RuntimeOrigin::signed(32),
			id,
			0,
			bounded(b"spite"),
			bond
		));
		for (node, index) in [(2, 1), (1, 0)] {
			assert_ok!(Validation::respond(
				RuntimeOrigin::signed(node),
				id,
				index,
				H256::repeat_byte(9),
				bounded(b"ipfs://proof")
			));
		}
		// Votes in the last third of the phase. Upheld by 2_800 of the 6_500 validator stake (quorum a third), against 200.
		// Stakes: 19 1_100, 17 900, 16 800, 10 200; 18 1_000, 11 300.
		cast_votes(
			id,
			&[
				(19, 1, true),
				(17, 1, true),
				(16, 1, true),
				(10, 1, false),
				(18, 0, false),
				(11, 0, true),
			],
		);
		let (free_a, free_31, free_32, free_1) = (free(ANYONE), free(31), free(32), free(1));
		let (bond2, bond3) = (stake(2), stake(3));
		to_deadline(id);
		let t = task(id);
		assert_eq!(t.phase, TaskPhase::Closed);
		assert_eq!(t.held, 0);
		// Unanswered: the challenger gets its bond back and nothing else, node 3 keeps its
		// bond and forfeits its vested reward to the creator's refund.
		assert_eq!(free(ANYONE), free_a + bond);
		assert_eq!(stake(3), bond3);
		assert_eq!(paid_to(id, 3, PayRole::Vested), 0);
		// Upheld: the challenger gets node 2's vested reward and its bond back; node 2 is
		// slashed 10 %.
		assert_eq!(free(31), free_31 + bond + vested[1]);
		assert_eq!(stake(2), bond2 - bond2 / 10);
		// Rejected: node 1 gets the bond and its vested reward.
		assert_eq!(free(32), free_32);
		assert_eq!(paid_to(id, 1, PayRole::Vested), vested[0]);
		assert!(free(1) > free_1 + bond);
		let outcomes: Vec<(SubmissionIndex, ChallengeOutcome)> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::ChallengeResolved { index, outcome, .. } => Some((index, outcome)),
				_ => None,
			})
			.collect();
		assert_eq!(
			outcomes,
			vec![
				(0, ChallengeOutcome::Rejected),
				(1, ChallengeOutcome::Upheld),
				(2, ChallengeOutcome::Unanswered)
			]
		);
		// Money: the creator paid exactly what was paid out; dust and unpaid came back.
		let paid_total: Balance = paid(id).iter().map(|x| x.2).sum();
		assert_eq!(t.paid, paid_total);
		assert!(paid_total <= POOL);
		assert_eq!(free(CREATOR), creator_before - DEPOSIT - paid_total);
		let closed = events().into_iter().any(|e| {
			matches!(e, Event::TaskClosed { task, paid, refunded } if task == id && paid == paid_total && refunded == POOL - paid_total)
		});
		assert!(closed);
		// Reap: the deposit comes back, the record goes.
		assert_ok!(Validation::reap(RuntimeOrigin::signed(ANYONE), id));
		assert_eq!(free(CREATOR), creator_before - paid_total);
		assert!(Tasks::<Test>::get(id).is_none() && Submissions::<Test>::get(id).is_empty());
	});
}

#[test]
fn unrevealed_final_set_pays_the_vested_part_by_the_last_epoch() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 1);
		submit(id, 1);
		submit(id, 2);
		round(id, &[(10, &[40, 90])]);
		assert_eq!(task(id).phase, TaskPhase::FinalValidation);
		// Without the set nobody may commit; the round ends with no reports.
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(10), id, H256::zero()),
			Error::<Test>::EvalSetNotRevealed
		);
		to_deadline(id);
		let subs = Submissions::<Test>::get(id);
		assert!(subs[1].vested > subs[0].vested && subs[0].final_score.is_none());
		let vested = subs[0].vested + subs[1].vested;
		assert!(vested > 19_990 && vested <= 20_000, "all of the final pool to nodes: {vested}");
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Closed);
		assert_eq!(paid_to(id, 2, PayRole::Vested), subs[1].vested);
	});
}

#[test]
fn resubmission_replaces_the_artifact_and_keeps_the_index() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 1);
		submit(id, 1);
		assert_ok!(Validation::submit(
			RuntimeOrigin::signed(1),
			id,
			H256::repeat_byte(0xee),
			bounded(b"v2")
		));
		let subs = Submissions::<Test>::get(id);
		assert_eq!(subs.len(), 1);
		assert_eq!(
			(subs[0].artifact, subs[0].uri.to_vec()),
			(H256::repeat_byte(0xee), b"v2".to_vec())
		);
	});
}

#[test]
fn schedule_spills_over_and_advance_runs_a_late_transition() {
	build_and_execute(|| {
		MaxDue::set(1);
		let a = create(TaskKind::Evaluation, MIN_POOL, 1);
		let b = create(TaskKind::Evaluation, MIN_POOL, 1);
		assert_eq!(task(a).deadline, 3);
		assert_eq!(task(b).deadline, 4, "full block: next one");
		assert_noop!(
			Validation::advance(RuntimeOrigin::signed(ANYONE), b),
			Error::<Test>::DeadlineNotReached
		);
		run_to_block(3);
		assert_eq!(task(a).phase, TaskPhase::Closed);
		assert_eq!(task(b).phase, TaskPhase::Submission { epoch: 0 });
		// Skip the hook: `advance` closes it at its deadline.
		System::set_block_number(4);
		assert_ok!(Validation::advance(RuntimeOrigin::signed(ANYONE), b));
		assert_eq!(task(b).phase, TaskPhase::Closed);
		assert!(Schedule::<Test>::get(4).is_empty());
		MaxDue::set(4);
	});
}

/// Release and reward are one step: a payment to an account that cannot be rewarded (not a
/// registered node) moves nothing and the pool keeps the amount. Before the fix the amount left
/// the pool for the creator's free balance and `held` fell, though nothing was paid.
#[test]
fn a_payment_that_fails_leaves_the_pool_as_it_was() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, POOL, 2);
		let mut t = task(id);
		let free_before = free(CREATOR);
		assert_eq!(Validation::pay(id, &mut t, &999, 1_000, PayRole::Node), 0);
		assert_eq!((t.held, t.paid), (POOL, 0));
		assert_eq!(pool_held(CREATOR), POOL);
		assert_eq!(free(CREATOR), free_before);
	});
}
