//! `pallet_authorship`: who authored a block, for collator rewards.

use crate::{Aura, CollatorSelection, Runtime};
use polkadot_sdk::*;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = (CollatorSelection,);
}
