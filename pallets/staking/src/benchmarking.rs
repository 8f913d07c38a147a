//! Benchmarks for `pallet_llmnet_staking` (frame-benchmarking v2). Each runs the worst case
//! of its call and asserts that it did.

use super::*;
use crate::traits::NodeRegistry;
use alloc::{vec, vec::Vec};
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, Mutate},
};

/// `v` as a call argument bounded by `S`.
fn bounded<X, S: Get<u32>>(v: Vec<X>) -> Result<BoundedVec<X, S>, BenchmarkError> {
	v.try_into().map_err(|_| BenchmarkError::Stop("argument over its bound"))
}

fn name_of(i: u32, len: u32) -> Vec<u8> {
	let mut name = i.to_le_bytes().to_vec();
	name.resize(len as usize, b'x');
	name
}

/// Make sure `n` domains exist; their ids.
fn domains<T: Config>(n: u32) -> Result<Vec<DomainId>, BenchmarkError> {
	while NextDomainId::<T>::get() < n {
		let name = name_of(NextDomainId::<T>::get(), T::MaxDomainNameLen::get())
			.try_into()
			.map_err(|_| BenchmarkError::Stop("MaxDomainNameLen below 4"))?;
		Pallet::<T>::do_register_domain(name)?;
	}
	Ok((0..n).collect())
}

fn bond<T: Config>() -> BalanceOf<T> {
	T::MinProviderBond::get()
		.max(T::MinValidatorBond::get())
		.max(T::Currency::minimum_balance())
		.saturating_mul(10u32.into())
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, bond::<T>().saturating_mul(1_000u32.into()));
	who
}

fn all_roles() -> Roles {
	Roles { provider: true, coordinator: true, validator: true }
}

