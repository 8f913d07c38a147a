//! `pallet_llmnet_query_contracts`: query contracts with commit-reveal answers, debate,
//! pairwise judging, on-chain Bradley-Terry consensus and settlement.

use crate::{
	Balance, Balances, BlockNumber, LlmnetReputation, LlmnetStaking, Runtime, RuntimeHoldReason,
	DAYS, HOURS, UNIT,
};
use polkadot_sdk::*;

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::{FixedU128, Perbill, Percent};

parameter_types! {
	/// Held while a query record exists (returned by `reap`).
	pub const QueryDeposit: Balance = UNIT;
	/// The smallest budget.
	pub const MinQueryBudget: Balance = UNIT;
	/// Phases last at least two blocks (one for the transactions, one for the transition).
	pub const MinPhaseLength: BlockNumber = 2;
	/// Phases last at most 8 hours, so the longest query (15 phases with 5 debate rounds)
	/// ends within the unbonding period and stake backing its work is still slashable
	/// (AUDIT M1; `try-runtime/tests/constants.rs`).
	pub const MaxPhaseLength: BlockNumber = 8 * HOURS;
	/// Bradley-Terry stops when no score moves by more than 1e-9 of itself.
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
	/// A provider that declared no terms accepts work phases of 10 blocks (two minutes at
	/// 12 s: an LLM call plus inclusion, with room for a slow block).
	pub const DefaultMinPhase: BlockNumber = 10;
	/// New terms apply after 50 blocks (longer than a typical selection phase).
	pub const TermsDelay: BlockNumber = 50;
	/// Burned from the requester at every `create_query`.
	pub const QueryFee: Balance = UNIT / 100;
	/// Requesters may not demand more than 80 % from the validators.
	pub const MaxQualityThreshold: Percent = Percent::from_percent(80);
	/// Queries paying under 0.1 LLMN per answer move no reputation.
	pub const ObservationFloor: Balance = UNIT / 10;
	/// One requester's queries give one provider at most 10 reputation observations a day
	/// (AUDIT H8: a requester paying its own providers to rate them).
	pub const MaxPairObservations: u32 = 10;
	pub const ObservationPeriod: BlockNumber = DAYS;
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
	// A settled query keeps its candidates cut to this (docs/protocol-choices.md, spec 7).
	type KeptAnswerLen = ConstU32<256>;
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
	type MaxBtIterations = ConstU32<32>;
	type BtTolerance = BtTolerance;
	type BtPrior = BtPrior;
	type JudgeWeightFloor = JudgeWeightFloor;
	type RankRatio = RankRatio;
	type MissedDeadlineSlash = MissedDeadlineSlash;
	type SelectionScan = ConstU32<64>;
	/// Keeps the hooks' worst case (a full committee drawn in a settling transition, four
	/// due per block) within half a block (`try-runtime/tests/constants.rs`).
	type CommitteeScan = ConstU32<16>;
	/// The domain's best-scored providers, in every selection pool besides its sample.
	type MaxLeaders = ConstU32<16>;
	type StakeSaturation = StakeSaturation;
	type ExplorationBelow = ConstU32<3>;
	type MaxDuePerBlock = ConstU32<4>;
	// Phases completed within a block, moved on at its end while the block has room.
	type MaxReadyPerBlock = ConstU32<16>;
	type DefaultMinPhase = DefaultMinPhase;
	type TermsDelay = TermsDelay;
	type QueryFee = QueryFee;
	type MaxQualityThreshold = MaxQualityThreshold;
	type ObservationFloor = ObservationFloor;
	type MaxPairObservations = MaxPairObservations;
	type ObservationPeriod = ObservationPeriod;
	// 64 requesters x (32 + 4 + 4) bytes: a 2.5 KB record per provider.
	type MaxRatersPerProvider = ConstU32<64>;
	// Provider nodes run the worker for their `llmn` keys; it does nothing without them.
	type OffchainWorker = pallet_llmnet_query_contracts::offchain::Worker<
		Runtime,
		llmnet_ocw::crypto::ProviderAuthId,
	>;
	type WeightInfo = pallet_llmnet_query_contracts::weights::SubstrateWeight<Runtime>;
}
