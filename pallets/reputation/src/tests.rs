//! Unit and property tests of `pallet_llmnet_reputation`.
#![allow(clippy::arithmetic_side_effects)]

use crate::{mock::*, Error, Event, Feedback, Reputation as _, ReputationKind::*, Reputations};
use frame::{arithmetic::Perbill, prelude::*, testing_prelude::*};
use proptest::prelude::*;

fn pct(p: u32) -> Perbill {
	Perbill::from_percent(p)
}

#[test]
fn newcomers_start_at_the_initial_value() {
	build_and_execute(|| {
		assert_eq!(Reputation::reputation(&1, 0, Answer), pct(50));
		assert_eq!(Reputation::observations(&1, 0, Answer), 0);
		let view = Reputation::reputation_view(1, 0, Judgement);
		assert_eq!((view.value, view.observations, view.last_update), (pct(50), 0, None));
	});
}

#[test]
fn record_outcome_folds_the_ema_and_emits_an_event() {
	build_and_execute(|| {
		// 0.8 * 0.5 + 0.2 * 1.0 = 0.6
		assert_eq!(Reputation::record_outcome(&1, 0, Answer, Perbill::one()), pct(60));
		System::assert_last_event(
			Event::ReputationUpdated {
				who: 1,
				domain: 0,
				kind: Answer,
				observation: Perbill::one(),
				old: pct(50),
				new: pct(60),
				observations: 1,
			}
			.into(),
		);
		// 0.8 * 0.6 + 0.2 * 0 = 0.48
		assert_eq!(Reputation::record_outcome(&1, 0, Answer, Perbill::zero()), pct(48));
		assert_eq!(Reputation::observations(&1, 0, Answer), 2);
		// Kinds and domains are independent.
		assert_eq!(Reputation::reputation(&1, 0, Judgement), pct(50));
		assert_eq!(Reputation::reputation(&1, 1, Answer), pct(50));
	});
}

#[test]
fn inactivity_decays_toward_the_initial_value_lazily() {
	build_and_execute(|| {
		Reputation::record_outcome(&1, 0, Answer, Perbill::one()); // 0.6
		Reputation::record_outcome(&2, 0, Answer, Perbill::zero()); // 0.4
		System::set_block_number(1 + DECAY_PERIOD - 1);
		assert_eq!(Reputation::reputation(&1, 0, Answer), pct(60), "no decay before a full period");
		System::set_block_number(1 + 2 * DECAY_PERIOD);
		// Two steps keep 0.81 of the deviation: 0.5 + 0.081 and 0.5 - 0.081.
		assert_eq!(Reputation::reputation(&1, 0, Answer), Perbill::from_parts(581_000_000));
		assert_eq!(Reputation::reputation(&2, 0, Answer), Perbill::from_parts(419_000_000));
		// Nothing was written: decay is computed on read.
		assert_eq!(Reputations::<Test>::get((0, Answer, 1)).unwrap().value, pct(60));
		System::set_block_number(1 + 100_000 * DECAY_PERIOD);
		assert_eq!(Reputation::reputation(&1, 0, Answer), pct(50));
		// The next observation starts from the decayed value.
		assert_eq!(Reputation::record_outcome(&1, 0, Answer, Perbill::one()), pct(60));
	});
}

#[test]
fn feedback_is_kept_in_a_bounded_ring_and_in_events() {
	build_and_execute(|| {
		for q in 0..4u64 {
			System::set_block_number(1 + q);
			assert_ok!(Reputation::record_feedback(
				&2,
				&1,
				q,
				0,
				format!("answer {q} was vague").into_bytes()
			));
		}
		let ring = Feedback::<Test>::get(1);
		assert_eq!(ring.len(), 3);
		assert_eq!(
			ring.iter().map(|e| e.query).collect::<Vec<_>>(),
			vec![1, 2, 3],
			"oldest dropped"
		);
		System::assert_last_event(
			Event::FeedbackRecorded {
				from: 2,
				to: 1,
				query: 3,
				domain: 0,
				text: b"answer 3 was vague".to_vec().try_into().unwrap(),
			}
			.into(),
		);
		let views = Reputation::feedback_views(1);
		assert_eq!(views[0].query, 3, "newest first");
	});
}

#[test]
fn cannot_record_bad_feedback() {
	build_and_execute(|| {
		assert_noop!(
			Reputation::record_feedback(&1, &1, 0, 0, b"I am great".to_vec()),
			Error::<Test>::SelfFeedback
		);
		assert_noop!(
			Reputation::record_feedback(&2, &1, 0, 0, vec![]),
			Error::<Test>::EmptyFeedback
		);
		assert_noop!(
			Reputation::record_feedback(&2, &1, 0, 0, vec![b'x'; 33]),
			Error::<Test>::FeedbackTooLong
		);
	});
}

