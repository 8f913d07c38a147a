//! `pallet_llmnet_validation`: tasks with AIArena validation phases and decentralized
//! benchmark evaluation.

use crate::{
	Balance, Balances, BlockNumber, LlmnetStaking, Runtime, RuntimeHoldReason, DAYS, HOURS, UNIT,
};
use polkadot_sdk::*;

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{FixedU128, Perbill};

parameter_types! {
	/// Held while a task record exists (returned by `reap`).
	pub const TaskDeposit: Balance = UNIT;
	/// The smallest reward pool.
	pub const MinTaskPool: Balance = 10 * UNIT;
	/// The smallest challenge bond.
	pub const MinChallengeBond: Balance = UNIT;
	pub const SubmissionDeposit: Balance = UNIT;
	pub const ReportBond: Balance = UNIT;
	/// Windows last at least two blocks (one for the transactions, one for the transition).
	pub const MinWindow: BlockNumber = 2;
	/// Windows last at most a week.
	pub const MaxWindow: BlockNumber = 7 * DAYS;
	/// A fifth of the pool vests in the final validation (AIArena's Reward B).
	pub const FinalShare: Perbill = Perbill::from_percent(20);
	/// gamma: a tenth of each round to each side, the rest by stake.
	pub const SplitGamma: Perbill = Perbill::from_percent(20);
	/// Geometric rank series ratio 1/2.
	pub const TaskRankRatio: Perbill = Perbill::from_percent(50);
	/// alpha = 1: node rewards proportional to stake within a rank weight.
	pub NodeStakeExponent: FixedU128 = FixedU128::from_u32(1);
	/// beta = 1.
	pub ValidatorStakeExponent: FixedU128 = FixedU128::from_u32(1);
	/// lambda = 10: a validator 10 points (0.1) off the consensus weighs e^-1 of an exact one.
	pub DistanceSensitivity: FixedU128 = FixedU128::from_u32(10);
	/// An upheld challenge costs the node 10 % of its bond and delegations.
	pub const ChallengeSlash: Perbill = Perbill::from_percent(10);
	/// Upholding a challenge takes a third of the domain's validator stake (AUDIT H1).
	pub ChallengeQuorum: Perbill = Perbill::from_rational(1u32, 3u32);
	/// A node has at least ten blocks (a minute) to answer a challenge: a training task's
	/// challenge phase lasts at least 30 blocks (AUDIT C1). Creators choose longer phases;
	/// nodes see the lengths before they submit.
	pub const MinResponseWindow: BlockNumber = 10;
	/// Held from a signed calibration round's creator until it reveals the key.
	pub const CalibrationDeposit: Balance = 10 * UNIT;
	/// A calibrant's deposit (AUDIT H3): back when it reveals, burned when it does not.
	pub const CalibrantDeposit: Balance = UNIT;
	/// A provider that failed calibration waits an hour (on 6-second blocks) for its next
	/// round.
	pub const CalibrationCooldown: BlockNumber = HOURS;
}

impl pallet_llmnet_validation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = LlmnetStaking;
	type TaskDeposit = TaskDeposit;
	type MinPool = MinTaskPool;
	type MinChallengeBond = MinChallengeBond;
	type SubmissionDeposit = SubmissionDeposit;
	type ReportBond = ReportBond;
	type MaxUriLen = ConstU32<256>;
	type MaxReasonLen = ConstU32<512>;
	type MaxSubmissions = ConstU32<32>;
	type MaxReports = ConstU32<32>;
	type MaxVoters = ConstU32<32>;
	type MaxEpochs = ConstU32<30>;
	type MinWindow = MinWindow;
	type MaxWindow = MaxWindow;
	type FinalShare = FinalShare;
	type SplitGamma = SplitGamma;
	type RankRatio = TaskRankRatio;
	type NodeStakeExponent = NodeStakeExponent;
	type ValidatorStakeExponent = ValidatorStakeExponent;
	type DistanceSensitivity = DistanceSensitivity;
	type ChallengeSlash = ChallengeSlash;
	type ChallengeQuorum = ChallengeQuorum;
	type MinResponseWindow = MinResponseWindow;
	type UnbondingPeriod = <Runtime as pallet_llmnet_staking::Config>::UnbondingPeriod;
	type MaxElectorate = <Runtime as pallet_llmnet_staking::Config>::MaxNodesPerDomain;
	type MaxDuePerBlock = ConstU32<4>;
	type CalibrationOrigin = EnsureRoot<crate::AccountId>;
	type CalibrationDeposit = CalibrationDeposit;
	type CalibrantDeposit = CalibrantDeposit;
	type MaxQuestions = ConstU32<32>;
	type MaxQuestionLen = ConstU32<512>;
	type MaxCalibrationAnswerLen = ConstU32<64>;
	type MaxCalibrants = ConstU32<32>;
	type MaxOpenCalibrations = ConstU32<16>;
	type MaxSignedCalibrations = ConstU32<8>;
	type CalibrationCooldown = CalibrationCooldown;
	// Provider nodes answer calibration rounds for their `llmn` keys.
	type OffchainWorker =
		pallet_llmnet_validation::offchain::Worker<Runtime, llmnet_ocw::crypto::ProviderAuthId>;
	type WeightInfo = pallet_llmnet_validation::weights::SubstrateWeight<Runtime>;
}
