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
