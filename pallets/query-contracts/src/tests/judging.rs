//! Judging: comparisons, feedback, extra judges.

use super::*;
use crate::{runtime_api::Action, Error};
use pallet_llmnet_reputation::{Feedback, Reputation as _, ReputationKind};

/// Respondents 2, 3, 4 with three distinct answers (candidates 0, 1, 2), in judging.
fn in_judging(extra_judges: u8) -> QueryId {
	let id = create(QueryParams { extra_judges, ..swarm(3) }, 1_000);
	select(id, &[2, 3, 4]);
	answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
	assert_eq!(phase(id), Phase::Judging);
	id
}

fn feedback_of(f: Vec<(AccountId, &[u8])>) -> Vec<PeerFeedbackOf<Test>> {
	f.into_iter().map(|(to, t)| PeerFeedback { to, text: bounded(t) }).collect()
}

/// `who` commits to a judgement (the commitment's content does not matter to the call).
fn try_commit(id: QueryId, who: AccountId) -> DispatchResult {
	QueryContracts::commit_judgement(RuntimeOrigin::signed(who), id, H256::repeat_byte(7))
		.map(|_| ())
		.map_err(|e| e.error)
}

/// Reveal `c` and `f` as `who`'s judgement, its commitment first set to match them (as if
/// `who` had committed to exactly this); a refused reveal leaves the commitment as it was, so
/// `assert_noop!` sees the reveal's own effect only.
fn try_judge(
	id: QueryId,
	who: AccountId,
	c: Vec<ComparisonOf<Test>>,
	f: Vec<(AccountId, &[u8])>,
) -> DispatchResult {
	let feedback = feedback_of(f);
	let before = JudgementCommitments::<Test>::get(id, who);
	if before.is_some() {
		let sealed = QueryContracts::judgement_commitment_of(id, &who, &c, &feedback, &salt(who));
		JudgementCommitments::<Test>::insert(id, who, sealed);
	}
	let out = QueryContracts::judge(
		RuntimeOrigin::signed(who),
		id,
		c.try_into().unwrap(),
		feedback.try_into().unwrap(),
		salt(who),
	)
	.map(|_| ())
	.map_err(|e| e.error);
	if out.is_err() {
		if let Some(b) = before {
			JudgementCommitments::<Test>::insert(id, who, b);
		}
	}
	out
}

