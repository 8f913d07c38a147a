//! `create_query`, `cancel`, `reap` and their errors.

use super::*;
use crate::Error;
use pallet_llmnet_staking::traits::NodeRegistry;

#[test]
fn create_holds_budget_and_deposit_and_indexes() {
	ExtBuilder::default().build_and_execute(|| {
		let before = free(REQUESTER);
		let id = create(swarm(3), 1_000);
		assert_eq!(id, 0);
		assert_eq!(NextQueryId::<Test>::get(), 1);
		assert_eq!(free(REQUESTER), before - 1_000 - DEPOSIT);
		assert_eq!(escrow(REQUESTER), 1_000);
		assert_eq!(deposit_held(REQUESTER), DEPOSIT);
		let q = query(id);
		assert_eq!((q.phase, q.deadline, q.created), (Phase::Selecting, 6, 1));
		assert!(RequesterQueries::<Test>::contains_key(REQUESTER, id));
		assert_eq!(Work::<Test>::get(COORD, id), Some(Assignment::Coordinator));
		assert_eq!(Schedule::<Test>::get(6).into_inner(), vec![id]);
		assert_eq!(
			QueryContracts::pending_work(COORD)[0].action,
			crate::runtime_api::Action::Select
		);
		assert_ne!(q.transcript, H256::zero());
		assert!(matches!(
			query_events().last(),
			Some(Event::QueryCreated {
				query: 0,
				requester: REQUESTER,
				domain: MATH,
				budget: 1_000,
				deadline: 6,
				..
			})
		));
	});
}

