//! What the pallets' workers share: the driver trait their `offchain_worker` hooks call,
//! offchain local storage keys, and the endpoint lookup.

use crate::EndpointConfig;
use alloc::vec::Vec;
use frame::deps::{
	sp_core::offchain::StorageKind,
	sp_io,
	sp_runtime::offchain::storage::{MutateStorageError, StorageValueRef},
};

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

/// Claim `account`'s (its SCALE-encoded id) one transaction of the block `now`, for every
/// worker of every pallet: the workers of one block sign against the same state, so a second
/// transaction would reuse the nonce and be dropped by the pool. `false` when another worker
/// already sent one at `now` (the caller keeps its call prepared and sends it in a later
/// block). Atomic (compare-and-set on persistent local storage).
pub fn claim_tx_slot(account: &[u8], now: u32) -> bool {
	let slot = key(&[b"tx-slot", account]);
	let claimed =
		StorageValueRef::persistent(&slot).mutate(|last: Result<Option<u32>, _>| match last {
			Ok(Some(block)) if block == now => Err(()),
			_ => Ok(now),
		});
	match claimed {
		Ok(_) => true,
		Err(MutateStorageError::ValueFunctionFailed(())) => false,
		// Another thread wrote between read and write: it sent, this one waits.
		Err(MutateStorageError::ConcurrentModification(_)) => false,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame::deps::sp_core::offchain::{
		testing::TestOffchainExt, OffchainDbExt, OffchainWorkerExt,
	};

	#[test]
	fn one_transaction_slot_per_account_per_block() {
		let (offchain, _state) = TestOffchainExt::new();
		let mut ext = sp_io::TestExternalities::default();
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(OffchainWorkerExt::new(offchain));
		ext.execute_with(|| {
			assert!(claim_tx_slot(b"alice", 5));
			// The second worker of block 5 waits.
			assert!(!claim_tx_slot(b"alice", 5));
			// Other accounts have their own slot.
			assert!(claim_tx_slot(b"bob", 5));
			// The next block frees it, once.
			assert!(claim_tx_slot(b"alice", 6));
			assert!(!claim_tx_slot(b"alice", 6));
		});
	}
}