#[test]
fn force_set_reputation_works_for_the_force_origin_only() {
	build_and_execute(|| {
		Reputation::record_outcome(&1, 0, Answer, Perbill::one());
		assert_noop!(
			Reputation::force_set_reputation(
				RuntimeOrigin::signed(1),
				1,
				0,
				Answer,
				Perbill::one()
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Reputation::force_set_reputation(RuntimeOrigin::root(), 1, 0, Answer, pct(10)));
		assert_eq!(Reputation::reputation(&1, 0, Answer), pct(10));
		assert_eq!(Reputation::observations(&1, 0, Answer), 1);
		System::assert_last_event(
			Event::ReputationForced { who: 1, domain: 0, kind: Answer, value: pct(10) }.into(),
		);
	});
}

#[test]
fn clear_feedback_works_and_fails_on_empty() {
	build_and_execute(|| {
		assert_noop!(
			Reputation::clear_feedback(RuntimeOrigin::root(), 1),
			Error::<Test>::NoFeedback
		);
		assert_ok!(Reputation::record_feedback(&2, &1, 0, 0, b"rude".to_vec()));
		assert_noop!(
			Reputation::clear_feedback(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
		assert_ok!(Reputation::clear_feedback(RuntimeOrigin::root(), 1));
		assert!(Feedback::<Test>::get(1).is_empty());
		System::assert_last_event(Event::FeedbackCleared { who: 1, removed: 1 }.into());
	});
}

#[test]
fn leaderboard_sorts_by_score_then_observations_and_paginates() {
	build_and_execute(|| {
		Reputation::record_outcome(&1, 0, Answer, pct(10));
		Reputation::record_outcome(&2, 0, Answer, Perbill::one());
		Reputation::record_outcome(&3, 0, Answer, pct(50));
		Reputation::record_outcome(&4, 0, Answer, pct(50));
		Reputation::record_outcome(&4, 0, Answer, pct(50));
		Reputation::record_outcome(&5, 1, Answer, Perbill::one());
		let board = Reputation::leaderboard(0, Answer, 0, 10);
		assert_eq!(board.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![2, 4, 3, 1]);
		let page = Reputation::leaderboard(0, Answer, 1, 2);
		assert_eq!(page.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![4, 3]);
		assert!(Reputation::leaderboard(0, Judgement, 0, 10).is_empty());
	});
}

#[test]
fn try_state_detects_self_feedback() {
	new_test_ext().execute_with(|| {
		assert_ok!(Reputation::record_feedback(&2, &1, 0, 0, b"ok".to_vec()));
		assert_ok!(Reputation::do_try_state());
		Feedback::<Test>::mutate(1, |r| r[0].from = 1);
		assert!(Reputation::do_try_state().is_err());
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(5_000))]

	/// The EMA stays in [0, 1], between the old value and the observation.
	#[test]
	fn ema_stays_in_range(alpha in 0u32..=1_000_000_000, old in 0u32..=1_000_000_000, x in 0u32..=1_000_000_000) {
		let (a, o, x) = (Perbill::from_parts(alpha), Perbill::from_parts(old), Perbill::from_parts(x));
		let new = Reputation::ema(a, o, x);
		prop_assert!(new <= Perbill::one());
		prop_assert!(new >= o.min(x) && new <= o.max(x));
	}

	/// Sequences of observations and idle gaps keep every score in [0, 1]; decay never
	/// crosses the initial value.
	#[test]
	fn scores_stay_in_range_under_any_history(
		steps in prop::collection::vec((0u32..=1_000_000_000, 0u64..1_000), 1..50),
	) {
		build_and_execute(|| {
			let mut block = 1;
			for (x, gap) in steps {
				block += gap;
				System::set_block_number(block);
				let before = Reputation::reputation(&1, 0, Answer);
				let new = Reputation::record_outcome(&1, 0, Answer, Perbill::from_parts(x));
				assert!(new <= Perbill::one());
				let _ = before;
				System::set_block_number(block + 10 * DECAY_PERIOD);
				let decayed = Reputation::reputation(&1, 0, Answer);
				let init = pct(50);
				assert!((new >= init && decayed >= init && decayed <= new) || (new < init && decayed < init && decayed >= new) || decayed == init);
			}
		});
	}
}
