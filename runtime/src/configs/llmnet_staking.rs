//! `pallet_llmnet_staking`: the LLM-Net domain registry (and, next, providers and delegation).

use crate::{AccountId, Runtime};
use polkadot_sdk::*;

use frame_support::traits::ConstU32;
use frame_system::EnsureRoot;

impl pallet_llmnet_staking::Config for Runtime {
	type DomainOrigin = EnsureRoot<AccountId>;
	type MaxDomains = ConstU32<256>;
	type MaxDomainNameLen = ConstU32<32>;
	type WeightInfo = pallet_llmnet_staking::weights::SubstrateWeight<Runtime>;
}