#[test]
fn judging_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		assert_noop!(try_commit(id, 2), Error::<Test>::WrongPhase);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		use PairOutcome::*;
		assert_eq!(QueryContracts::pending_work(2)[0].action, Action::Judge);
		// No extra-judge slots in this query.
		assert_noop!(try_commit(id, 5), Error::<Test>::CannotJudge);
		assert_ok!(try_commit(id, 2));
		assert!(query_events()
			.iter()
			.any(|e| matches!(e, Event::JudgementCommitted { judge: 2, .. })));
		assert_noop!(try_commit(id, 2), Error::<Test>::AlreadyJudged);
		assert!(QueryContracts::pending_work(2).is_empty());
		assert_eq!(QueryContracts::pending_work(3)[0].action, Action::Judge);
		// Nothing is revealed while judges commit.
		assert_noop!(try_judge(id, 2, vec![cmp(1, 2, A)], vec![]), Error::<Test>::WrongPhase);
		judge(id, 3, vec![cmp(0, 2, A)]);
		judge(id, 4, vec![cmp(0, 1, A)]);
		next_block();
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert_eq!(QueryContracts::pending_work(2)[0].action, Action::RevealJudgement);
		assert_noop!(try_commit(id, 2), Error::<Test>::WrongPhase);
		// Judge 2 holds candidate 0.
		assert_noop!(try_judge(id, 2, vec![cmp(1, 3, A)], vec![]), Error::<Test>::UnknownCandidate);
		assert_noop!(try_judge(id, 2, vec![cmp(1, 1, A)], vec![]), Error::<Test>::SelfComparison);
		assert_noop!(try_judge(id, 2, vec![cmp(0, 1, A)], vec![]), Error::<Test>::OwnCandidate);
		assert_noop!(try_judge(id, 2, vec![cmp(2, 0, B)], vec![]), Error::<Test>::OwnCandidate);
		assert_noop!(
			try_judge(id, 2, vec![cmp(1, 2, A), cmp(2, 1, B)], vec![]),
			Error::<Test>::DuplicatePair
		);
		assert_noop!(
			try_judge(id, 2, vec![cmp(1, 2, A)], vec![(2, b"me")]),
			Error::<Test>::BadFeedbackTarget
		);
		assert_noop!(
			try_judge(id, 2, vec![cmp(1, 2, A)], vec![(5, b"x")]),
			Error::<Test>::BadFeedbackTarget
		);
		assert_noop!(
			try_judge(id, 2, vec![cmp(1, 2, A)], vec![(3, b"")]),
			pallet_llmnet_reputation::Error::<Test>::EmptyFeedback
		);
		// Not what was committed (judge 2 committed to something else), or no commitment.
		assert_noop!(
			QueryContracts::judge(
				RuntimeOrigin::signed(2),
				id,
				Default::default(),
				Default::default(),
				salt(2)
			),
			Error::<Test>::JudgementMismatch
		);
		assert_noop!(try_judge(id, 5, vec![], vec![]), Error::<Test>::JudgementNotCommitted);
		assert_ok!(try_judge(id, 2, vec![cmp(1, 2, A)], vec![(3, b"close"), (4, b"off by two")]));
		assert_noop!(try_judge(id, 2, vec![], vec![]), Error::<Test>::AlreadyJudged);
		assert_eq!(Judgements::<Test>::get(id, 2).unwrap().len(), 1);
		// Feedback went to the reputation pallet.
		let f = Feedback::<Test>::get(4);
		assert_eq!(f.len(), 1);
		assert_eq!((f[0].from, f[0].query, f[0].text.to_vec()), (2, id, b"off by two".to_vec()));
		assert!(query_events().iter().any(|e| matches!(e, Event::Judged { judge: 2, .. })));
		assert!(QueryContracts::pending_work(2).is_empty());
	});
}

#[test]
fn unknown_query_is_reported() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(try_commit(9, 2), Error::<Test>::UnknownQuery);
		assert_noop!(try_judge(9, 2, vec![], vec![]), Error::<Test>::UnknownQuery);
		assert_noop!(
			QueryContracts::validate(
				RuntimeOrigin::signed(20),
				9,
				percent(10),
				bounded(b""),
				[0; 32]
			),
			Error::<Test>::UnknownQuery
		);
		assert_noop!(
			QueryContracts::commit_validation(RuntimeOrigin::signed(20), 9, H256::zero()),
			Error::<Test>::UnknownQuery
		);
		assert_noop!(
			QueryContracts::advance(RuntimeOrigin::signed(2), 9),
			Error::<Test>::UnknownQuery
		);
		assert_noop!(
			QueryContracts::debate(RuntimeOrigin::signed(2), 9, 0, bounded(b"x"), None, true),
			Error::<Test>::UnknownQuery
		);
		assert_noop!(
			QueryContracts::reveal(RuntimeOrigin::signed(2), 9, bounded(b"x"), salt(2)),
			Error::<Test>::UnknownQuery
		);
	});
}

#[test]
fn respondent_without_candidate_cannot_judge() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		for (who, a) in [(2, b"42"), (3, b"41"), (4, b"40")] {
			commit(id, who, a);
		}
		next_block();
		reveal(id, 2, b"42");
		reveal(id, 3, b"41");
		run_to_block(7);
		assert_eq!(phase(id), Phase::Judging);
		assert_noop!(try_commit(id, 4), Error::<Test>::NoAnswer);
	});
}

