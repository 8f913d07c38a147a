//! Test runtime for `pallet_llmnet_staking`.

use crate as pallet_llmnet_staking;
use frame::{
	deps::{frame_support::weights::constants::RocksDbWeight, frame_system::GenesisConfig},
	prelude::*,
	runtime::prelude::*,
	testing_prelude::*,
};

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
	pub type LlmnetStaking = pallet_llmnet_staking;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Nonce = u64;
	type Block = MockBlock<Test>;
	type DbWeight = RocksDbWeight;
}

impl pallet_llmnet_staking::Config for Test {
	type DomainOrigin = EnsureRoot<u64>;
	type MaxDomains = ConstU32<8>;
	type MaxDomainNameLen = ConstU32<16>;
	type WeightInfo = ();
}

/// Externalities with the domains `math` (0) and `code` (1) registered at genesis.
pub fn new_test_ext() -> TestState {
	let mut storage = GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_llmnet_staking::GenesisConfig::<Test> {
		domains: vec![b"math".to_vec(), b"code".to_vec()],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: TestState = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `f` in fresh externalities, then check the pallet's invariants.
pub fn run_test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		LlmnetStaking::do_try_state().expect("try_state invariants hold after the test");
	});
}
