//! `pallet_llmnet_reputation`: EMA reputations and text peer feedback.

use crate::{AccountId, BlockNumber, Runtime, DAYS};
use polkadot_sdk::*;

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

parameter_types! {
	/// Weight of the old value in the EMA.
	pub const ReputationAlpha: Perbill = Perbill::from_percent(80);
	/// Score of newcomers.
	pub const InitialReputation: Perbill = Perbill::from_percent(50);
	/// One decay step per idle day.
	pub const ReputationDecayPeriod: BlockNumber = DAYS;
	/// Each idle day keeps 95 % of the deviation from the initial score.
	pub const ReputationDecayKeep: Perbill = Perbill::from_percent(95);
}

impl pallet_llmnet_reputation::Config for Runtime {
	type Alpha = ReputationAlpha;
	type InitialReputation = InitialReputation;
	type DecayPeriod = ReputationDecayPeriod;
	type DecayKeep = ReputationDecayKeep;
	type MaxFeedback = ConstU32<32>;
	type MaxFeedbackLen = ConstU32<512>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = pallet_llmnet_reputation::weights::SubstrateWeight<Runtime>;
}