/// Extra judges are drawn when judging opens (issue 16): the drawn one has a `Judge`
/// assignment and the work in its `pending_work`; nobody else outside the respondents may
/// commit, first or not.
#[test]
fn extra_judges_are_drawn_and_only_they_judge() {
	ExtBuilder::default().build_and_execute(|| {
		let id = in_judging(1);
		let drawn = ExtraJudges::<Test>::get(id).to_vec();
		assert_eq!(drawn.len(), 1);
		let e = drawn[0];
		assert!(
			(5..=8).contains(&e),
			"drawn {e}: not a respondent, the coordinator or a validator"
		);
		assert_eq!(query(id).expected, 4, "3 respondents and the drawn judge");
		assert_eq!(Work::<Test>::get(e, id), Some(Assignment::Judge));
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(e).unwrap().live_assignments, 1);
		assert_eq!(QueryContracts::pending_work(e)[0].action, Action::Judge);
		use PairOutcome::*;
		// Not drawn (an eligible provider, one of another domain, the requester): refused.
		for other in (5..=8).filter(|w| *w != e).chain([OUTSIDER, REQUESTER]) {
			assert!(QueryContracts::pending_work(other).is_empty());
			assert_noop!(try_commit(id, other), Error::<Test>::CannotJudge);
		}
		// The drawn judge may compare every pair.
		judge_with(
			id,
			e,
			vec![cmp(0, 1, A), cmp(0, 2, A), cmp(1, 2, Tie)],
			feedback_of(vec![(2, b"right")]),
		);
		assert!(QueryContracts::pending_work(e).is_empty());
		// Everyone in (3 respondents + 1 extra): the reveals open at the next block, and
		// once all are in the query settles at the end of that block.
		for (who, c) in [(2, cmp(1, 2, A)), (3, cmp(0, 2, A)), (4, cmp(0, 1, A))] {
			judge(id, who, vec![c]);
		}
		next_block();
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert_eq!(Judgements::<Test>::iter_prefix(id).count(), 4);
		next_block();
		assert_eq!(phase(id), Phase::Settled);
		assert!(paid_events(id).iter().any(|(w, r, _)| *w == e && *r == PayRole::Judge));
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(e).unwrap().live_assignments, 0);
	});
}

/// The README's sample query: two candidates, only respondents judging, the wrong answer held
/// by the majority. Before, no comparison was allowed and the majority won; now a respondent
/// may concede (a verdict against its own candidate counts, one for it is refused), so the
/// fit is decided by the concession.
#[test]
fn a_respondent_may_concede_so_two_candidates_get_a_decided_fit() {
	ExtBuilder::default().build_and_execute(|| {
		use PairOutcome::*;
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"41")]);
		assert_eq!(phase(id), Phase::Judging);
		// 2 holds candidate 0, 3 and 4 hold candidate 1.
		for who in [2, 3, 4] {
			assert_ok!(try_commit(id, who));
		}
		next_block();
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert_noop!(try_judge(id, 2, vec![cmp(0, 1, A)], vec![]), Error::<Test>::OwnCandidate);
		assert_noop!(try_judge(id, 4, vec![cmp(0, 1, Tie)], vec![]), Error::<Test>::OwnCandidate);
		assert_noop!(try_judge(id, 4, vec![cmp(1, 0, A)], vec![]), Error::<Test>::OwnCandidate);
		assert_ok!(try_judge(id, 3, vec![cmp(0, 1, A)], vec![]));
		assert_ok!(try_judge(id, 4, vec![cmp(1, 0, B)], vec![]));
		assert_ok!(try_judge(id, 2, vec![], vec![]));
		next_block();
		let c = query(id).consensus.unwrap();
		assert_eq!((c.candidate, c.majority), (0, 1));
		assert_eq!(c.answer.to_vec(), b"42".to_vec());
	});
}

