//! Benchmark set-up the pallets built on staking share (query contracts, validation): a fresh
//! domain, and a node registered in it, bonded and capable. Only with `runtime-benchmarks`.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crate::{pallet::*, types::Roles, DomainId};
use alloc::vec;
use frame::prelude::*;
use llmnet_primitives::{CapabilityStatus, NodeRegistry};

/// A fresh active domain (`bench-<id>`); its id.
pub fn new_domain<T: Config>() -> DomainId {
	let n = NextDomainId::<T>::get();
	let mut name = b"bench-".to_vec();
	name.extend(n.to_le_bytes());
	Pallet::<T>::do_register_domain(name.try_into().unwrap()).unwrap()
}

/// Register `who` (funded in the staking currency) with `roles` in `domain`, bonded ten times
/// the larger minimum bond, and make it capable there.
pub fn register_capable<T: Config>(who: &T::AccountId, roles: Roles, domain: DomainId) {
	let bond = T::MinProviderBond::get().max(T::MinValidatorBond::get()) * 10u32.into();
	Pallet::<T>::do_register(
		who,
		roles,
		vec![domain],
		b"model".to_vec(),
		b"description".to_vec(),
		bond,
	)
	.unwrap();
	<Pallet<T> as NodeRegistry<_, _, _>>::set_capability(
		who,
		domain,
		CapabilityStatus::Capable { since: 0u32.into() },
	);
}

/// Give `node` a delegation pool whose reward is still vesting (the slow branch of `reward`
/// and `slash`: pool account, `Pools`, `PoolVesting`): a delegator (account `delegator`/`i`,
/// funded here) delegates ten times the minimum, then the node earns a reward.
pub fn with_pool<T: Config>(node: &T::AccountId, i: u32) {
	use frame::traits::fungible::{Inspect, Mutate};
	let amount = T::MinDelegation::get().max(1u32.into()) * 10u32.into();
	let delegator: T::AccountId = frame::benchmarking::prelude::account("delegator", i, 0);
	let payer: T::AccountId = frame::benchmarking::prelude::account("payer", i, 0);
	let fund = (amount + T::Currency::minimum_balance()) * 100u32.into();
	T::Currency::set_balance(&delegator, fund);
	T::Currency::set_balance(&payer, fund);
	Pallet::<T>::do_delegate(&delegator, node, amount).unwrap();
	<Pallet<T> as NodeRegistry<_, _, _>>::reward(&payer, node, amount).unwrap();
	assert!(Pools::<T>::contains_key(node));
}

/// Take `who` out of `domain`'s node lists (`DomainNodes`, `DomainNodeAt`) while it keeps
/// declaring the domain: a benchmark's way to leave a sample of the domain to other nodes.
pub fn unlist<T: Config>(who: &T::AccountId, domain: DomainId) {
	Pallet::<T>::leave_domains(who, &[domain]);
}
