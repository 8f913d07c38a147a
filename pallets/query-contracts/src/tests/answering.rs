//! Selection, commit-reveal and debate.

use super::*;
use crate::{runtime_api::Action, Error};
use pallet_llmnet_reputation::{Reputation as _, ReputationKind};
use pallet_llmnet_staking::Roles;

#[test]
fn coordinator_selects_eligible_providers() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		let sel = |who: AccountId, r: Vec<AccountId>| {
			QueryContracts::select(
				RuntimeOrigin::signed(who),
				id,
				r.try_into().unwrap(),
				bounded(b"why"),
			)
		};
		assert_noop!(sel(2, vec![2, 3]), Error::<Test>::NotCoordinator);
		assert_noop!(sel(COORD, vec![2]), Error::<Test>::WrongRespondentCount);
		assert_noop!(sel(COORD, vec![2, 2]), Error::<Test>::DuplicateRespondent);
		assert_noop!(sel(COORD, vec![2, OUTSIDER]), Error::<Test>::RespondentNotEligible);
		assert_noop!(sel(COORD, vec![2, VALIDATORS[0]]), Error::<Test>::RespondentNotEligible);
		assert_noop!(
			QueryContracts::select(
				RuntimeOrigin::signed(COORD),
				9,
				Default::default(),
				bounded(b"")
			),
			Error::<Test>::UnknownQuery
		);
		assert_ok!(sel(COORD, vec![2, 3]));
		let q = query(id);
		assert_eq!(q.phase, Phase::Committing);
		assert_eq!(q.selected_by, Some(COORD));
		assert_eq!(q.respondents.to_vec(), vec![2, 3]);
		assert_eq!((q.deadline, q.expected), (6, 2));
		assert!(Schedule::<Test>::get(6).contains(&id));
		assert_eq!(Work::<Test>::get(2, id), Some(Assignment::Respondent));
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(2).unwrap().live_assignments, 1);
		assert_eq!(QueryContracts::pending_work(2)[0].action, Action::Commit);
		assert!(QueryContracts::pending_work(COORD).is_empty());
		assert_noop!(sel(COORD, vec![4, 5]), Error::<Test>::WrongPhase);
	});
}

#[test]
fn requester_cannot_be_selected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(QueryContracts::create_query(
			RuntimeOrigin::signed(5),
			MATH,
			bounded(b"q"),
			swarm(2),
			1_000
		));
		assert_noop!(
			QueryContracts::select(
				RuntimeOrigin::signed(COORD),
				0,
				vec![5, 6].try_into().unwrap(),
				bounded(b"")
			),
			Error::<Test>::RequesterSelected
		);
	});
}

#[test]
fn automatic_selection_takes_reputation_and_keeps_an_exploration_slot() {
	ExtBuilder::default().build_and_execute(|| {
		// Providers 2 and 3 have proven themselves; 4 has observations but a low score;
		// everyone else is new (low-sample).
		for _ in 0..5 {
			observe_answer(2, Perbill::one());
			observe_answer(3, Perbill::from_percent(90));
			observe_answer(4, Perbill::zero());
		}
		let id = create(QueryParams { coordinator: None, ..swarm(3) }, 1_000);
		run_to_block(6);
		let q = query(id);
		assert_eq!(q.phase, Phase::Committing);
		assert_eq!(q.selected_by, None);
		let r = q.respondents.to_vec();
		assert_eq!(r.len(), 3);
		assert_eq!(&r[..2], &[2, 3], "top two by reputation");
		assert!(![2, 3, 4].contains(&r[2]), "exploration slot goes to a new provider: {r:?}");
		assert!(query_events()
			.iter()
			.any(|e| matches!(e, Event::RespondentsSelected { by: None, .. })));
		// Deterministic: the same state picks the same explorer.
		let explorer = r[2];
		let again = QueryContracts::auto_select(id, &q);
		assert_eq!(again[2], explorer);
		assert!(!Reputation::reputation(&2, MATH, ReputationKind::Answer).is_zero());
	});
}

#[test]
fn named_coordinator_that_does_not_select_is_replaced_by_automatic_selection() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		run_to_block(6);
		let q = query(id);
		assert_eq!((q.phase, q.selected_by), (Phase::Committing, None));
		assert_eq!(q.respondents.len(), 2);
		// The coordinator keeps no assignment unless auto-selected as a respondent.
		if !q.respondents.contains(&COORD) {
			assert!(Work::<Test>::get(COORD, id).is_none());
			assert_eq!(
				pallet_llmnet_staking::Nodes::<Test>::get(COORD).unwrap().live_assignments,
				0
			);
		}
	});
}

