//! What the pallets' workers share: the driver trait their `offchain_worker` hooks call,
//! offchain local storage keys, and the endpoint lookup.

use crate::EndpointConfig;
use alloc::vec::Vec;
use frame::deps::{sp_core::offchain::StorageKind, sp_io};

/// Log target of the workers.
pub const LOG_TARGET: &str = "llmnet::ocw";

/// What a pallet's `offchain_worker` hook runs (the runtime picks a worker; tests and chains
/// without workers use `()`).
pub trait OffchainDriver<BlockNumber> {
	/// Run for the block `now`.
	fn run(now: BlockNumber);
}

impl<B> OffchainDriver<B> for () {
	fn run(_now: B) {}
}

/// An offchain local storage key: `llmnet::` then the parts joined by `::`.
pub fn key(parts: &[&[u8]]) -> Vec<u8> {
	let mut k = b"llmnet::".to_vec();
	for (i, p) in parts.iter().enumerate() {
		if i > 0 {
			k.extend_from_slice(b"::");
		}
		k.extend_from_slice(p);
	}
	k
}

/// The endpoint of `account` (its SCALE-encoded id): its override, else the node-wide one.
pub fn endpoint_for(account: &[u8]) -> Option<EndpointConfig> {
	// Raw bytes as `offchain_localStorageSet` wrote them (a SCALE `EndpointConfig`).
	let raw = |k: &[u8]| sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, k);
	let bytes = raw(&crate::config::endpoint_key_for(account))
		.or_else(|| raw(crate::config::ENDPOINT_KEY))?;
	match EndpointConfig::from_stored(&bytes) {
		Ok(c) => Some(c),
		Err(e) => {
			log::warn!(target: LOG_TARGET, "endpoint configuration rejected: {e:?}");
			None
		}
	}
}
