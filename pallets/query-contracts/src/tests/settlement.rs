//! Consensus, payouts, reputation updates, refunds, pruning, validation.

use super::*;
use crate::{runtime_api::Action, Error};
use pallet_llmnet_reputation::{Reputation as _, ReputationKind};
use PairOutcome::*;

type Rep = pallet_llmnet_reputation::Pallet<Test>;

/// The thirty-five-judges shape in small: candidate 0 ("42", correct) held by 2, candidate 1
/// ("41") by 3 (the majority), candidate 2 ("40") by 1. Everyone who can prefers 42.
fn run_swarm(aggregation: Aggregation, payout: AnswerPayout) -> QueryId {
	let id = create(QueryParams { aggregation, answer_payout: payout, ..swarm(6) }, 10_000);
	select(id, &[2, 3, 4, 5, 6, 7]);
	answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"41"), (5, b"42"), (6, b"41"), (7, b"40")]);
	assert_eq!(phase(id), Phase::Judging);
	// Holders of 42 compare 41 with 40; the others prefer 42 whenever it is in the pair.
	judge(id, 2, vec![cmp(1, 2, A)]);
	judge(id, 5, vec![cmp(1, 2, Tie)]);
	for who in [3, 4, 6] {
		judge(id, who, vec![cmp(0, 2, A)]);
	}
	judge(id, 7, vec![cmp(0, 1, A)]);
	past_judging(id);
	id
}

#[test]
fn swarm_settles_by_bradley_terry_against_the_majority() {
	ExtBuilder::default().build_and_execute(|| {
		let before = free(REQUESTER);
		let id = run_swarm(Aggregation::BradleyTerry, AnswerPayout::Proportional);
		let q = query(id);
		assert_eq!(q.phase, Phase::Settled);
		let c = q.consensus.clone().unwrap();
		assert_eq!((c.candidate, c.answer.to_vec(), c.majority), (0, b"42".to_vec(), 1));
		assert!(c.iterations > 0 && c.iterations <= 32);
		assert!(c.scores[0] > c.scores[1] && c.scores[0] > c.scores[2]);
		// Money: everything paid went out of the released budget; the rest came back.
		let paid: Balance = paid_events(id).iter().map(|p| p.2).sum();
		assert!(paid <= 10_000);
		assert_eq!(free(REQUESTER), before - DEPOSIT - paid);
		assert_eq!(escrow(REQUESTER), 0);
		System::assert_has_event(RuntimeEvent::QueryContracts(Event::QuerySettled {
			query: id,
			paid,
			refunded: 10_000 - paid,
			transcript: q.transcript,
		}));
		// Coordinator: 5 %.
		assert!(paid_events(id).contains(&(COORD, PayRole::Coordinator, 500)));
		// Holders of 42 earn more than holders of 41.
		let answer_of = |w: AccountId| {
			paid_events(id)
				.iter()
				.find(|p| p.0 == w && p.1 == PayRole::Answer)
				.map(|p| p.2)
				.unwrap()
		};
		assert!(answer_of(2) > answer_of(3));
		assert_eq!(answer_of(2), answer_of(5));
		// No validators: their share is refunded.
		assert!(!paid_events(id).iter().any(|p| p.1 == PayRole::Validator));
		// Reputation: the 42 holders' Answer score rose to the max observation.
		let rep = |w, k| Rep::reputation(&w, MATH, k);
		assert!(rep(2, ReputationKind::Answer) > rep(3, ReputationKind::Answer));
		assert_eq!(Rep::observations(&2, MATH, ReputationKind::Answer), 1);
		// Judges that agreed with the consensus: judgement observation 1.
		assert_eq!(rep(3, ReputationKind::Judgement), Perbill::from_percent(60));
		// Pruned, indexes cleared, assignments closed.
		assert!(Responses::<Test>::iter_prefix(id).next().is_none());
		assert!(Candidates::<Test>::get(id).is_empty());
		assert!(Work::<Test>::iter().next().is_none());
		for w in [2, 3, 4, 5, 6, 7, COORD] {
			assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(w).unwrap().live_assignments, 0);
			assert!(QueryContracts::pending_work(w).is_empty());
		}
		let view = QueryContracts::query_view(id).unwrap();
		assert_eq!(view.consensus.unwrap().answer, b"42".to_vec());
		// The settled record keeps what a reader needs until `reap` (before spec 7 the view
		// showed no candidates and every respondent without an answer here).
		assert_eq!(view.candidates, vec![b"42".to_vec(), b"41".to_vec(), b"40".to_vec()]);
		let respondents: Vec<_> = view
			.respondents
			.iter()
			.map(|r| (r.account, r.candidate, r.answer.clone().unwrap_or_default(), r.committed))
			.collect();
		assert_eq!(
			respondents,
			[(2, 0, "42"), (3, 1, "41"), (4, 1, "41"), (5, 0, "42"), (6, 1, "41"), (7, 2, "40")]
				.map(|(w, c, a)| (w, Some(c), a.as_bytes().to_vec(), true))
		);
		assert!(view.respondents.iter().all(|r| r.judged && !r.missed));
		let payouts: Vec<_> = view.payouts.iter().map(|p| (p.who, p.role, p.amount)).collect();
		assert_eq!(payouts, paid_events(id));
		assert!(Outcomes::<Test>::contains_key(id));
	});
}