/// M6: a judge that gives one safe verdict earns less than one that judged every pair.
#[test]
fn judge_pay_is_weighted_by_coverage() {
	ExtBuilder::default().build_and_execute(|| {
		use PairOutcome::*;
		let id = in_judging(2);
		let drawn = ExtraJudges::<Test>::get(id).to_vec();
		let (full, one) = (drawn[0], drawn[1]);
		// Candidates 0 "42", 1 "41", 2 "40"; every verdict agrees with 0 > 1 > 2.
		judge(id, 2, vec![cmp(1, 2, A)]);
		judge(id, 3, vec![cmp(0, 2, A)]);
		judge(id, 4, vec![cmp(0, 1, A)]);
		judge(id, full, vec![cmp(0, 1, A), cmp(0, 2, A), cmp(1, 2, A)]);
		judge(id, one, vec![cmp(0, 1, A)]);
		past_judging(id);
		assert_eq!(phase(id), Phase::Settled);
		let judge_pay = |who| {
			paid_events(id)
				.iter()
				.find(|p| p.0 == who && p.1 == PayRole::Judge)
				.map(|p| p.2)
				.unwrap_or(0)
		};
		// Same agreement (1) and reputation (0.5): `full` covered 3 of 3 pairs, `one` one of
		// 3, and each respondent its one free pair.
		assert_eq!(judge_pay(full), judge_pay(2));
		assert!(
			judge_pay(one) * 3 <= judge_pay(full) + 2 && judge_pay(one) * 3 + 2 >= judge_pay(full)
		);
		assert!(judge_pay(one) > 0);
	});
}

/// A query judging at the upgrade that sealed judgements: the judgements given in clear
/// before it count as given, their judges are not rated as having missed, and the others
/// commit and reveal as usual.
#[test]
fn judgements_in_clear_from_before_sealing_still_count() {
	ExtBuilder::default().build_and_execute(|| {
		use PairOutcome::*;
		let id = in_judging(0);
		// Respondent 2 judged in clear before the upgrade (its verdicts are in `Judgements`).
		let clear: BoundedVec<PairVerdict, ConstU32<120>> =
			vec![PairVerdict { a: 1, b: 2, outcome: A }].try_into().unwrap();
		Judgements::<Test>::insert(id, 2, clear);
		let before = Reputation::observations(&2, MATH, ReputationKind::Judgement);
		assert!(QueryContracts::pending_work(2).is_empty());
		assert_noop!(try_commit(id, 2), Error::<Test>::AlreadyJudged);
		judge(id, 3, vec![cmp(0, 2, A)]);
		judge(id, 4, vec![cmp(0, 1, A)]);
		past_judging(id);
		assert_eq!(phase(id), Phase::Settled);
		let c = query(id).consensus.unwrap();
		assert_eq!(c.candidate, 0);
		// One observation for 2: its agreement, not a miss.
		assert_eq!(Reputation::observations(&2, MATH, ReputationKind::Judgement), before + 1);
		assert!(
			Reputation::reputation(&2, MATH, ReputationKind::Judgement)
				>= Perbill::from_percent(50)
		);
	});
}

/// The runtime API's commitments (plain lists for front ends) are the ones the calls check.
#[test]
fn commitment_apis_match_the_calls() {
	ExtBuilder::default().build_and_execute(|| {
		use PairOutcome::*;
		let c = vec![cmp(0, 1, A), cmp(1, 2, Tie)];
		let f = feedback_of(vec![(3, b"close")]);
		let plain_c = c.iter().map(|x| (x.a, x.b, x.outcome, x.justification.to_vec())).collect();
		let plain_f = f.iter().map(|x| (x.to, x.text.to_vec())).collect();
		assert_eq!(
			QueryContracts::judgement_commitment_view(7, 2, plain_c, plain_f, salt(2)),
			Some(QueryContracts::judgement_commitment_of(7, &2, &c, &f, &salt(2)))
		);
		let too_long = vec![(0, 1, A, vec![b'x'; 10_000])];
		assert_eq!(
			QueryContracts::judgement_commitment_view(7, 2, too_long, vec![], salt(2)),
			None
		);
	});
}
