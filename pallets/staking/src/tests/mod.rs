//! Unit tests of `pallet_llmnet_staking`: one file per feature. Every test runs through
//! `ExtBuilder::build_and_execute`, which checks `try_state` at the end.
#![allow(clippy::arithmetic_side_effects)]

mod attacks;
mod delegation;
mod domains;
mod migrations;
mod properties;
mod registration;
mod rewards_slashes;

use crate::{mock::*, Roles};
use frame::testing_prelude::*;

/// Register `who` as a provider in `domains` with `bond` through the extrinsic.
pub fn register_provider(who: AccountId, domains: Vec<u32>, bond: Balance) {
	assert_ok!(Staking::register(
		RuntimeOrigin::signed(who),
		Roles::PROVIDER,
		domains.try_into().unwrap(),
		b"llama".to_vec().try_into().unwrap(),
		b"math tutor".to_vec().try_into().unwrap(),
		bond
	));
}

/// Free balance of `who`.
pub fn free(who: AccountId) -> Balance {
	use frame::traits::fungible::Inspect;
	Balances::balance(&who)
}