#[test]
fn no_eligible_provider_expires_with_full_refund() {
	ExtBuilder::default().providers(2).build_and_execute(|| {
		let auto = QueryParams { coordinator: None, ..swarm(2) };
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"q"),
				QueryParams { respondents: 3, ..auto.clone() },
				1_000
			),
			Error::<Test>::NoProvidersWithinTerms
		);
		let before = free(REQUESTER);
		let id = create(auto, 1_000);
		// Both providers raise their price above the query's pay before selection runs.
		for who in [1, 2] {
			assert_ok!(QueryContracts::set_terms(
				RuntimeOrigin::signed(who),
				MATH,
				ProviderTerms { answer: 1_000, ..terms() }
			));
		}
		run_to_block(6);
		assert_eq!(phase(id), Phase::Expired);
		assert_eq!(free(REQUESTER), before - DEPOSIT);
		System::assert_has_event(RuntimeEvent::QueryContracts(Event::QueryExpired {
			query: id,
			refunded: 1_000,
		}));
	});
}

#[test]
fn commit_and_reveal_with_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		let c = QueryContracts::commitment_of(id, &2, b"42", &salt(2));
		assert_noop!(
			QueryContracts::commit(RuntimeOrigin::signed(2), id, c),
			Error::<Test>::WrongPhase
		);
		select(id, &[2, 3]);
		assert_noop!(
			QueryContracts::commit(RuntimeOrigin::signed(4), id, c),
			Error::<Test>::NotRespondent
		);
		assert_noop!(
			QueryContracts::commit(RuntimeOrigin::signed(2), 7, c),
			Error::<Test>::UnknownQuery
		);
		assert_ok!(QueryContracts::commit(RuntimeOrigin::signed(2), id, c));
		assert_noop!(
			QueryContracts::commit(RuntimeOrigin::signed(2), id, c),
			Error::<Test>::AlreadyCommitted
		);
		let rv = |who: AccountId, a: &[u8], s: [u8; 32]| {
			QueryContracts::reveal(RuntimeOrigin::signed(who), id, bounded(a), s)
		};
		assert_noop!(rv(2, b"42", salt(2)), Error::<Test>::WrongPhase);
		commit(id, 3, b"41");
		// Both committed: the phase ends with this block (issue 18), not at the deadline.
		assert_eq!(phase(id), Phase::Committing);
		assert_eq!(crate::Ready::<Test>::get().into_inner(), vec![(id, Phase::Committing)]);
		next_block();
		assert_eq!(phase(id), Phase::Revealing);
		assert_eq!(QueryContracts::pending_work(2)[0].action, Action::Reveal);
		assert_noop!(rv(4, b"42", salt(2)), Error::<Test>::NotRespondent);
		assert_noop!(rv(2, b"", salt(2)), Error::<Test>::EmptyAnswer);
		assert_noop!(rv(2, b"43", salt(2)), Error::<Test>::CommitmentMismatch);
		assert_noop!(rv(2, b"42", salt(3)), Error::<Test>::CommitmentMismatch);
		// Commitments are bound to the account: 3 cannot reveal 2's answer as its own.
		assert_noop!(rv(3, b"42", salt(2)), Error::<Test>::CommitmentMismatch);
		assert_ok!(rv(2, b"42", salt(2)));
		assert_noop!(rv(2, b"42", salt(2)), Error::<Test>::AlreadyRevealed);
		System::assert_last_event(RuntimeEvent::QueryContracts(Event::AnswerRevealed {
			query: id,
			who: 2,
			answer: bounded(b"42"),
		}));
		assert_eq!(query(id).progress, 1);
	});
}

#[test]
fn reveal_without_commit_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		select(id, &[2, 3]);
		commit(id, 2, b"42");
		run_to_block(6);
		assert_eq!(phase(id), Phase::Revealing);
		assert_noop!(
			QueryContracts::reveal(RuntimeOrigin::signed(3), id, bounded(b"42"), salt(3)),
			Error::<Test>::NotCommitted
		);
	});
}

#[test]
fn missed_commit_and_reveal_are_slashed_and_get_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		commit(id, 2, b"42");
		commit(id, 3, b"42");
		run_to_block(6);
		// 4 missed the commit.
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(4).unwrap().bond, BOND - BOND / 10);
		System::assert_has_event(RuntimeEvent::QueryContracts(Event::DeadlineMissed {
			query: id,
			who: 4,
			slashed: 100,
		}));
		assert_eq!(query(id).expected, 2);
		reveal(id, 2, b"42");
		run_to_block(11);
		// 3 missed the reveal.
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(3).unwrap().bond, BOND - BOND / 10);
		// One answer: no judging, settled at once with 2's answer.
		let q = query(id);
		assert_eq!(q.phase, Phase::Settled);
		assert_eq!(q.consensus.unwrap().answer.to_vec(), b"42".to_vec());
		let paid = paid_events(id);
		assert!(paid.iter().all(|(who, _, _)| *who == 2 || *who == COORD));
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(4).unwrap().live_assignments, 0);
	});
}

#[test]
fn nobody_commits_expires() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		select(id, &[2, 3]);
		run_to_block(6);
		assert_eq!(phase(id), Phase::Expired);
		assert_eq!(escrow(REQUESTER), 0);
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(2).unwrap().bond, 900);
		assert!(Work::<Test>::iter().next().is_none());
		assert_eq!(pallet_llmnet_staking::Nodes::<Test>::get(COORD).unwrap().live_assignments, 0);
	});
}

