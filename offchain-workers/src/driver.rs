//! The run loop every pallet's worker shares: for one local account, take its pending work
//! items in order, prepare each once (the LLM calls), keep the prepared call, and submit up to
//! [`MAX_TX_PER_RUN`] signed transactions per account per block, all from one worker run.
//!
//! Once-only and restarts: per account a lock in offchain local storage keeps overlapping runs
//! apart (it expires one LLM deadline plus [`LOCK_MARGIN_MS`] after its last extension, so a
//! node killed mid-call is not locked out after a restart); per (item, account) a *prepared*
//! call (the LLM's result, encoded) and a *submitted* marker make each item cost its LLM calls
//! once and be submitted once (again after [`RESEND_BLOCKS`] if the chain still lists it: a
//! transaction dropped by the pool or included in a block that a collator fork retracted). An
//! item whose preparation failed (an unusable LLM reply) gets a *failed* marker and is tried
//! again after [`RETRY_BLOCKS`], not every block: that costs LLM calls, a resend does not. The
//! transaction slot is shared by the workers of all pallets ([`claim_tx_slot`]): one worker run per account and block signs. Its
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

/// Blocks after which a submitted item that the chain still lists is submitted again (its
/// prepared call, no LLM call). A transaction is normally in the next block, so an item still
/// listed two blocks later was lost: dropped by the pool, or included in a block that a
/// collator fork retracted (on spec 13 the network test's Debate lost 9 and 16 blocks this
/// way with a resend after 8). A copy sent while the first is still pending clashes with it
/// on the nonce and is refused by the pool; a copy of a call already included fails with the
/// pallet's error and its fee.
pub const RESEND_BLOCKS: u32 = 3;
/// Blocks after which an item whose preparation failed (an unusable LLM reply, an endpoint
/// down) is tried again: each try costs LLM calls.
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
		let (submitted_key, failed_key) = (item_key(b"submitted"), item_key(b"failed"));
		let submitted = StorageValueRef::persistent(&submitted_key);
		let resend = match submitted.get::<u32>() {
			Ok(Some(at)) if now < at.saturating_add(RESEND_BLOCKS) => continue,
			Ok(Some(_)) => true,
			_ => false,
		};
		let mut failed = StorageValueRef::persistent(&failed_key);
		if let Ok(Some(at)) = failed.get::<u32>() {
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
						failed.clear();
						call
					}
					Err(why) => {
						// Back off: the same item is tried again after `RETRY_BLOCKS`.
						failed.set(&now);
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
			let what = if resend { "resubmitted" } else { "submitted" };
			log::info!(target: LOG_TARGET, "ocw: {what} {item:?} as {who:?}");
			continue;
		}
		if resend {
			// Most likely the first copy is still pending (same nonce): wait `RESEND_BLOCKS`
			// again rather than clash with it every block.
			submitted.set(&now);
			log::info!(target: LOG_TARGET, "ocw: resending {item:?} refused (the first copy may be pending); again in {RESEND_BLOCKS} blocks");
			return;
		}
		log::warn!(target: LOG_TARGET, "ocw: submission of {item:?} failed; retry next block");
		return;
	}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;
	use crate::config::ENDPOINT_KEY;
	use crate::store::tests::offchain_ext;
	use frame::deps::{sp_core::offchain::StorageKind, sp_io};

	#[derive(Debug)]
	struct Item(u8);

	impl PendingItem for Item {
		fn tag(&self) -> Vec<u8> {
			key(&[b"test", &[self.0]])
		}
	}

	/// Externalities with offchain local storage and a node-wide endpoint.
	fn ext() -> sp_io::TestExternalities {
		let mut ext = offchain_ext();
		ext.execute_with(|| {
			let config = EndpointConfig {
				base_url: b"http://127.0.0.1:8080".to_vec(),
				model: b"m".to_vec(),
				api_key: Vec::new(),
				timeout_ms: 1_000,
				max_tokens: 64,
				temperature_milli: 0,
			};
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				ENDPOINT_KEY,
				&config.encode(),
			);
		});
		ext
	}

	/// One worker run at block `now` whose chain lists `items`, with an LLM that replies
	/// usably if `usable` and a pool that accepts if `accepts`: the items prepared (LLM calls)
	/// and the items whose call was handed to the pool.
	fn run(now: u32, items: &[u8], usable: bool, accepts: bool) -> (Vec<u8>, Vec<u8>) {
		let (mut prepared, mut sent) = (Vec::new(), Vec::new());
		drive(
			&"alice",
			b"alice",
			b"test-lock",
			now,
			items.iter().map(|i| Item(*i)).collect(),
			|item, _, _| {
				prepared.push(item.0);
				if usable {
					Ok(item.0)
				} else {
					Err("unusable reply")
				}
			},
			|call: u8| {
				sent.push(call);
				accepts
			},
		);
		(prepared, sent)
	}

	const NONE: (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());

	#[test]
	fn a_lost_transaction_is_resent_after_resend_blocks_without_llm_calls() {
		ext().execute_with(|| {
			assert_eq!(run(10, &[1, 2], true, true), (vec![1, 2], vec![1, 2]));
			// Item 2 was included at 11; item 1 was lost (the chain still lists it).
			for now in 11..10 + RESEND_BLOCKS {
				assert_eq!(run(now, &[1], true, true), NONE, "block {now}");
			}
			// Sent again from the prepared call: no second LLM call.
			assert_eq!(run(10 + RESEND_BLOCKS, &[1], true, true), (vec![], vec![1]));
			assert_eq!(run(11 + RESEND_BLOCKS, &[1], true, true), NONE);
			assert_eq!(run(10 + 2 * RESEND_BLOCKS, &[1], true, true), (vec![], vec![1]));
		});
	}

	#[test]
	fn a_failed_preparation_is_tried_again_after_retry_blocks() {
		ext().execute_with(|| {
			assert_eq!(run(10, &[1], false, true), (vec![1], vec![]));
			// Not every block, and not after the (shorter) resend delay: LLM calls cost.
			for now in 11..10 + RETRY_BLOCKS {
				assert_eq!(run(now, &[1], true, true), NONE, "block {now}");
			}
			assert_eq!(run(10 + RETRY_BLOCKS, &[1], true, true), (vec![1], vec![1]));
			// Once sent, it follows the resend delay.
			assert_eq!(run(10 + RETRY_BLOCKS + RESEND_BLOCKS, &[1], true, true), (vec![], vec![1]));
		});
	}

	#[test]
	fn a_refused_first_send_stops_the_run_and_a_refused_resend_waits() {
		ext().execute_with(|| {
			// The pool refuses the first call: the run stops (the next call would carry the
			// following nonce, with a gap before it) and tries again next block.
			assert_eq!(run(10, &[1, 2], true, false), (vec![1], vec![1]));
			assert_eq!(run(11, &[1, 2], true, true), (vec![2], vec![1, 2]));
			// Both lost; the resend of 1 is refused (its first copy still pending): 1 waits
			// `RESEND_BLOCKS` again rather than clash every block, and the run stops.
			let at = 11 + RESEND_BLOCKS;
			assert_eq!(run(at, &[1, 2], true, false), (vec![], vec![1]));
			assert_eq!(run(at + 1, &[1, 2], true, true), (vec![], vec![2]));
			assert_eq!(run(at + RESEND_BLOCKS, &[1], true, true), (vec![], vec![1]));
		});
	}
}