#[test]
fn a_settled_query_keeps_its_outcome_until_reaped() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		select(id, &[2, 3]);
		// Respondent 3's answer is longer than what a settled query keeps of a candidate (8
		// bytes in the mock, 256 in the runtime).
		let long = vec![b'x'; 20];
		answer_all(id, &[(2, b"42"), (3, &long)]);
		// With two candidates a respondent's only verdicts are concessions (against its own).
		judge(id, 2, vec![cmp(0, 1, B)]);
		judge(id, 3, vec![cmp(0, 1, A)]);
		past_judging(id);
		assert_eq!(phase(id), Phase::Settled);
		let o = Outcomes::<Test>::get(id).unwrap();
		assert_eq!(o.candidates[0].to_vec(), b"42".to_vec());
		assert_eq!(o.candidates[1].to_vec(), vec![b'x'; 8], "cut to KeptAnswerLen");
		assert_eq!(
			o.respondents.to_vec(),
			vec![
				RespondentRecord {
					candidate: Some(0),
					committed: true,
					judged: true,
					missed: false
				},
				RespondentRecord {
					candidate: Some(1),
					committed: true,
					judged: true,
					missed: false
				},
			]
		);
		let encoded = codec::Encode::encode(&o).len();
		assert!(encoded < 1_024, "a small settled query keeps {encoded} bytes");
		assert_ok!(QueryContracts::reap(RuntimeOrigin::signed(REQUESTER), id));
		assert!(!Outcomes::<Test>::contains_key(id));
		assert!(QueryContracts::query_view(id).is_none());
	});
}

#[test]
fn an_expired_query_keeps_no_outcome() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		run_to_block(11);
		assert_eq!(phase(id), Phase::Expired);
		assert!(!Outcomes::<Test>::contains_key(id));
		assert!(QueryContracts::query_view(id).unwrap().payouts.is_empty());
	});
}

#[test]
fn majority_vote_baseline_picks_the_popular_answer_on_the_same_data() {
	ExtBuilder::default().build_and_execute(|| {
		let id = run_swarm(Aggregation::MajorityVote, AnswerPayout::Proportional);
		let c = query(id).consensus.unwrap();
		assert_eq!((c.candidate, c.majority, c.iterations), (1, 1, 0));
		assert_eq!(c.answer.to_vec(), b"41".to_vec());
		assert_eq!(
			c.scores.to_vec(),
			vec![
				Perbill::from_rational(2u32, 6),
				Perbill::from_rational(3u32, 6),
				Perbill::from_rational(1u32, 6)
			]
		);
	});
}

#[test]
fn geometric_rank_payout_halves_per_rank() {
	ExtBuilder::default().build_and_execute(|| {
		let id = run_swarm(Aggregation::BradleyTerry, AnswerPayout::GeometricRank);
		let answers: Vec<(AccountId, Balance)> = paid_events(id)
			.into_iter()
			.filter(|p| p.1 == PayRole::Answer)
			.map(|p| (p.0, p.2))
			.collect();
		let get = |w| answers.iter().find(|p| p.0 == w).unwrap().1;
		// Pool 7000; weights 1, 1/2, 1/4 over 7/4: 4000, 2000, 1000 split by holders (floors).
		assert!((1_999..=2_000).contains(&get(2)), "{}", get(2));
		assert_eq!(get(2), get(5));
		// Second place: 41 (two A verdicts vs one for 40) or 40; check the sum instead.
		let total: Balance = answers.iter().map(|p| p.1).sum();
		assert!((6_990..=7_000).contains(&total), "{total}");
	});
}

