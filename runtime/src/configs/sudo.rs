//! `pallet_sudo`: a root key for test networks (Alice on the dev chain).

use crate::{Runtime, RuntimeCall, RuntimeEvent};
use polkadot_sdk::*;

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = ();
}
