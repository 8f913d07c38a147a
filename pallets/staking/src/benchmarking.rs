//! Benchmarks for `pallet_llmnet_staking` (frame-benchmarking v2). Each one runs the worst
//! case of its call.

use super::*;
use frame::benchmarking::prelude::*;

fn name_of(i: u32, len: u32) -> Vec<u8> {
	// A maximal-length, unique name.
	let mut name = i.to_le_bytes().to_vec();
	name.resize(len as usize, b'x');
	name
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_domain() -> Result<(), BenchmarkError> {
		let max = T::MaxDomains::get();
		// Fill the registry to one below the cap so the new id is the last allowed.
		// Genesis may have registered some already.
		while NextDomainId::<T>::get() < max.saturating_sub(1) {
			let i = NextDomainId::<T>::get();
			let name = name_of(i, T::MaxDomainNameLen::get())
				.try_into()
				.map_err(|_| BenchmarkError::Stop("MaxDomainNameLen shorter than 4 bytes"))?;
			Pallet::<T>::do_register_domain(name)?;
		}
		let origin =
			T::DomainOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name = name_of(u32::MAX, T::MaxDomainNameLen::get());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name);

		assert_eq!(NextDomainId::<T>::get(), max);
		Ok(())
	}

	#[benchmark]
	fn retire_domain() -> Result<(), BenchmarkError> {
		let name = name_of(0, T::MaxDomainNameLen::get())
			.try_into()
			.map_err(|_| BenchmarkError::Stop("MaxDomainNameLen shorter than 4 bytes"))?;
		let id = Pallet::<T>::do_register_domain(name)?;
		let origin =
			T::DomainOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!Pallet::<T>::is_active_domain(id));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
