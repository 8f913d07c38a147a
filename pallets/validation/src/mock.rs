//! Test runtime for `pallet_llmnet_validation`: balances, the real staking pallet, and this
//! pallet.
#![allow(clippy::arithmetic_side_effects)]

use crate::{self as pallet_llmnet_validation};
use frame::{
	arithmetic::{FixedU128, Perbill},
	deps::{frame_support::weights::constants::RocksDbWeight, frame_system::GenesisConfig},
	prelude::*,
	runtime::prelude::*,
	testing_prelude::*,
	traits::Hooks,
};
use pallet_llmnet_staking::Roles;
use polkadot_sdk::pallet_balances;

pub type AccountId = u64;
pub type Balance = u128;

#[frame_construct_runtime]
mod test_runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Staking = pallet_llmnet_staking;
	#[runtime::pallet_index(3)]
	pub type Validation = pallet_llmnet_validation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Nonce = u64;
	type Block = MockBlock<Test>;
	type DbWeight = RocksDbWeight;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const FinalShare: Perbill = Perbill::from_percent(20);
	pub const Gamma: Perbill = Perbill::from_percent(20);
	pub const RankRatio: Perbill = Perbill::from_percent(50);
	pub Alpha: FixedU128 = FixedU128::one();
	pub Beta: FixedU128 = FixedU128::one();
	pub Lambda: FixedU128 = FixedU128::from_u32(10);
	pub const ChallengeSlash: Perbill = Perbill::from_percent(10);
	pub Quorum: Perbill = Perbill::from_rational(1u32, 3u32);
	pub static MaxDue: u32 = 4;
}

pallet_llmnet_staking::impl_test_config!(Test);

pub const DEPOSIT: Balance = 10;
pub const MIN_POOL: Balance = 1_000;
pub const MIN_BOND: Balance = 50;
pub const SUBMISSION_DEPOSIT: Balance = 5;
pub const REPORT_BOND: Balance = 3;
pub const CAL_DEPOSIT: Balance = 25;
pub const CALIBRANT_DEPOSIT: Balance = 4;
pub const COOLDOWN: u64 = 20;

impl pallet_llmnet_validation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Staking;
	type TaskDeposit = ConstU128<DEPOSIT>;
	type MinPool = ConstU128<MIN_POOL>;
	type MinChallengeBond = ConstU128<MIN_BOND>;
	type SubmissionDeposit = ConstU128<SUBMISSION_DEPOSIT>;
	type ReportBond = ConstU128<REPORT_BOND>;
	type MaxUriLen = ConstU32<64>;
	type MaxReasonLen = ConstU32<32>;
	type MaxSubmissions = ConstU32<8>;
	type MaxReports = ConstU32<12>;
	type MaxVoters = ConstU32<12>;
	type MaxEpochs = ConstU32<10>;
	type MinWindow = ConstU64<1>;
	type MaxWindow = ConstU64<100>;
	type FinalShare = FinalShare;
	type SplitGamma = Gamma;
	type RankRatio = RankRatio;
	type NodeStakeExponent = Alpha;
	type ValidatorStakeExponent = Beta;
	type DistanceSensitivity = Lambda;
	type ChallengeSlash = ChallengeSlash;
	type ChallengeQuorum = Quorum;
	type MinResponseWindow = ConstU64<2>;
	type UnbondingPeriod = ConstU64<10>;
	type MaxElectorate = ConstU32<64>;
	type MaxDuePerBlock = MaxDue;
	type CalibrationOrigin = EnsureRoot<AccountId>;
	type CalibrationDeposit = ConstU128<CAL_DEPOSIT>;
	type CalibrantDeposit = ConstU128<CALIBRANT_DEPOSIT>;
	type MaxQuestions = ConstU32<8>;
	type MaxQuestionLen = ConstU32<32>;
	type MaxCalibrationAnswerLen = ConstU32<16>;
	type MaxCalibrants = ConstU32<4>;
	type MaxOpenCalibrations = ConstU32<2>;
	type MaxSignedCalibrations = ConstU32<1>;
	type CalibrationCooldown = ConstU64<COOLDOWN>;
	type OffchainWorker = ();
	type WeightInfo = ();
}

/// The task creator (rich, not a node).
pub const CREATOR: AccountId = 100;
/// Training nodes (providers of `math`), bond 1_000 each.
pub const NODES: [AccountId; 4] = [1, 2, 3, 4];
/// Ten validators of `math`, bonds 200, 300, ..., 1_100.
pub const VALIDATORS: [AccountId; 10] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
/// A provider of `code` only.
pub const OUTSIDER: AccountId = 30;
/// Anyone (no role).
pub const ANYONE: AccountId = 40;
/// Provider bond.
pub const BOND: Balance = 1_000;
/// Domain `math`.
pub const MATH: u32 = 0;

/// Genesis: nodes 1..=4 and validators 10..=19 in `math`, provider 30 in `code`; everyone holds
/// 100_000, the creator 1_000_000.
pub fn new_test_ext() -> TestState {
	let mut storage = GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> = (1..=40).map(|a| (a, 100_000)).collect();
	balances.push((CREATOR, 1_000_000));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut nodes = Vec::new();
	for who in NODES {
		nodes.push((who, Roles::PROVIDER, vec![MATH], b"model".to_vec(), BOND));
	}
	for v in VALIDATORS {
		nodes.push((v, Roles::VALIDATOR, vec![MATH], b"judge".to_vec(), 100 * (v as u128 - 8)));
	}
	nodes.push((OUTSIDER, Roles::PROVIDER, vec![1], b"coder".to_vec(), BOND));
	pallet_llmnet_staking::GenesisConfig::<Test> {
		domains: vec![b"math".to_vec(), b"code".to_vec()],
		nodes,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: TestState = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Build, run `f`, then check the invariants of this pallet and of staking.
pub fn build_and_execute(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		check_invariants();
	});
}

pub fn check_invariants() {
	Validation::do_try_state().expect("validation invariants hold");
	Staking::do_try_state().expect("staking invariants hold");
}

/// Advance block by block to `n`, running this pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Validation::on_initialize(next);
	}
}

/// The events of this pallet so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Validation(e) => Some(e),
			_ => None,
		})
		.collect()
}
