//! `pallet_llmnet_staking`: LLM domains, nodes, bonds, delegation pools, rewards, slashes and
//! proof-of-capability status.

use crate::{AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS, UNIT};
use polkadot_sdk::*;

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

parameter_types! {
	/// Derives the delegation pool accounts.
	pub const StakingPalletId: PalletId = PalletId(*b"llm/stak");
	/// Providers and coordinators bond at least 100 LLMN.
	pub const MinProviderBond: Balance = 100 * UNIT;
	/// Validators bond at least 200 LLMN.
	pub const MinValidatorBond: Balance = 200 * UNIT;
	/// A delegation is at least 1 LLMN.
	pub const MinDelegation: Balance = UNIT;
	/// Bonds and delegations unbond for seven days: longer than every slashable window (the
	/// longest query, a task's challenge phase; AUDIT M1, `try-runtime/tests/constants.rs`).
	pub const UnbondingPeriod: BlockNumber = 7 * DAYS;
	/// Commission increases wait one day.
	pub const CommissionChangeDelay: BlockNumber = DAYS;
	/// Commission is at most 50 %.
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	/// A proof of capability lasts 90 days (AUDIT H2); then the provider takes a governance
	/// calibration round again (its worker does so by itself).
	pub const CapabilityValidity: BlockNumber = 90 * DAYS;
	/// Delegators' rewards vest into their pool over a day (AUDIT M2).
	pub const RewardVesting: BlockNumber = DAYS;
}

impl pallet_llmnet_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// No treasury yet: slashed funds are burnt.
	type OnSlash = ();
	type PalletId = StakingPalletId;
	type DomainOrigin = EnsureRoot<AccountId>;
	type CapabilityOrigin = EnsureRoot<AccountId>;
	type MaxDomains = ConstU32<256>;
	type MaxDomainNameLen = ConstU32<32>;
	type MaxDomainsPerNode = ConstU32<8>;
	type MaxNodesPerDomain = ConstU32<512>;
	type MaxModelLen = ConstU32<64>;
	type MaxDescriptionLen = ConstU32<256>;
	type MinProviderBond = MinProviderBond;
	type MinValidatorBond = MinValidatorBond;
	type MinDelegation = MinDelegation;
	type MaxDelegationsPerDelegator = ConstU32<16>;
	type MaxUnlockChunks = ConstU32<16>;
	type UnbondingPeriod = UnbondingPeriod;
	type MaxCommission = MaxCommission;
	type CommissionChangeDelay = CommissionChangeDelay;
	type RequireCapability = ConstBool<true>;
	type CapabilityValidity = CapabilityValidity;
	type RewardVesting = RewardVesting;
	type WeightInfo = pallet_llmnet_staking::weights::SubstrateWeight<Runtime>;
}
