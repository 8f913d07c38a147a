//! Benchmarks for `pallet_llmnet_reputation`, worst cases asserted.

use super::*;

use alloc::vec;
use frame::benchmarking::prelude::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn force_set_reputation() -> Result<(), BenchmarkError> {
		let who: T::AccountId = account("node", 0, 0);
		Pallet::<T>::record_outcome(&who, 0, ReputationKind::Answer, Perbill::one());
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), 0, ReputationKind::Answer, Perbill::zero());
		assert_eq!(Pallet::<T>::reputation_view(who, 0, ReputationKind::Answer).observations, 1);
		Ok(())
	}

	#[benchmark]
	fn clear_feedback() -> Result<(), BenchmarkError> {
		// Worst case: a full ring of maximal texts.
		let who: T::AccountId = account("node", 0, 0);
		let from: T::AccountId = account("peer", 0, 0);
		for q in 0..T::MaxFeedback::get() {
			Pallet::<T>::record_feedback(
				&from,
				&who,
				q.into(),
				0,
				vec![b'x'; T::MaxFeedbackLen::get() as usize],
			)?;
		}
		assert_eq!(Feedback::<T>::get(&who).len() as u32, T::MaxFeedback::get());
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Feedback::<T>::get(&who).is_empty());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
