//! Deadlines: the per-block schedule, spill-over, `advance`.

use super::*;
use crate::Error;

#[test]
fn full_blocks_spill_to_the_next_and_all_are_processed() {
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(2);
		let ids: Vec<QueryId> =
			(0..5).map(|_| create(QueryParams { coordinator: None, ..swarm(2) }, 1_000)).collect();
		assert_eq!(Schedule::<Test>::get(6).len(), 2);
		assert_eq!(Schedule::<Test>::get(7).len(), 2);
		assert_eq!(Schedule::<Test>::get(8).into_inner(), vec![ids[4]]);
		assert_eq!(query(ids[4]).deadline, 8);
		run_to_block(8);
		for id in ids {
			assert_eq!(phase(id), Phase::Committing, "query {id}");
		}
	});
}

#[test]
fn schedule_full_is_an_error() {
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(1);
		for _ in 0..llmnet_primitives::schedule::SCHEDULE_REACH {
			create(QueryParams { coordinator: None, ..swarm(2) }, 100);
		}
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"one more"),
				QueryParams { coordinator: None, ..swarm(2) },
				100
			),
			Error::<Test>::ScheduleFull
		);
	});
}

#[test]
fn advance_is_permissionless_after_the_deadline() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		assert_noop!(
			QueryContracts::advance(RuntimeOrigin::signed(9), id),
			Error::<Test>::DeadlineNotReached
		);
		// The hook did not run (blocks set directly): anyone advances.
		System::set_block_number(6);
		assert_ok!(QueryContracts::advance(RuntimeOrigin::signed(9), id));
		assert_eq!(phase(id), Phase::Committing);
		assert!(!Schedule::<Test>::get(6).contains(&id));
		System::set_block_number(11);
		assert_ok!(QueryContracts::advance(RuntimeOrigin::signed(9), id));
		assert_eq!(phase(id), Phase::Expired);
		assert_noop!(
			QueryContracts::advance(RuntimeOrigin::signed(9), id),
			Error::<Test>::QueryFinished
		);
		assert_noop!(QueryContracts::advance(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
	});
}

#[test]
fn hook_weight_counts_each_due_transition() {
	ExtBuilder::default().build_and_execute(|| {
		create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		System::set_block_number(6);
		let w = QueryContracts::process_schedule(6);
		assert!(w.ref_time() >= 2 * QueryContracts::transition_weight().ref_time());
		assert!(
			QueryContracts::process_schedule(7).ref_time()
				< QueryContracts::transition_weight().ref_time()
		);
	});
}