#[test]
fn all_agree_judges_only_by_feedback() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(QueryParams { extra_judges: 2, ..swarm(2) }, 1_000);
		select(id, &[2, 3]);
		// "42" and " 42." are one candidate.
		answer_all(id, &[(2, b"42"), (3, b" 42.")]);
		assert_eq!(Candidates::<Test>::get(id).to_vec(), vec![bounded::<ConstU32<32>>(b"42")]);
		// Unanimous: a judging phase for the respondents' feedback only, no extra judges.
		assert_eq!((phase(id), query(id).expected), (Phase::Judging, 2));
		assert!(ExtraJudges::<Test>::get(id).is_empty());
		assert!(QueryContracts::pending_work(4).is_empty());
		assert_noop!(
			QueryContracts::commit_judgement(RuntimeOrigin::signed(4), id, H256::zero()),
			crate::Error::<Test>::CannotJudge
		);
		for (who, peer) in [(2, 3), (3, 2)] {
			let fb = vec![PeerFeedback { to: peer, text: bounded(b"agreed, and right") }];
			judge_with(id, who, Vec::new(), fb);
		}
		next_block();
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert_eq!(pallet_llmnet_reputation::Feedback::<Test>::get(3).len(), 1);
		next_block();
		let q = query(id);
		assert_eq!(q.phase, Phase::Settled);
		let c = q.consensus.unwrap();
		assert_eq!((c.candidate, c.iterations), (0, 0));
		assert_eq!(c.scores.to_vec(), vec![Perbill::one()]);
		// Both hold the winner: each gets half of the answers' share.
		assert!(paid_events(id).contains(&(2, PayRole::Answer, 350)));
		assert!(paid_events(id).contains(&(3, PayRole::Answer, 350)));
		assert_eq!(Rep::reputation(&2, MATH, ReputationKind::Answer), Perbill::from_percent(60));
	});
}

/// A Single query by validator 22, so that 20 and 21 are the two validators drawn.
fn validated(threshold: u8, scores: &[(AccountId, u8)]) -> QueryId {
	let id = NextQueryId::<Test>::get();
	assert_ok!(QueryContracts::create_query(
		RuntimeOrigin::signed(22),
		MATH,
		bounded(b"q"),
		QueryParams {
			mode: Mode::Single,
			respondents: 1,
			validators: 2,
			quality_threshold: percent(threshold),
			..swarm(1)
		},
		1_000,
	));
	select(id, &[2]);
	answer_all(id, &[(2, b"42")]);
	assert_eq!(phase(id), Phase::Validating);
	let mut drawn = DrawnValidators::<Test>::get(id).to_vec();
	drawn.sort();
	assert_eq!(drawn, vec![20, 21]);
	for (v, s) in scores {
		assert_eq!(QueryContracts::pending_work(*v)[0].action, Action::Validate);
		score(id, *v, percent(*s));
		assert!(QueryContracts::pending_work(*v).is_empty());
	}
	if !scores.is_empty() {
		// Sealed: nobody's score is visible until every drawn validator has committed.
		assert!(Validations::<Test>::get(id).is_empty());
		while phase(id) == Phase::Validating {
			next_block();
		}
		assert_eq!(phase(id), Phase::RevealingValidations);
		next_block();
	}
	id
}

#[test]
fn validators_score_and_the_threshold_gates_the_answer_share() {
	ExtBuilder::default().build_and_execute(|| {
		// Stakes 200 and 400: (200 * 90 + 400 * 60) / 600 = 70.
		let id = validated(70, &[(20, 90), (21, 60)]);
		let q = query(id);
		assert_eq!(q.phase, Phase::Settled);
		assert_eq!(q.consensus.unwrap().quality, Some(percent(70)));
		let paid = paid_events(id);
		assert!(paid.contains(&(20, PayRole::Validator, 50)));
		assert!(paid.contains(&(21, PayRole::Validator, 50)));
		assert!(paid.contains(&(2, PayRole::Answer, 700)));
		// Single mode: the Answer reputation follows the quality.
		assert_eq!(Rep::reputation(&2, MATH, ReputationKind::Answer), Perbill::from_percent(54));

		let id = validated(71, &[(20, 90), (21, 60)]);
		assert!(!paid_events(id).iter().any(|p| p.1 == PayRole::Answer), "below the threshold");
	});
}

