//! The providers' off-chain worker for proof of capability (PROTOCOL sections 5 and 7): for
//! every local `llmn` key, answer the open calibration rounds of its domains through its LLM
//! endpoint (one call per question), commit, and reveal from the secret kept in persistent
//! local storage (a restarted node still reveals).
//!
//! The same discipline as the query worker (`pallet_llmnet_query_contracts::offchain`): a
//! per-account lock (its own key, so the two workers never wait on each other), a *prepared*
//! call and a *submitted* marker per (round, action, account), retries after
//! [`RETRY_BLOCKS`], and one transaction per account per block across both workers
//! ([`llmnet_ocw::store::claim_tx_slot`]: workers of one block sign against the same state, so
//! a second transaction would reuse the account's nonce).

use crate::{calibration::CalibrationAction, pallet::*, types::*, LOG_TARGET};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame::{
	deps::{
		sp_io,
		sp_runtime::offchain::{
			storage::StorageValueRef,
			storage_lock::{StorageLock, Time},
			Duration,
		},
	},
	prelude::*,
};
use llmnet_ocw::{
	chat, parse, prompts,
	store::{claim_tx_slot, endpoint_for, key},
	EndpointConfig, OffchainDriver,
};
use pallet_llmnet_staking::traits::NodeRegistry;

/// Blocks after which a submitted action that the chain still lists is submitted again.
pub const RETRY_BLOCKS: u32 = 8;
/// How much longer than one LLM call's deadline the per-account lock lasts (it is extended
/// after every question).
pub const LOCK_MARGIN_MS: u64 = 10_000;

/// The calibration worker, signing with the app crypto `C` (key type `llmn`).
pub struct Worker<T, C>(PhantomData<(T, C)>);

/// Salt and answers of a calibration commitment, kept for the reveal.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct CalibrationSecret {
	/// The salt.
	pub salt: [u8; 32],
	/// The committed answers.
	pub answers: Vec<Vec<u8>>,
}

/// Where the secret of `who` in round `id` is kept.
pub fn secret_key(id: CalibrationId, who: &[u8]) -> Vec<u8> {
	key(&[b"calibration-secret", &id.to_le_bytes(), who])
}

impl<T, C> OffchainDriver<BlockNumberFor<T>> for Worker<T, C>
where
	T: Config + CreateSignedTransaction<Call<T>>,
	C: AppCrypto<T::Public, T::Signature>,
{
	fn run(now: BlockNumberFor<T>) {
		let signer = Signer::<T, C>::all_accounts();
		let accounts: Vec<Account<T>> = signer.accounts_from_keys().collect();
		for account in accounts {
			Self::run_for(&signer, &account, now);
		}
	}
}

