//! Test runtime for `pallet_llmnet_staking`: balances, the pallet, and an `ExtBuilder`.

use crate::{self as pallet_llmnet_staking, Roles};
use core::cell::RefCell;
use frame::{
	deps::{frame_support::weights::constants::RocksDbWeight, frame_system::GenesisConfig},
	prelude::*,
	runtime::prelude::*,
	testing_prelude::*,
	traits::{fungible, OnUnbalanced},
};
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

thread_local! {
	/// Total slashed funds received by the `OnSlash` handler.
	pub static SLASHED: RefCell<Balance> = const { RefCell::new(0) };
}

/// Records slashed credit, then drops it (burnt).
pub struct RecordSlash;
impl OnUnbalanced<fungible::Credit<AccountId, Balances>> for RecordSlash {
	fn on_nonzero_unbalanced(credit: fungible::Credit<AccountId, Balances>) {
		use frame::traits::Imbalance;
		SLASHED.with(|s| {
			let mut total = s.borrow_mut();
			*total = total.saturating_add(credit.peek());
		});
	}
}

parameter_types! {
	pub const StakingPalletId: PalletId = PalletId(*b"llm/stak");
	pub static RequireCapability: bool = true;
	pub static RewardVesting: u64 = 0;
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
}

pub const MIN_PROVIDER_BOND: Balance = 100;
pub const MIN_VALIDATOR_BOND: Balance = 200;
pub const MIN_DELEGATION: Balance = 10;
pub const UNBONDING: u64 = 10;
pub const COMMISSION_DELAY: u64 = 5;

impl pallet_llmnet_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = RecordSlash;
	type PalletId = StakingPalletId;
	type DomainOrigin = EnsureRoot<AccountId>;
	type CapabilityOrigin = EnsureRoot<AccountId>;
	type MaxDomains = ConstU32<8>;
	type MaxDomainNameLen = ConstU32<16>;
	type MaxDomainsPerNode = ConstU32<3>;
	type MaxNodesPerDomain = ConstU32<4>;
	type MaxModelLen = ConstU32<16>;
	type MaxDescriptionLen = ConstU32<32>;
	type MinProviderBond = ConstU128<MIN_PROVIDER_BOND>;
	type MinValidatorBond = ConstU128<MIN_VALIDATOR_BOND>;
	type MinDelegation = ConstU128<MIN_DELEGATION>;
	type MaxDelegationsPerDelegator = ConstU32<2>;
	type MaxUnlockChunks = ConstU32<3>;
	type UnbondingPeriod = ConstU64<UNBONDING>;
	type MaxCommission = MaxCommission;
	type CommissionChangeDelay = ConstU64<COMMISSION_DELAY>;
	type RequireCapability = RequireCapability;
	type CapabilityValidity = ConstU64<10_000_000>;
	type RewardVesting = RewardVesting;
	type WeightInfo = ();
}

/// Accounts 1..=9 hold 10_000 each; 100 holds 1_000_000 (a reward payer).
pub const ENDOWMENT: Balance = 10_000;
pub const PAYER: AccountId = 100;

/// Domains at genesis: 0 `math`, 1 `code`, 2 `law`.
#[derive(Default)]
pub struct ExtBuilder {
	nodes: Vec<(AccountId, Roles, Vec<u32>, Balance)>,
}

impl ExtBuilder {
	/// Register a provider at genesis (capable in its domains).
	pub fn with_node(
		mut self,
		who: AccountId,
		roles: Roles,
		domains: Vec<u32>,
		bond: Balance,
	) -> Self {
		self.nodes.push((who, roles, domains, bond));
		self
	}

	pub fn build(self) -> TestState {
		let mut storage = GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> = (1..=9).map(|a| (a, ENDOWMENT)).collect();
		balances.push((PAYER, 1_000_000));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_llmnet_staking::GenesisConfig::<Test> {
			domains: vec![b"math".to_vec(), b"code".to_vec(), b"law".to_vec()],
			nodes: self
				.nodes
				.into_iter()
				.map(|(who, roles, domains, bond)| (who, roles, domains, b"model".to_vec(), bond))
				.collect(),
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext: TestState = storage.into();
		ext.execute_with(|| System::set_block_number(1));
		SLASHED.with(|s| *s.borrow_mut() = 0);
		ext
	}

	/// Build, run `f`, then check the pallet's invariants.
	pub fn build_and_execute(self, f: impl FnOnce()) {
		self.build().execute_with(|| {
			f();
			Staking::do_try_state().expect("try_state invariants hold after the test");
		});
	}
}

/// Advance to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// The events of this pallet so far.
pub fn staking_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Staking(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn new_test_ext() -> TestState {
	ExtBuilder::default().build()
}
