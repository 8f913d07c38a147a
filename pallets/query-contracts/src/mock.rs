//! Test runtime for `pallet_llmnet_query_contracts`: balances, the real staking and reputation
//! pallets, and this pallet.
#![allow(clippy::arithmetic_side_effects)]

use crate::{
	self as pallet_llmnet_query_contracts,
	pallet::{ComparisonOf, PeerFeedbackOf},
	types::*,
};
use frame::{
	arithmetic::{FixedU128, Perbill, Percent},
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
	pub type Reputation = pallet_llmnet_reputation;
	#[runtime::pallet_index(4)]
	pub type QueryContracts = pallet_llmnet_query_contracts;
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
	pub static Alpha: Perbill = Perbill::from_percent(80);
	pub static ExplorationBelow: u32 = 3;
	pub static MaxPairObservations: u32 = 4;
	pub const Initial: Perbill = Perbill::from_percent(50);
	pub const Keep: Perbill = Perbill::from_percent(90);
	pub BtTolerance: FixedU128 = FixedU128::from_inner(1_000_000_000);
	pub BtPrior: FixedU128 = FixedU128::from_rational(1, 10);
	pub const JudgeFloor: Perbill = Perbill::from_percent(5);
	pub const RankRatio: Perbill = Perbill::from_percent(50);
	pub const MissedSlash: Perbill = Perbill::from_percent(10);
	pub static MaxDue: u32 = 4;
	pub static QueryFee: Balance = 0;
	pub static SelectionScan: u32 = 32;
	pub static CommitteeScan: u32 = 32;
	pub static MaxLeaders: u32 = 4;
	pub const MaxQuality: Percent = Percent::from_percent(80);
}

/// Blocks before announced terms apply.
pub const TERMS_DELAY: u64 = 3;
/// Pay per answer under which a query moves no reputation.
pub const OBSERVATION_FLOOR: Balance = 50;

pallet_llmnet_staking::impl_test_config!(Test);

impl pallet_llmnet_reputation::Config for Test {
	type Alpha = Alpha;
	type InitialReputation = Initial;
	type DecayPeriod = ConstU64<0>;
	type DecayKeep = Keep;
	type MaxFeedback = ConstU32<8>;
	type MaxFeedbackLen = ConstU32<32>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
}

pub const DEPOSIT: Balance = 10;
pub const MIN_BUDGET: Balance = 100;

impl pallet_llmnet_query_contracts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Staking;
	type Reputation = Reputation;
	type QueryDeposit = ConstU128<DEPOSIT>;
	type MinBudget = ConstU128<MIN_BUDGET>;
	type MaxPromptLen = ConstU32<64>;
	type MaxAnswerLen = ConstU32<32>;
	type KeptAnswerLen = ConstU32<8>;
	type MaxJustificationLen = ConstU32<16>;
	type MaxRationaleLen = ConstU32<16>;
	type MaxFeedbackLen = ConstU32<32>;
	type MaxRespondents = ConstU32<16>;
	type MaxExtraJudges = ConstU32<4>;
	type MaxValidators = ConstU32<3>;
	type MaxComparisons = ConstU32<120>;
	type MaxDebateRounds = ConstU32<3>;
	type MinPhaseLength = ConstU64<1>;
	type MaxPhaseLength = ConstU64<100>;
	type MaxBtIterations = ConstU32<32>;
	type BtTolerance = BtTolerance;
	type BtPrior = BtPrior;
	type JudgeWeightFloor = JudgeFloor;
	type RankRatio = RankRatio;
	type MissedDeadlineSlash = MissedSlash;
	type SelectionScan = SelectionScan;
	type CommitteeScan = CommitteeScan;
	type MaxLeaders = MaxLeaders;
	type StakeSaturation = ConstU128<10_000>;
	type ExplorationBelow = ExplorationBelow;
	type MaxDuePerBlock = MaxDue;
	type MaxReadyPerBlock = MaxDue;
	type DefaultMinPhase = ConstU64<2>;
	type TermsDelay = ConstU64<TERMS_DELAY>;
	type QueryFee = QueryFee;
	type MaxQualityThreshold = MaxQuality;
	type ObservationFloor = ConstU128<OBSERVATION_FLOOR>;
	type MaxPairObservations = MaxPairObservations;
	type ObservationPeriod = ConstU64<1_000>;
	type MaxRatersPerProvider = ConstU32<8>;
	type OffchainWorker = ();
	type WeightInfo = ();
}

/// The requester (rich, not a node).
pub const REQUESTER: AccountId = 100;
/// A provider that is also a coordinator.
pub const COORD: AccountId = 1;
/// Validators (validator role only).
pub const VALIDATORS: [AccountId; 3] = [20, 21, 22];
/// A provider of another domain only.
pub const OUTSIDER: AccountId = 30;
/// Provider bond.
pub const BOND: Balance = 1_000;
/// Domain `math` (all providers).
pub const MATH: u32 = 0;

/// Genesis: providers 1..=8 in `math` (1 also coordinator), validators 20..=22, provider 30
/// in `code` only; everyone holds 100_000, the requester 1_000_000.
#[derive(Default)]
pub struct ExtBuilder {
	providers: Option<u64>,
	extra: Vec<AccountId>,
}

impl ExtBuilder {
	/// Only providers `1..=n` in `math`.
	pub fn providers(mut self, n: u64) -> Self {
		self.providers = Some(n);
		self
	}

	/// Also these providers in `math` (funded like the others, bond `BOND`).
	pub fn extra_providers(mut self, who: Vec<AccountId>) -> Self {
		self.extra = who;
		self
	}

