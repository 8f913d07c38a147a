//! `pallet_timestamp`: the block time, driven by Aura.

use crate::{Aura, Runtime};
use polkadot_sdk::*;

use frame_support::traits::ConstU64;

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<0>;
	type WeightInfo = ();
}