fn debate_params(rounds: u8) -> QueryParams<AccountId, u64> {
	QueryParams { mode: Mode::Debate { rounds }, ..swarm(3) }
}

#[test]
fn debate_rounds_with_errors_and_revision() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(debate_params(2), 1_000);
		select(id, &[2, 3, 4]);
		let post = |who: AccountId, round: u8, msg: &[u8], rev: Option<&[u8]>, agrees: bool| {
			QueryContracts::debate(
				RuntimeOrigin::signed(who),
				id,
				round,
				bounded(msg),
				rev.map(bounded),
				agrees,
			)
		};
		assert_noop!(post(2, 0, b"hi", None, false), Error::<Test>::WrongPhase);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		assert_eq!(phase(id), Phase::Debating { round: 0 });
		assert_eq!(QueryContracts::pending_work(3)[0].action, Action::Debate { round: 0 });
		assert_noop!(post(2, 1, b"hi", None, false), Error::<Test>::WrongRound);
		assert_noop!(post(5, 0, b"hi", None, false), Error::<Test>::NotRespondent);
		assert_noop!(post(2, 0, b"", None, false), Error::<Test>::EmptyAnswer);
		assert_noop!(post(2, 0, b"x", Some(b""), false), Error::<Test>::EmptyAnswer);
		assert_ok!(post(2, 0, b"6x7=42", None, false));
		assert_noop!(post(2, 0, b"again", None, false), Error::<Test>::AlreadyDebated);
		assert_ok!(post(3, 0, b"I was wrong", Some(b"42"), false));
		assert_ok!(post(4, 0, b"keep mine", None, false));
		next_block();
		assert_eq!(phase(id), Phase::Debating { round: 1 });
		// Everyone agrees in round 1: judging opens (it was the last round anyway).
		for who in [2, 3, 4] {
			assert_ok!(post(who, 1, b"agreed", None, true));
		}
		next_block();
		assert_eq!(phase(id), Phase::Judging);
		// 3 revised to 42: two candidates.
		assert_eq!(Candidates::<Test>::get(id).len(), 2);
		let view = QueryContracts::query_view(id).unwrap();
		assert_eq!(view.debate.len(), 6);
		assert_eq!(view.respondents[1].candidate, Some(0));
	});
}

#[test]
fn debate_stops_early_when_all_agree() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(debate_params(3), 1_000);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		for who in [2, 3, 4] {
			assert_ok!(QueryContracts::debate(
				RuntimeOrigin::signed(who),
				id,
				0,
				bounded(b"ok"),
				None,
				true
			));
		}
		next_block();
		assert_eq!(phase(id), Phase::Judging);
	});
}

#[test]
fn debate_respondent_without_answer_cannot_post() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(debate_params(1), 1_000);
		select(id, &[2, 3, 4]);
		for (who, a) in [(2, b"42"), (3, b"41"), (4, b"40")] {
			commit(id, who, a);
		}
		next_block();
		reveal(id, 2, b"42");
		reveal(id, 3, b"41");
		run_to_block(7);
		assert_eq!(phase(id), Phase::Debating { round: 0 });
		assert_noop!(
			QueryContracts::debate(RuntimeOrigin::signed(4), id, 0, bounded(b"hi"), None, false),
			Error::<Test>::NoAnswer
		);
		// A one-round debate with silent participants goes to judging at the deadline.
		run_to_block(12);
		assert_eq!(phase(id), Phase::Judging);
		let _ = Roles::PROVIDER;
	});
}

/// Found by the runtime fuzzer (`llmnet-fuzz`, seed 2, step 111). Before: the named
/// coordinator selected itself as a respondent; its `Work` entry was overwritten (coordinator
/// by respondent) while the registry counted a second assignment (live assignments 2, work
/// entries 1), so the count never came back to zero: `try_state` failed and the node could
/// never deregister. Now an account's roles in a query are counted once.
#[test]
fn a_coordinator_that_is_also_a_respondent_is_counted_once() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(2), 1_000);
		assert_eq!(Work::<Test>::get(COORD, id), Some(Assignment::Coordinator));
		let result = QueryContracts::select(
			RuntimeOrigin::signed(COORD),
			id,
			vec![COORD, 2].try_into().unwrap(),
			bounded(b"me"),
		);
		let live = || pallet_llmnet_staking::Nodes::<Test>::get(COORD).unwrap().live_assignments;
		println!(
			"self-selection: {result:?}; live assignments {}, work entries {}",
			live(),
			Work::<Test>::iter_prefix(COORD).count()
		);
		assert_ok!(result);
		assert_eq!(live(), 1);
		assert_eq!(Work::<Test>::get(COORD, id), Some(Assignment::Respondent));
		// The query ends (nobody commits): the count comes back to zero, deregistering works.
		run_to_block(query(id).deadline);
		assert!(query(id).phase.is_final());
		assert_eq!(live(), 0);
		assert_ok!(pallet_llmnet_staking::Pallet::<Test>::deregister(RuntimeOrigin::signed(COORD)));
	});
}