	pub fn build(self) -> TestState {
		let mut storage = GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> = (1..=40).map(|a| (a, 100_000)).collect();
		balances.push((REQUESTER, 1_000_000));
		balances.extend(self.extra.iter().map(|a| (*a, 100_000)));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut nodes = Vec::new();
		for who in 1..=self.providers.unwrap_or(8) {
			let roles = if who == COORD { Roles::PROVIDER_COORDINATOR } else { Roles::PROVIDER };
			nodes.push((who, roles, vec![MATH], b"model".to_vec(), BOND));
		}
		for who in &self.extra {
			nodes.push((*who, Roles::PROVIDER, vec![MATH], b"model".to_vec(), BOND));
		}
		for v in VALIDATORS {
			nodes.push((
				v,
				Roles::VALIDATOR,
				vec![MATH],
				b"judge".to_vec(),
				200 * (v as u128 - 19),
			));
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

	/// Build, run `f`, then check every pallet's invariants.
	pub fn build_and_execute(self, f: impl FnOnce()) {
		SEALED.with(|s| s.borrow_mut().clear());
		SEALED_SCORES.with(|s| s.borrow_mut().clear());
		self.build().execute_with(|| {
			f();
			check_invariants();
		});
	}
}

/// `try_state` of all three LLM-Net pallets.
pub fn check_invariants() {
	QueryContracts::do_try_state().expect("query-contracts invariants hold");
	Staking::do_try_state().expect("staking invariants hold");
	Reputation::do_try_state().expect("reputation invariants hold");
}

/// Advance block by block to `n`, running this pallet's `on_finalize` at the end of each
/// block and `on_initialize` at the start of the next.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		QueryContracts::on_finalize(System::block_number());
		let next = System::block_number() + 1;
		// A new block starts with no weight used (as `System::initialize` does).
		frame_system::BlockWeight::<Test>::kill();
		System::set_block_number(next);
		System::set_parent_hash(H256::repeat_byte(next as u8));
		QueryContracts::on_initialize(next);
		reveal_sealed();
	}
}

/// A judgement committed through the tests' `judge` helpers, not revealed yet: (query, judge,
/// comparisons, feedback); revealed with salt `[judge; 32]`.
pub type Sealed = (QueryId, AccountId, Vec<ComparisonOf<Test>>, Vec<PeerFeedbackOf<Test>>);

std::thread_local! {
	/// The sealed judgements the tests committed, revealed by [`run_to_block`] in the first
	/// block of their query's `RevealingJudgements` phase (as a provider's worker would).
	pub static SEALED: core::cell::RefCell<Vec<Sealed>> = const { core::cell::RefCell::new(Vec::new()) };
	/// The sealed scores the tests committed (query, validator, score), revealed in the first
	/// block of `RevealingValidations` with the note `ok` and salt `[validator; 32]`.
	pub static SEALED_SCORES: core::cell::RefCell<Vec<(QueryId, AccountId, Percent)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Reveal every sealed judgement whose query is revealing judgements now.
pub fn reveal_sealed() {
	let due: Vec<Sealed> = SEALED.with(|s| {
		let mut s = s.borrow_mut();
		let (due, keep): (Vec<Sealed>, Vec<Sealed>) = s.drain(..).partition(|(id, ..)| {
			crate::Queries::<Test>::get(id).is_some_and(|q| q.phase == Phase::RevealingJudgements)
		});
		*s = keep;
		due
	});
	let scores: Vec<(QueryId, AccountId, Percent)> = SEALED_SCORES.with(|s| {
		let mut s = s.borrow_mut();
		let (due, keep): (Vec<_>, Vec<_>) = s.drain(..).partition(|(id, ..)| {
			crate::Queries::<Test>::get(id).is_some_and(|q| q.phase == Phase::RevealingValidations)
		});
		*s = keep;
		due
	});
	for (id, who, score) in scores {
		frame::testing_prelude::assert_ok!(QueryContracts::validate(
			RuntimeOrigin::signed(who),
			id,
			score,
			b"ok".to_vec().try_into().unwrap(),
			[who as u8; 32],
		));
	}
	for (id, who, c, f) in due {
		frame::testing_prelude::assert_ok!(QueryContracts::judge(
			RuntimeOrigin::signed(who),
			id,
			c.try_into().unwrap(),
			f.try_into().unwrap(),
			[who as u8; 32],
		));
	}
}

/// Forget (never reveal) `who`'s sealed judgement of `id`.
pub fn forget_sealed(id: QueryId, who: AccountId) {
	SEALED.with(|s| s.borrow_mut().retain(|x| (x.0, x.1) != (id, who)));
}

/// The events of this pallet so far.
pub fn query_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::QueryContracts(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Phase lengths of 5 blocks each.
pub fn phases() -> PhaseLengths<u64> {
	PhaseLengths {
		selecting: 5,
		committing: 5,
		revealing: 5,
		debating: 5,
		judging: 5,
		validating: 5,
	}
}

/// Terms asking nothing, accepting phases of 2 blocks (the default terms).
pub fn terms() -> ProviderTerms<Balance, u64> {
	ProviderTerms { answer: 0, comparison: 0, validation: 0, min_phase: 2 }
}

/// Swarm parameters with `n` respondents and the default shares, named coordinator `COORD`.
pub fn swarm(n: u8) -> QueryParams<AccountId, u64> {
	QueryParams {
		mode: Mode::Swarm,
		respondents: n,
		extra_judges: 0,
		validators: 0,
		phases: phases(),
		shares: RewardShares::default(),
		answer_payout: AnswerPayout::Proportional,
		aggregation: Aggregation::BradleyTerry,
		quality_threshold: Percent::from_percent(50),
		coordinator: Some(COORD),
	}
}
