//! What the pallets' workers share: the driver trait their `offchain_worker` hooks call,
//! offchain local storage keys, and the endpoint lookup.

use crate::EndpointConfig;
use alloc::vec::Vec;
use codec::{Decode, Encode};
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

/// The worker scopes of remembered secrets, one per kind of commitment. [`forget_secrets`]
/// deletes every secret of a scope its caller's predicate calls done, so two workers must
/// never share a scope (spec 11 first gave the query worker's sealed scores the validation
/// worker's scope, and the query worker deleted the validation worker's benchmark scores
/// before their reveal; `tests::scopes_are_distinct`).
pub mod scopes {
	/// The query worker's answers.
	pub const QUERY_ANSWERS: &[u8] = b"query";
	/// The query worker's sealed judgements.
	pub const QUERY_JUDGEMENTS: &[u8] = b"query-judgements";
	/// The query worker's sealed validator scores.
	pub const QUERY_SCORES: &[u8] = b"query-scores";
	/// The validation worker's scores and calibration answers.
	pub const VALIDATION: &[u8] = b"validation";
	/// Every scope.
	pub const ALL: [&[u8]; 4] = [QUERY_ANSWERS, QUERY_JUDGEMENTS, QUERY_SCORES, VALIDATION];
}

/// Most commitment secrets one account remembers per worker for deletion (the oldest is then
/// forgotten, not deleted: its reveal may still be due).
pub const MAX_PENDING_SECRETS: usize = 256;

/// A remembered secret: its storage key, and a tag the pallet's worker reads back.
type PendingSecrets = Vec<(Vec<u8>, Vec<u8>)>;

fn pending_secrets_key(scope: &[u8], account: &[u8]) -> Vec<u8> {
	key(&[b"pending-secrets", scope, account])
}

/// Remember that `secret_key` holds a commitment secret of `account` in the worker `scope`,
/// to be deleted by [`forget_secrets`] once the reveal is on chain (AUDIT M12: salts and
/// answers are not kept for ever). `tag` tells the worker which commitment it was.
pub fn remember_secret(scope: &[u8], account: &[u8], secret_key: &[u8], tag: Vec<u8>) {
	let at = pending_secrets_key(scope, account);
	let list = StorageValueRef::persistent(&at);
	let _ = list.mutate(|old: Result<Option<PendingSecrets>, _>| -> Result<_, ()> {
		let mut v = old.ok().flatten().unwrap_or_default();
		v.retain(|(k, _)| k.as_slice() != secret_key);
		let excess = v.len().saturating_add(1).saturating_sub(MAX_PENDING_SECRETS);
		v.drain(..excess);
		v.push((secret_key.to_vec(), tag));
		Ok(v)
	});
}

/// Keep `value`, a commitment secret of `account` in the worker `scope`, at `secret_key` in
/// persistent storage for its reveal (a restarted node still reveals), and remember it for
/// [`forget_secrets`] ([`remember_secret`] with `tag`).
pub fn keep_secret<V: Encode>(
	scope: &[u8],
	account: &[u8],
	secret_key: &[u8],
	tag: Vec<u8>,
	value: &V,
) {
	StorageValueRef::persistent(secret_key).set(value);
	remember_secret(scope, account, secret_key, tag);
}

/// The commitment secret kept at `secret_key` by [`keep_secret`], if it is there and decodes.
pub fn kept_secret<V: Decode>(secret_key: &[u8]) -> Option<V> {
	StorageValueRef::persistent(secret_key).get::<V>().ok().flatten()
}

/// Delete every remembered secret of `account` in `scope` whose tag `done` says is no longer
/// needed (revealed, or its query or task is over); how many were deleted.
pub fn forget_secrets(scope: &[u8], account: &[u8], done: impl Fn(&[u8]) -> bool) -> usize {
	let at = pending_secrets_key(scope, account);
	let list = StorageValueRef::persistent(&at);
	let Ok(Some(v)) = list.get::<PendingSecrets>() else {
		return 0;
	};
	let (gone, keep): (PendingSecrets, PendingSecrets) =
		v.into_iter().partition(|(_, tag)| done(tag));
	for (k, _) in &gone {
		StorageValueRef::persistent(k).clear();
	}
	if !gone.is_empty() {
		list.set(&keep);
	}
	gone.len()
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	#[test]
	fn scopes_are_distinct() {
		for (i, a) in scopes::ALL.iter().enumerate() {
			for b in scopes::ALL.iter().skip(i + 1) {
				assert_ne!(a, b);
			}
		}
	}
	use frame::deps::sp_core::offchain::{
		testing::TestOffchainExt, OffchainDbExt, OffchainWorkerExt,
	};

	/// Externalities with offchain local storage (also the driver's tests').
	pub(crate) fn offchain_ext() -> sp_io::TestExternalities {
		let (offchain, _state) = TestOffchainExt::new();
		let mut ext = sp_io::TestExternalities::default();
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(OffchainWorkerExt::new(offchain));
		ext
	}

	#[test]
	fn one_transaction_slot_per_account_per_block() {
		offchain_ext().execute_with(|| {
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

	#[test]
	fn secrets_are_deleted_once_done_and_the_list_is_bounded() {
		offchain_ext().execute_with(|| {
			let stored = |k: &[u8]| StorageValueRef::persistent(k).get::<u32>().ok().flatten();
			for i in 0..3u32 {
				StorageValueRef::persistent(&i.to_le_bytes()).set(&i);
				remember_secret(b"q", b"alice", &i.to_le_bytes(), vec![i as u8]);
			}
			// Another account's list is its own.
			assert_eq!(forget_secrets(b"q", b"bob", |_| true), 0);
			// Tag 1 is done: its secret goes, the others stay.
			assert_eq!(forget_secrets(b"q", b"alice", |tag| tag == [1]), 1);
			assert_eq!((stored(&0u32.to_le_bytes()), stored(&1u32.to_le_bytes())), (Some(0), None));
			assert_eq!(stored(&2u32.to_le_bytes()), Some(2));
			assert_eq!(forget_secrets(b"q", b"alice", |tag| tag == [1]), 0);
			// Bounded: the oldest entries are forgotten (not deleted) past the limit.
			for i in 0..MAX_PENDING_SECRETS as u32 + 5 {
				remember_secret(b"q", b"alice", &(1000 + i).to_le_bytes(), vec![]);
			}
			let list = StorageValueRef::persistent(&pending_secrets_key(b"q", b"alice"))
				.get::<PendingSecrets>()
				.unwrap()
				.unwrap();
			assert_eq!(list.len(), MAX_PENDING_SECRETS);
			assert_eq!(forget_secrets(b"q", b"alice", |_| true), MAX_PENDING_SECRETS);
			assert_eq!(stored(&0u32.to_le_bytes()), Some(0), "forgotten, not deleted");
		});
	}
}