#[test]
fn create_rejects_bad_terms() {
	ExtBuilder::default().build_and_execute(|| {
		let o = || RuntimeOrigin::signed(REQUESTER);
		let p = bounded::<ConstU32<64>>(b"prompt");
		let check = |params: QueryParams<AccountId, u64>, budget: Balance, e: Error<Test>| {
			assert_noop!(QueryContracts::create_query(o(), MATH, p.clone(), params, budget), e);
		};
		assert_noop!(
			QueryContracts::create_query(o(), 7, p.clone(), swarm(2), 1_000),
			Error::<Test>::InactiveDomain
		);
		assert_noop!(
			QueryContracts::create_query(o(), MATH, bounded(b""), swarm(2), 1_000),
			Error::<Test>::EmptyPrompt
		);
		check(swarm(2), MIN_BUDGET - 1, Error::BudgetTooLow);
		check(swarm(1), 1_000, Error::BadRespondentCount);
		check(swarm(17), 1_000, Error::BadRespondentCount);
		check(
			QueryParams { mode: Mode::Single, respondents: 2, ..swarm(2) },
			1_000,
			Error::BadRespondentCount,
		);
		check(
			QueryParams { mode: Mode::Single, respondents: 1, extra_judges: 1, ..swarm(2) },
			1_000,
			Error::TooManyExtraJudges,
		);
		check(QueryParams { extra_judges: 5, ..swarm(2) }, 1_000, Error::TooManyExtraJudges);
		check(QueryParams { validators: 4, ..swarm(2) }, 1_000, Error::TooManyValidators);
		check(
			QueryParams { mode: Mode::Debate { rounds: 0 }, ..swarm(2) },
			1_000,
			Error::BadDebateRounds,
		);
		check(
			QueryParams { mode: Mode::Debate { rounds: 4 }, ..swarm(2) },
			1_000,
			Error::BadDebateRounds,
		);
		let mut long = swarm(2);
		long.phases.judging = 101;
		check(long, 1_000, Error::BadPhaseLength);
		let mut zero = swarm(2);
		zero.phases.committing = 0;
		check(zero, 1_000, Error::BadPhaseLength);
		let mut shares = swarm(2);
		shares.shares.answers = Perbill::from_percent(71);
		check(shares, 1_000, Error::SharesExceedBudget);
		check(
			QueryParams { coordinator: Some(2), ..swarm(2) },
			1_000,
			Error::CoordinatorNotEligible,
		);
		// More than the requester has.
		assert_noop!(
			QueryContracts::create_query(o(), MATH, p.clone(), swarm(2), 10_000_000),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn cancel_refunds_everything_in_selection_only() {
	ExtBuilder::default().build_and_execute(|| {
		let before = free(REQUESTER);
		let id = create(swarm(2), 1_000);
		assert_noop!(
			QueryContracts::cancel(RuntimeOrigin::signed(COORD), id),
			Error::<Test>::NotRequester
		);
		assert_noop!(
			QueryContracts::cancel(RuntimeOrigin::signed(REQUESTER), 9),
			Error::<Test>::UnknownQuery
		);
		assert_ok!(QueryContracts::cancel(RuntimeOrigin::signed(REQUESTER), id));
		assert_eq!(free(REQUESTER), before);
		assert!(Queries::<Test>::get(id).is_none());
		assert!(Work::<Test>::get(COORD, id).is_none());
		assert!(Schedule::<Test>::get(6).is_empty());
		// The coordinator's assignment is closed: it can deregister.
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(COORD)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Staking(pallet_llmnet_staking::Event::NodeDeregistered {
				node: COORD
			})));

		let id = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		run_to_block(6);
		assert_eq!(phase(id), Phase::Committing);
		assert_noop!(
			QueryContracts::cancel(RuntimeOrigin::signed(REQUESTER), id),
			Error::<Test>::WrongPhase
		);
	});
}

#[test]
fn reap_needs_a_finished_query_of_the_caller() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		assert_noop!(
			QueryContracts::reap(RuntimeOrigin::signed(REQUESTER), id),
			Error::<Test>::QueryNotFinished
		);
		assert_noop!(
			QueryContracts::reap(RuntimeOrigin::signed(REQUESTER), 5),
			Error::<Test>::UnknownQuery
		);
		// Nobody commits: expired after committing.
		run_to_block(11);
		assert_eq!(phase(id), Phase::Expired);
		assert_eq!(escrow(REQUESTER), 0);
		assert_noop!(
			QueryContracts::reap(RuntimeOrigin::signed(COORD), id),
			Error::<Test>::NotRequester
		);
		assert_ok!(QueryContracts::reap(RuntimeOrigin::signed(REQUESTER), id));
		assert_eq!(deposit_held(REQUESTER), 0);
		assert!(Queries::<Test>::get(id).is_none());
		assert!(!RequesterQueries::<Test>::contains_key(REQUESTER, id));
		System::assert_last_event(RuntimeEvent::QueryContracts(Event::QueryReaped { query: id }));
	});
}

#[test]
fn queries_of_paginates_newest_first() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..5 {
			create(swarm(2), 1_000);
		}
		assert_eq!(QueryContracts::queries_of(REQUESTER, 0, 2), vec![4, 3]);
		assert_eq!(QueryContracts::queries_of(REQUESTER, 2, 10), vec![2, 1, 0]);
		assert!(QueryContracts::queries_of(COORD, 0, 10).is_empty());
		assert_eq!(<Staking as NodeRegistry<_, _, _>>::sample_domain(MATH, 3, [0; 16]).len(), 3);
	});
}

/// The work index and the registry's assignment count have one owner (`open_work` /
/// `close_work`); `try_state` catches any write that bypasses it (the exact count across
/// pallets is the runtime fuzzer's oracle: validation's submissions are assignments too).
#[test]
fn try_state_catches_work_the_registry_did_not_count() {
	ExtBuilder::default().build().execute_with(|| {
		let id = create(swarm(3), 1_000);
		assert_eq!(Staking::live_assignments(&COORD), 1);
		assert_ok!(QueryContracts::do_try_state());
		Work::<Test>::insert(2, id, Assignment::Judge);
		ExtraJudges::<Test>::mutate(id, |v| v.try_push(2).unwrap());
		assert_eq!(
			QueryContracts::do_try_state(),
			Err("the registry counts fewer assignments than the work index".into())
		);
	});
}
