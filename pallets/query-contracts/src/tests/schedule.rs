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

/// A Swarm query of respondents 2 and 3, selected, in its Committing phase two blocks later.
fn committing_query() -> QueryId {
	let id = create(swarm(2), 1_000);
	select(id, &[2, 3]);
	next_block();
	next_block();
	id
}

/// Issue 18: a phase whose last expected action lands in block N ends with block N
/// (`on_finalize`), so the workers act on the next phase from block N on. A Swarm query whose
/// coordinator and respondents each act in the block after a phase opens settles 4 blocks
/// after `create_query` (it took 8 when each phase cost two blocks).
#[test]
fn a_swarm_query_moves_one_phase_per_block() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 10_000);
		let created = System::block_number();
		let answers = [(2, &b"42"[..]), (3, b"42"), (4, b"41")];
		// The coordinator's selection moves the query on in its own block.
		next_block();
		select(id, &[2, 3, 4]);
		assert_eq!(phase(id), Phase::Committing);
		let mut changed = vec![System::block_number() - created];
		let steps: [(&dyn Fn(), Phase); 4] = [
			(&|| answers.iter().for_each(|(w, a)| commit(id, *w, a)), Phase::Revealing),
			(&|| answers.iter().for_each(|(w, a)| reveal(id, *w, a)), Phase::Judging),
			(
				&|| {
					judge(id, 2, vec![]);
					judge(id, 3, vec![]);
					judge(id, 4, vec![cmp(0, 1, PairOutcome::A)]);
				},
				Phase::RevealingJudgements,
			),
			// The sealed judgements are revealed at the start of the block (`reveal_sealed`).
			(&|| {}, Phase::Settled),
		];
		let mut current = Phase::Committing;
		for (act, next) in steps {
			// Each action lands in the block after its phase opened, as a worker's would.
			next_block();
			assert_eq!(phase(id), current);
			act();
			assert_eq!(crate::Ready::<Test>::get().len(), 1, "the last action makes it ready");
			changed.push(System::block_number() - created);
			current = next;
		}
		next_block();
		assert_eq!(phase(id), Phase::Settled);
		assert_eq!(changed, vec![1, 2, 3, 4, 5], "blocks after create_query of each phase change");
		assert_eq!(query(id).finished, Some(created + 5));
	});
}

/// `Ready` holds `MaxReadyPerBlock` queries (the mock: `MaxDue`); a phase completed when it is
/// full moves on at the start of the next block instead, as before.
#[test]
fn a_full_ready_list_falls_back_to_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(1);
		let a = create(swarm(2), 1_000);
		let b = create(swarm(2), 1_000);
		select(a, &[2, 3]);
		select(b, &[2, 3]);
		next_block();
		next_block();
		let now = System::block_number();
		for id in [a, b] {
			assert_eq!(phase(id), Phase::Committing);
			commit(id, 2, b"42");
			commit(id, 3, b"42");
		}
		assert_eq!(crate::Ready::<Test>::get().into_inner(), vec![(a, Phase::Committing)]);
		assert_eq!(query(b).deadline, now + 1);
		QueryContracts::on_finalize(now);
		assert_eq!((phase(a), phase(b)), (Phase::Revealing, Phase::Committing));
		assert!(crate::Ready::<Test>::get().is_empty());
		next_block();
		assert_eq!((phase(a), phase(b)), (Phase::Revealing, Phase::Revealing));
	});
}

/// The transition that runs in `on_finalize` is accounted when the phase completes: its
/// worst-case weight is registered as `Mandatory` block weight.
#[test]
fn the_last_action_registers_the_transition_weight() {
	ExtBuilder::default().build_and_execute(|| {
		let id = committing_query();
		commit(id, 2, b"42");
		let mandatory = || System::block_weight().get(DispatchClass::Mandatory).ref_time();
		let before = mandatory();
		commit(id, 3, b"42");
		assert_eq!(mandatory() - before, QueryContracts::transition_weight().ref_time());
		assert_eq!(
			QueryContracts::process_ready(System::block_number()),
			QueryContracts::transition_weight()
		);
		assert_eq!(phase(id), Phase::Revealing);
	});
}

/// A ready query that `advance` already moved on in the same block is left alone at the end
/// of the block.
#[test]
fn a_ready_entry_of_a_phase_already_left_is_skipped() {
	ExtBuilder::default().build_and_execute(|| {
		let id = committing_query();
		commit(id, 2, b"42");
		commit(id, 3, b"42");
		// The hook did not run (block set directly): `advance` moves the query on first.
		System::set_block_number(query(id).deadline);
		assert_ok!(QueryContracts::advance(RuntimeOrigin::signed(9), id));
		assert_eq!(phase(id), Phase::Revealing);
		let deadline = query(id).deadline;
		QueryContracts::on_finalize(System::block_number());
		assert_eq!((phase(id), query(id).deadline), (Phase::Revealing, deadline));
	});
}

