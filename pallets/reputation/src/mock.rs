//! Test runtime for `pallet_llmnet_reputation`.

use crate as pallet_llmnet_reputation;
use frame::{
	arithmetic::Perbill,
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
	pub type Reputation = pallet_llmnet_reputation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Nonce = u64;
	type Block = MockBlock<Test>;
	type DbWeight = RocksDbWeight;
}

parameter_types! {
	pub const Alpha: Perbill = Perbill::from_percent(80);
	pub const Initial: Perbill = Perbill::from_percent(50);
	pub const Keep: Perbill = Perbill::from_percent(90);
}

/// Blocks per decay step.
pub const DECAY_PERIOD: u64 = 100;

impl pallet_llmnet_reputation::Config for Test {
	type Alpha = Alpha;
	type InitialReputation = Initial;
	type DecayPeriod = ConstU64<DECAY_PERIOD>;
	type DecayKeep = Keep;
	type MaxFeedback = ConstU32<3>;
	type MaxFeedbackLen = ConstU32<32>;
	type ForceOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> TestState {
	let storage = GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext: TestState = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `f`, then check the invariants.
pub fn build_and_execute(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Reputation::do_try_state().expect("try_state invariants hold after the test");
	});
}