#[test]
fn validate_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(
			QueryParams { mode: Mode::Single, respondents: 1, validators: 1, ..swarm(1) },
			1_000,
		);
		let commit = |who: AccountId, c: H256| {
			QueryContracts::commit_validation(RuntimeOrigin::signed(who), id, c)
		};
		let reveal = |who: AccountId, p: u8| {
			QueryContracts::validate(
				RuntimeOrigin::signed(who),
				id,
				percent(p),
				bounded(b"ok"),
				salt(who),
			)
		};
		assert_noop!(commit(20, H256::zero()), Error::<Test>::WrongPhase);
		select(id, &[2]);
		answer_all(id, &[(2, b"42")]);
		let drawn = DrawnValidators::<Test>::get(id).to_vec();
		assert_eq!(drawn.len(), 1);
		let v = drawn[0];
		assert_eq!(Work::<Test>::get(v, id), Some(Assignment::Validator));
		assert_noop!(commit(3, H256::zero()), Error::<Test>::CannotValidate);
		assert_noop!(commit(REQUESTER, H256::zero()), Error::<Test>::CannotValidate);
		for other in VALIDATORS.iter().filter(|w| **w != v) {
			assert_noop!(commit(*other, H256::zero()), Error::<Test>::CannotValidate);
		}
		// No score is revealed while validators commit.
		assert_noop!(reveal(v, 50), Error::<Test>::WrongPhase);
		let c = QueryContracts::validation_commitment_of(id, &v, percent(50), b"ok", &salt(v));
		assert_ok!(commit(v, c));
		assert!(query_events()
			.iter()
			.any(|e| matches!(e, Event::ValidationCommitted { validator, .. } if *validator == v)));
		assert_noop!(commit(v, c), Error::<Test>::AlreadyValidated);
		next_block();
		assert_eq!(phase(id), Phase::RevealingValidations);
		assert_eq!(QueryContracts::pending_work(v)[0].action, Action::RevealValidation);
		assert_noop!(commit(v, c), Error::<Test>::WrongPhase);
		let other = *VALIDATORS.iter().find(|w| **w != v).unwrap();
		assert_noop!(reveal(other, 50), Error::<Test>::ValidationNotCommitted);
		assert_noop!(reveal(v, 51), Error::<Test>::ValidationMismatch);
		assert_ok!(reveal(v, 50));
		assert_noop!(reveal(v, 50), Error::<Test>::AlreadyValidated);
		next_block();
		assert_eq!(phase(id), Phase::Settled);
		assert_eq!(query(id).consensus.unwrap().quality, Some(percent(50)));
	});
}

/// A late validator that sees the others' scores could steer the stake-weighted quality
/// across the threshold; sealed, it commits before any score is visible, and a validator that
/// commits and does not reveal is paid nothing and counts for nothing.
#[test]
fn a_validator_that_does_not_reveal_is_not_paid_and_does_not_count() {
	ExtBuilder::default().build_and_execute(|| {
		let id = validated(70, &[]);
		score(id, 20, percent(90));
		let c = QueryContracts::validation_commitment_of(id, &21, percent(10), b"ok", &salt(21));
		assert_ok!(QueryContracts::commit_validation(RuntimeOrigin::signed(21), id, c));
		assert!(Validations::<Test>::get(id).is_empty());
		while !phase(id).is_final() {
			next_block();
		}
		let q = query(id);
		assert_eq!(q.consensus.unwrap().quality, Some(percent(90)));
		let paid = paid_events(id);
		assert!(paid.contains(&(20, PayRole::Validator, 100)), "{paid:?}");
		assert!(!paid.iter().any(|p| p.0 == 21));
		assert!(paid.contains(&(2, PayRole::Answer, 700)));
	});
}

#[test]
fn no_validator_shows_up_then_answers_are_paid_unchecked() {
	ExtBuilder::default().build_and_execute(|| {
		let id = validated(80, &[]);
		assert_eq!(phase(id), Phase::Validating);
		run_to_block(System::block_number() + 5);
		assert_eq!(phase(id), Phase::Settled);
		assert!(paid_events(id).contains(&(2, PayRole::Answer, 700)));
		assert_eq!(query(id).consensus.unwrap().quality, None);
	});
}

#[test]
fn delegators_share_answer_rewards_through_the_staking_split() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(40), 2, 1_000));
		let id = create(QueryParams { mode: Mode::Single, respondents: 1, ..swarm(1) }, 1_000);
		select(id, &[2]);
		let pool_before = pallet_llmnet_staking::Pools::<Test>::get(2).unwrap().active_stake;
		answer_all(id, &[(2, b"42")]);
		assert_eq!(phase(id), Phase::Settled);
		// 700 to node 2 with own bond 1000 and delegations 1000 at 0 % commission: half each.
		let pool_after = pallet_llmnet_staking::Pools::<Test>::get(2).unwrap().active_stake;
		assert_eq!(pool_after - pool_before, 350);
	});
}

