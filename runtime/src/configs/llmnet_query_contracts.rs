//! `pallet_llmnet_query_contracts`: query contracts with commit-reveal answers, debate,
//! pairwise judging, on-chain Bradley-Terry consensus and settlement.

use crate::{
	Balance, Balances, BlockNumber, LlmnetReputation, LlmnetStaking, Runtime, RuntimeHoldReason,
	DAYS, UNIT,
};
use polkadot_sdk::*;

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::{FixedU128, Perbill};

parameter_types! {
	/// Held while a query record exists (returned by `reap`).
	pub const QueryDeposit: Balance = UNIT;
	/// The smallest budget.
	pub const MinQueryBudget: Balance = UNIT;
	/// Phases last at least two blocks (one for the transactions, one for the transition).
	pub const MinPhaseLength: BlockNumber = 2;
	/// Phases last at most a week.
	pub const MaxPhaseLength: BlockNumber = 7 * DAYS;
	/// Bradley-Terry stops when no score moves by more than 1e-9.
	pub BtTolerance: FixedU128 = FixedU128::from_inner(1_000_000_000);
	/// One tenth of a virtual win and loss per candidate.
	pub BtPrior: FixedU128 = FixedU128::from_rational(1, 10);
	/// A judge weighs at least 5 % whatever its judgement reputation.
	pub const JudgeWeightFloor: Perbill = Perbill::from_percent(5);
	/// Geometric rank series ratio 1/2.
	pub const RankRatio: Perbill = Perbill::from_percent(50);
	/// A missed commit or reveal costs 1 % of the bond (and of the delegations).
	pub const MissedDeadlineSlash: Perbill = Perbill::from_percent(1);
	/// Automatic selection's stake factor saturates at 10,000 LLMN.
	pub const StakeSaturation: Balance = 10_000 * UNIT;
}

impl pallet_llmnet_query_contracts::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = LlmnetStaking;
	type Reputation = LlmnetReputation;
	type QueryDeposit = QueryDeposit;
	type MinBudget = MinQueryBudget;
	type MaxPromptLen = ConstU32<4096>;
	type MaxAnswerLen = ConstU32<4096>;
	type MaxJustificationLen = ConstU32<512>;
	type MaxRationaleLen = ConstU32<512>;
	// The reputation pallet's `MaxFeedbackLen`.
	type MaxFeedbackLen = ConstU32<512>;
	type MaxRespondents = ConstU32<16>;
	type MaxExtraJudges = ConstU32<8>;
	type MaxValidators = ConstU32<8>;
	// Every pair of 16 candidates.
	type MaxComparisons = ConstU32<120>;
	type MaxDebateRounds = ConstU32<5>;
	type MinPhaseLength = MinPhaseLength;
	type MaxPhaseLength = MaxPhaseLength;
	type MaxBtIterations = ConstU32<50>;
	type BtTolerance = BtTolerance;
	type BtPrior = BtPrior;
	type JudgeWeightFloor = JudgeWeightFloor;
	type RankRatio = RankRatio;
	type MissedDeadlineSlash = MissedDeadlineSlash;
	type SelectionScan = ConstU32<64>;
	type StakeSaturation = StakeSaturation;
	type ExplorationBelow = ConstU32<3>;
	type MaxDuePerBlock = ConstU32<4>;
	// Provider nodes run the worker for their `llmn` keys; it does nothing without them.
	type OffchainWorker = pallet_llmnet_query_contracts::offchain::Worker<
		Runtime,
		llmnet_ocw::crypto::ProviderAuthId,
	>;
	type WeightInfo = pallet_llmnet_query_contracts::weights::SubstrateWeight<Runtime>;
}