impl<T, C> Worker<T, C>
where
	T: Config + CreateSignedTransaction<Call<T>>,
	C: AppCrypto<T::Public, T::Signature>,
{
	fn run_for(signer: &Signer<T, C, ForAll>, account: &Account<T>, now: BlockNumberFor<T>) {
		let who = account.id.clone();
		let work = Pallet::<T>::calibration_work(&who);
		if work.is_empty() {
			return;
		}
		let id_bytes = who.encode();
		let Some(config) = endpoint_for(&id_bytes) else {
			log::warn!(target: LOG_TARGET, "ocw: no LLM endpoint configured for {who:?}; {} calibration items wait", work.len());
			return;
		};
		let lock_key = key(&[b"calibration-lock", &id_bytes]);
		let lock_ms = config.timeout_ms.saturating_add(LOCK_MARGIN_MS);
		let mut lock =
			StorageLock::<Time>::with_deadline(&lock_key, Duration::from_millis(lock_ms));
		let Ok(mut guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "ocw: another run serves {who:?}");
			return;
		};
		let now_u32: u32 = now.saturated_into();
		for (id, action) in work {
			let tag: &[u8] = match action {
				CalibrationAction::Commit => b"commit",
				CalibrationAction::Reveal => b"reveal",
			};
			let item_key =
				|kind: &[u8]| key(&[kind, b"calibration", &id.to_le_bytes(), tag, &id_bytes]);
			let submitted_key = item_key(b"submitted");
			let submitted = StorageValueRef::persistent(&submitted_key);
			if let Ok(Some(at)) = submitted.get::<u32>() {
				if now_u32 < at.saturating_add(RETRY_BLOCKS) {
					continue;
				}
			}
			let prepared_key = item_key(b"prepared");
			let prepared = StorageValueRef::persistent(&prepared_key);
			let call = match prepared
				.get::<Vec<u8>>()
				.ok()
				.flatten()
				.and_then(|b| Call::<T>::decode(&mut &b[..]).ok())
			{
				Some(call) => call,
				None => match Self::prepare(&who, &id_bytes, id, action, &config, &mut || {
					let _ = guard.extend_lock();
				}) {
					Ok(call) => {
						prepared.set(&call.encode());
						call
					}
					Err(why) => {
						submitted.set(&now_u32);
						log::warn!(target: LOG_TARGET, "ocw: calibration {id} {action:?} for {who:?} skipped: {why}");
						continue;
					}
				},
			};
			// One transaction per account per block across the workers of all pallets (they
			// sign against the same state, so a second one would reuse the nonce).
			if !claim_tx_slot(&id_bytes, now_u32) {
				log::debug!(target: LOG_TARGET, "ocw: {who:?} already sent a transaction at block {now_u32}; the prepared call waits");
				return;
			}
			match signer.send_single_signed_transaction(account, call) {
				Some(Ok(())) => {
					submitted.set(&now_u32);
					log::info!(target: LOG_TARGET, "ocw: submitted calibration {action:?} of round {id} as {who:?}");
					return;
				}
				_ => {
					log::warn!(target: LOG_TARGET, "ocw: submission of calibration {action:?} of round {id} failed; retry next block")
				}
			}
		}
	}

	/// Answer the questions (commit) or read the stored secret (reveal).
	fn prepare(
		who: &T::AccountId,
		id_bytes: &[u8],
		id: CalibrationId,
		action: CalibrationAction,
		config: &EndpointConfig,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Call<T>, &'static str> {
		let c = Calibrations::<T>::get(id).ok_or("round gone")?;
		let secret_at = secret_key(id, id_bytes);
		let secret = StorageValueRef::persistent(&secret_at);
		match action {
			CalibrationAction::Commit => {
				let domain = T::Registry::domain_name(c.domain);
				let max = T::MaxCalibrationAnswerLen::get() as usize;
				let mut answers = Vec::with_capacity(c.questions.len());
				for q in c.questions.iter() {
					let reply = chat(config, &prompts::calibration(&domain, q)).map_err(|e| {
						log::warn!(target: LOG_TARGET, "ocw: LLM call failed: {e:?}");
						"LLM call failed"
					})?;
					keep_lock();
					// An unusable reply is an empty (wrong) answer, not a reason to give up.
					answers.push(parse::answer(&reply, max).unwrap_or_default());
				}
				let salt = sp_io::offchain::random_seed();
				let commitment = Pallet::<T>::calibration_commitment_of(id, who, &answers, &salt);
				secret.set(&CalibrationSecret { salt, answers });
				Ok(Call::commit_calibration { calibration: id, commitment })
			}
			CalibrationAction::Reveal => {
				let s = secret
					.get::<CalibrationSecret>()
					.ok()
					.flatten()
					.ok_or("secret of the commitment lost")?;
				let answers: Vec<BoundedVec<u8, T::MaxCalibrationAnswerLen>> = s
					.answers
					.into_iter()
					.map(|a| a.try_into().map_err(|_| "answer too long"))
					.collect::<Result<_, _>>()?;
				Ok(Call::reveal_calibration {
					calibration: id,
					answers: answers.try_into().map_err(|_| "too many answers")?,
					salt: s.salt,
				})
			}
		}
	}
}