#[test]
fn settlement_money_never_exceeds_the_budget_over_many_queries() {
	ExtBuilder::default().build_and_execute(|| {
		let total_before: Balance =
			(1..=40).chain([REQUESTER]).map(|a| Balances::total_balance(&a)).sum();
		for i in 0..6u64 {
			let id = run_swarm(
				if i % 2 == 0 { Aggregation::BradleyTerry } else { Aggregation::MajorityVote },
				if i % 3 == 0 { AnswerPayout::GeometricRank } else { AnswerPayout::Proportional },
			);
			assert_eq!(phase(id), Phase::Settled);
			let paid: Balance = paid_events(id).iter().map(|p| p.2).sum();
			assert!(paid <= 10_000);
		}
		// No slashes happened: money is only moved, never created or destroyed.
		let pool_accounts: Balance =
			(2..=7).map(|n| Balances::total_balance(&Staking::pool_account(&n))).sum();
		let total_after: Balance =
			(1..=40).chain([REQUESTER]).map(|a| Balances::total_balance(&a)).sum();
		assert_eq!(total_after + pool_accounts, total_before);
	});
}

#[test]
fn undecided_fit_goes_to_the_majority_and_leaves_reputations_alone() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"41"), (3, b"42"), (4, b"42")]);
		assert_eq!(phase(id), Phase::Judging);
		// Nobody judges (each respondent could only compare with its own candidate).
		run_to_block(System::block_number() + 5);
		let c = query(id).consensus.unwrap();
		assert_eq!(c.answer.to_vec(), b"42".to_vec(), "equal scores: the majority candidate wins");
		assert_eq!((c.candidate, c.majority), (1, 1));
		for who in [2, 3, 4] {
			assert_eq!(Rep::observations(&who, MATH, ReputationKind::Answer), 0, "no information");
		}
	});
}

/// A query in validation when the runtime upgraded to drawn validators (spec 3): its
/// validator volunteered and scored under the old rules, with no drawn list. It settles, the
/// score counts, and the validator's assignment closes (no leaked `live_assignments`).
#[test]
fn a_validation_in_flight_at_the_upgrade_to_drawn_validators_closes_cleanly() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(
			QueryParams { mode: Mode::Single, respondents: 1, validators: 2, ..swarm(1) },
			1_000,
		);
		select(id, &[2]);
		answer_all(id, &[(2, b"42")]);
		assert_eq!(phase(id), Phase::Validating);
		// The state spec 2 left: no drawn validators; 20 volunteered and scored.
		for v in DrawnValidators::<Test>::take(id) {
			QueryContracts::close_work(&v, id);
		}
		assert_ok!(QueryContracts::open_work(&20, id, Assignment::Validator));
		Validations::<Test>::mutate(id, |v| {
			v.try_push(ValidationEntry { who: 20, score: percent(90), stake: 200 }).unwrap()
		});
		check_invariants();
		run_to_block(System::block_number() + 5);
		assert_eq!(phase(id), Phase::Settled);
		assert_eq!(query(id).consensus.unwrap().quality, Some(percent(90)));
		assert_eq!(Work::<Test>::get(20, id), None);
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(20).unwrap().live_assignments, 0);
	});
}

/// A query validating at the upgrade that sealed scores: a score given in clear before it
/// counts as given (and its validator cannot commit again); the other validator commits and
/// reveals as usual.
#[test]
fn scores_in_clear_from_before_sealing_still_count() {
	ExtBuilder::default().build_and_execute(|| {
		let id = validated(70, &[]);
		let clear = ValidationEntry { who: 20, score: percent(90), stake: 200 };
		Validations::<Test>::insert(id, BoundedVec::truncate_from(vec![clear]));
		assert!(QueryContracts::pending_work(20).is_empty());
		assert_noop!(
			QueryContracts::commit_validation(RuntimeOrigin::signed(20), id, H256::zero()),
			Error::<Test>::AlreadyValidated
		);
		score(id, 21, percent(60));
		while !phase(id).is_final() {
			next_block();
		}
		// Stakes 200 and 400: (200 * 90 + 400 * 60) / 600 = 70, both paid.
		assert_eq!(query(id).consensus.unwrap().quality, Some(percent(70)));
		let paid = paid_events(id);
		assert!(paid.contains(&(20, PayRole::Validator, 50)), "{paid:?}");
		assert!(paid.contains(&(21, PayRole::Validator, 50)), "{paid:?}");
	});
}