/// A block without room for the transition does not take it on: the phase moves on at the
/// start of the next block, as before.
#[test]
fn a_full_block_leaves_the_transition_to_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		let id = committing_query();
		commit(id, 2, b"42");
		let max: Weight = <<Test as frame_system::Config>::BlockWeights as Get<
			frame_system::limits::BlockWeights,
		>>::get()
		.max_block;
		let room = QueryContracts::transition_weight().ref_time() / 2;
		System::register_extra_weight_unchecked(
			Weight::from_parts(max.ref_time() - room, 0),
			DispatchClass::Mandatory,
		);
		commit(id, 3, b"42");
		assert!(crate::Ready::<Test>::get().is_empty());
		assert_eq!(query(id).deadline, System::block_number() + 1);
		next_block();
		assert_eq!(phase(id), Phase::Revealing);
	});
}

/// Issue 18 (found by a 200-query burst on the dev node: a query stayed in Revealing 236 blocks
/// past its deadline): a phase completed while `Ready` is full moves its deadline to the next
/// block with room, but never to its own deadline's slot or later. Before, the search from the
/// next block ran on to the query's own slot when every block before it was full, pushed the id
/// there a second time, and the `unschedule` of the old deadline then removed both: the query
/// kept its deadline and had no schedule entry, so nothing moved it on.
#[test]
fn a_full_ready_list_never_loses_the_schedule_entry() {
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(2);
		let [a, b, c] = [0; 3].map(|_| create(swarm(2), 1_000));
		[a, b, c].iter().for_each(|id| select(*id, &[2, 3]));
		let now = System::block_number();
		assert_eq!([a, b, c].map(|id| query(id).deadline), [now + 5, now + 5, now + 6]);
		// Fill every slot from the next block up to the two Committing deadlines.
		let short = PhaseLengths { selecting: 1, ..phases() };
		for _ in 0..8 {
			create(QueryParams { coordinator: None, phases: short, ..swarm(2) }, 100);
		}
		for block in now + 1..now + 6 {
			assert_eq!(Schedule::<Test>::get(block).len(), 2, "block {block} full");
		}
		for id in [a, b, c] {
			commit(id, 2, b"42");
			commit(id, 3, b"42");
		}
		assert_eq!(crate::Ready::<Test>::get().len(), 2, "a and b are ready, c is not");
		assert_eq!(query(c).deadline, now + 6, "no earlier block has room: the deadline stays");
		assert_eq!(Schedule::<Test>::get(now + 6).into_inner(), vec![c], "c keeps one entry");
		QueryContracts::on_finalize(now);
		assert_eq!([a, b, c].map(phase), [Phase::Revealing, Phase::Revealing, Phase::Committing]);
		run_to_block(now + 5);
		assert_eq!(phase(c), Phase::Committing);
		next_block();
		assert_eq!(phase(c), Phase::Revealing, "c moves on at its deadline");
	});
}

/// The schedule holds `MaxDuePerBlock` deadlines in each of `SCHEDULE_REACH` blocks, and every
/// open query has exactly one: so at most that many queries may be open at once, and then every
/// phase a query enters finds a slot within reach (before, queries created over several blocks
/// could outnumber the slots, and a phase entered with every slot in reach full had no
/// deadline in the schedule at all).
#[test]
fn no_more_queries_open_than_the_schedule_holds() {
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(1);
		let reach = llmnet_primitives::schedule::SCHEDULE_REACH;
		let open: Vec<QueryId> = (0..reach)
			.map(|_| create(QueryParams { coordinator: None, ..swarm(2) }, 100))
			.collect();
		assert_eq!(crate::OpenQueries::<Test>::get(), reach);
		// A block later the slot after the last one is in reach: it must stay unused.
		next_block();
		let one_more = || {
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"one more"),
				QueryParams { coordinator: None, ..swarm(2) },
				100,
			)
		};
		assert_noop!(one_more(), Error::<Test>::ScheduleFull);
		// A query that ends frees its place.
		assert_ok!(QueryContracts::cancel(RuntimeOrigin::signed(REQUESTER), open[0]));
		assert_eq!(crate::OpenQueries::<Test>::get(), reach - 1);
		assert_ok!(one_more());
	});
}