fn node<T: Config>(i: u32, d: u32) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("node", i);
	let ds = domains::<T>(d.max(1))?;
	Pallet::<T>::do_register(
		&who,
		all_roles(),
		ds,
		vec![b'm'; T::MaxModelLen::get() as usize],
		vec![b'd'; T::MaxDescriptionLen::get() as usize],
		bond::<T>(),
	)?;
	Ok(who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_domain() -> Result<(), BenchmarkError> {
		let max = T::MaxDomains::get();
		domains::<T>(max.saturating_sub(1))?;
		let origin =
			T::DomainOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name = bounded(name_of(u32::MAX, T::MaxDomainNameLen::get()))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name);
		assert_eq!(NextDomainId::<T>::get(), max);
		Ok(())
	}

	#[benchmark]
	fn retire_domain() -> Result<(), BenchmarkError> {
		domains::<T>(1)?;
		let origin =
			T::DomainOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0);
		assert!(!Pallet::<T>::is_active_domain(0));
		Ok(())
	}

	#[benchmark]
	fn register(d: Linear<1, { T::MaxDomainsPerNode::get() }>) -> Result<(), BenchmarkError> {
		let ds = domains::<T>(d)?;
		let who = funded::<T>("caller", 0);
		let (domains, model, description) = (
			bounded(ds)?,
			bounded(vec![b'm'; T::MaxModelLen::get() as usize])?,
			bounded(vec![b'd'; T::MaxDescriptionLen::get() as usize])?,
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), all_roles(), domains, model, description, bond::<T>());
		assert_eq!(Nodes::<T>::get(&who).map(|n| n.domains.len() as u32), Some(d));
		Ok(())
	}

	#[benchmark]
	fn update_profile(d: Linear<1, { T::MaxDomainsPerNode::get() }>) -> Result<(), BenchmarkError> {
		// Worst case: leave `d` domains and join `d` others.
		let who = node::<T>(0, d)?;
		let all = domains::<T>(d.saturating_mul(2))?;
		let new: Vec<DomainId> = all.into_iter().skip(d as usize).collect();
		let (domains, model, description) = (
			bounded(new.clone())?,
			bounded(vec![b'n'; T::MaxModelLen::get() as usize])?,
			bounded(vec![b'e'; T::MaxDescriptionLen::get() as usize])?,
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), all_roles(), domains, model, description);
		assert_eq!(Nodes::<T>::get(&who).map(|n| n.domains.into_inner()), Some(new));
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let who = node::<T>(0, 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), bond::<T>());
		assert_eq!(
			Nodes::<T>::get(&who).map(|n| n.bond),
			Some(bond::<T>().saturating_mul(2u32.into()))
		);
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let who = node::<T>(0, 1)?;
		Pallet::<T>::do_bond_extra(&who, bond::<T>())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), bond::<T>());
		assert_eq!(Unbonding::<T>::get(&who).len(), 1);
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded(
		c: Linear<1, { T::MaxUnlockChunks::get() }>,
	) -> Result<(), BenchmarkError> {
		// Worst case: `c` undelegation chunks from `c` different pools, each emptying its pool.
		let who = funded::<T>("delegator", 0);
		for i in 0..c {
			frame_system::Pallet::<T>::set_block_number(i.into());
			let n = node::<T>(i, 1)?;
			Pallet::<T>::do_delegate(&who, &n, T::MinDelegation::get().max(1u32.into()))?;
			Pallet::<T>::do_undelegate(&who, &n, bond::<T>())?;
		}
		assert_eq!(Unbonding::<T>::get(&who).len() as u32, c);
		let late =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(late);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Unbonding::<T>::get(&who).is_empty());
		assert_eq!(Pools::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn deregister(d: Linear<1, { T::MaxDomainsPerNode::get() }>) -> Result<(), BenchmarkError> {
		let who = node::<T>(0, d)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Nodes::<T>::get(&who).is_none());
		Ok(())
	}

	#[benchmark]
	fn set_commission() -> Result<(), BenchmarkError> {
		let who = node::<T>(0, 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MaxCommission::get());
		assert!(Nodes::<T>::get(&who)
			.is_some_and(|n| n.pending_commission.is_some() || T::MaxCommission::get().is_zero()));
		Ok(())
	}

	#[benchmark]
	fn delegate() -> Result<(), BenchmarkError> {
		// Worst case: a new position in an existing pool.
		let n = node::<T>(0, 1)?;
		let other = funded::<T>("delegator", 1);
		Pallet::<T>::do_delegate(&other, &n, bond::<T>())?;
		let who = funded::<T>("delegator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), n.clone(), bond::<T>());
		assert!(Delegations::<T>::contains_key(&who, &n));
		Ok(())
	}

	#[benchmark]
	fn undelegate() -> Result<(), BenchmarkError> {
		let n = node::<T>(0, 1)?;
		let who = funded::<T>("delegator", 0);
		Pallet::<T>::do_delegate(&who, &n, bond::<T>())?;
		let other = funded::<T>("delegator", 1);
		Pallet::<T>::do_delegate(&other, &n, bond::<T>())?;
		Pallet::<T>::do_undelegate(&other, &n, bond::<T>())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), n.clone(), bond::<T>());
		assert!(!Unbonding::<T>::get(&who).is_empty());
		Ok(())
	}

	#[benchmark]
	fn claim_rewards() -> Result<(), BenchmarkError> {
		let n = node::<T>(0, 1)?;
		let who = funded::<T>("delegator", 0);
		Pallet::<T>::do_delegate(&who, &n, bond::<T>())?;
		let payer = funded::<T>("payer", 0);
		Pallet::<T>::reward(&payer, &n, bond::<T>())?;
		let before = T::Currency::balance(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), n);
		assert!(T::Currency::balance(&who) > before);
		Ok(())
	}

	#[benchmark]
	fn compound() -> Result<(), BenchmarkError> {
		let n = node::<T>(0, 1)?;
		let who = funded::<T>("delegator", 0);
		Pallet::<T>::do_delegate(&who, &n, bond::<T>())?;
		let payer = funded::<T>("payer", 0);
		Pallet::<T>::reward(&payer, &n, bond::<T>())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), n.clone());
		assert!(Delegations::<T>::get(&who, &n).is_some_and(|d| d.principal > bond::<T>()));
		Ok(())
	}

	#[benchmark]
	fn set_capability() -> Result<(), BenchmarkError> {
		domains::<T>(1)?;
		let who = funded::<T>("node", 0);
		let origin =
			T::CapabilityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), 0, true);
		assert!(Pallet::<T>::is_capable(&who, 0));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
