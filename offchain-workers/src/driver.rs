//! The run loop every pallet's worker shares: for one local account, take its pending work
//! items in order, prepare each once (the LLM calls), keep the prepared call, and submit up to
//! [`MAX_TX_PER_RUN`] signed transactions per account per block, all from one worker run.
//!
//! Once-only and restarts: per account a lock in offchain local storage keeps overlapping runs
//! apart (it expires one LLM deadline plus [`LOCK_MARGIN_MS`] after its last extension, so a
//! node killed mid-call is not locked out after a restart); per (item, account) a *prepared*
//! call (the LLM's result, encoded) and a *submitted* marker make each item cost its LLM calls
//! once and be submitted once (again after [`RETRY_BLOCKS`] if the chain still lists it, e.g.
//! a dropped transaction). An item whose preparation failed (an unusable LLM reply) is tried
//! again after [`RETRY_BLOCKS`], not every block. The transaction slot is shared by the
//! workers of all pallets ([`claim_tx_slot`]): one worker run per account and block signs. Its
//! transactions take consecutive nonces: `frame_system`'s signer counts each submission up in
//! the run's (never persisted) state, so the first takes the account's nonce of the block and
//! each next one the following nonce (issue 18: before, one transaction per account per block
//! bounded five providers to about 27 queries a minute). A transaction the next block does not
//! include leaves the following run's signatures clashing with it in the pool: those are
//! refused and retried, not lost.

use crate::{
	store::{claim_tx_slot, endpoint_for, key, LOG_TARGET},
	EndpointConfig,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::fmt::Debug;
use frame::deps::sp_runtime::offchain::{
	storage::StorageValueRef,
	storage_lock::{StorageLock, Time},
	Duration,
};

/// Blocks after which a submitted item that the chain still lists is submitted again, and
/// after which an item whose preparation failed is tried again.
pub const RETRY_BLOCKS: u32 = 8;
/// How much longer than one LLM call's deadline the per-account lock lasts (it is extended
/// after every LLM call).
pub const LOCK_MARGIN_MS: u64 = 10_000;
/// Most transactions one account's worker run submits (one block's worth of its work).
pub const MAX_TX_PER_RUN: usize = 16;

/// A piece of work a worker can prepare and submit.
pub trait PendingItem: Debug {
	/// Its local-storage tag, unique per item and action (for example
	/// `key(&[query id, b"commit"])`).
	fn tag(&self) -> Vec<u8>;
}

/// Serve `items` of the account whose SCALE-encoded id is `account` (`who` for the logs) at
/// block `now`, under the lock named `lock`: `prepare` builds an item's call (calling its
/// `keep_lock` argument after each LLM call), `send` signs and submits a call (`true` once
/// it is in the pool).
pub fn drive<I, C>(
	who: &dyn Debug,
	account: &[u8],
	lock: &[u8],
	now: u32,
	items: Vec<I>,
	mut prepare: impl FnMut(&I, &EndpointConfig, &mut dyn FnMut()) -> Result<C, &'static str>,
	mut send: impl FnMut(C) -> bool,
) where
	I: PendingItem,
	C: Encode + Decode,
{
	if items.is_empty() {
		return;
	}
	let Some(config) = endpoint_for(account) else {
		log::warn!(target: LOG_TARGET, "ocw: no LLM endpoint configured for {who:?}; {} items wait", items.len());
		return;
	};
	let lock_key = key(&[lock, account]);
	let lock_ms = config.timeout_ms.saturating_add(LOCK_MARGIN_MS);
	let mut lock = StorageLock::<Time>::with_deadline(&lock_key, Duration::from_millis(lock_ms));
	let Ok(mut guard) = lock.try_lock() else {
		log::debug!(target: LOG_TARGET, "ocw: another run serves {who:?}");
		return;
	};
	let mut sent = 0usize;
	for item in items {
		if sent >= MAX_TX_PER_RUN {
			return;
		}
		let tag = item.tag();
		let item_key = |kind: &[u8]| key(&[kind, &tag, account]);
		let submitted_key = item_key(b"submitted");
		let submitted = StorageValueRef::persistent(&submitted_key);
		if let Ok(Some(at)) = submitted.get::<u32>() {
			if now < at.saturating_add(RETRY_BLOCKS) {
				continue;
			}
		}
		let prepared_key = item_key(b"prepared");
		let prepared = StorageValueRef::persistent(&prepared_key);
		let call = match prepared
			.get::<Vec<u8>>()
			.ok()
			.flatten()
			.and_then(|b| C::decode(&mut &b[..]).ok())
		{
			Some(call) => call,
			None => {
				let made = prepare(&item, &config, &mut || {
					let _ = guard.extend_lock();
				});
				let _ = guard.extend_lock();
				match made {
					Ok(call) => {
						prepared.set(&call.encode());
						call
					}
					Err(why) => {
						// Back off: the same item is tried again after `RETRY_BLOCKS`.
						submitted.set(&now);
						log::warn!(target: LOG_TARGET, "ocw: {item:?} for {who:?} skipped: {why}");
						continue;
					}
				}
			}
		};
		// The block's slot is claimed once, by this run's first transaction; another run (of
		// this or another pallet's worker) in the same block waits for the next.
		if sent == 0 && !claim_tx_slot(account, now) {
			log::debug!(target: LOG_TARGET, "ocw: {who:?} already sent a transaction at block {now}; the prepared call waits");
			return;
		}
		if send(call) {
			submitted.set(&now);
			sent = sent.saturating_add(1);
			log::info!(target: LOG_TARGET, "ocw: submitted {item:?} as {who:?}");
			continue;
		}
		log::warn!(target: LOG_TARGET, "ocw: submission of {item:?} failed; retry next block");
		return;
	}
}
