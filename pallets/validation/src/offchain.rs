//! The off-chain worker of this pallet (PROTOCOL sections 5, 6 and 7). For every local `llmn`
//! key it does two kinds of work, both commit-then-reveal with the secret kept in persistent
//! local storage (a restarted node still reveals):
//! - **proof of capability**: answer the open calibration rounds of the key's domains through
//!   its LLM endpoint (one call per question);
//! - **evaluation tasks** (decentralized benchmark runs, seed `001_...`): as a validator of the
//!   task's domain, fetch the benchmark document at the task's spec URI (checked against the
//!   spec hash, [`llmnet_ocw::bench`]), ask each question of the model it names through the
//!   key's endpoint with a seed per (task, round, validator), and report the share of exact
//!   matches ([`benchmark_score`]) as the round's score.
//!
//! The same discipline as the query worker (`pallet_llmnet_query_contracts::offchain`): a
//! per-account lock (its own key, so the two workers never wait on each other), a *prepared*
//! call and a *submitted* marker per (round, action, account), resends after
//! [`llmnet_ocw::driver::RESEND_BLOCKS`] and retries of a failed preparation after
//! [`llmnet_ocw::driver::RETRY_BLOCKS`], and one worker run per account and block across both
//! workers ([`llmnet_ocw::store::claim_tx_slot`]: a second run would sign against the same
//! state and reuse the account's nonces).

use crate::{calibration::CalibrationAction, pallet::*, types::*, ScoreAction, LOG_TARGET};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame::{arithmetic::Perbill, deps::sp_io, hashing::blake2_256, prelude::*};
use llmnet_ocw::{
	bench, chat_with,
	driver::{drive, PendingItem},
	parse, prompts,
	store::key,
	EndpointConfig, OffchainDriver,
};
use llmnet_primitives::{canonical_answer, NodeRegistry};

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

/// Salt and score of a benchmark-run commitment, kept for the reveal.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct ScoreSecret {
	/// The salt.
	pub salt: [u8; 32],
	/// The committed score.
	pub score: Perbill,
}

/// The worker scope of this pallet's remembered secrets ([`llmnet_ocw::store::keep_secret`]).
const SECRETS: &[u8] = llmnet_ocw::store::scopes::VALIDATION;

/// Which commitment a remembered secret belongs to.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
enum SecretTag {
	/// A calibration round's answers.
	Calibration(CalibrationId),
	/// A task round's score.
	Score(TaskId, RoundIndex),
}

/// Where the secret of `who`'s score in round `round` of task `id` is kept.
pub fn score_secret_key(id: TaskId, round: RoundIndex, who: &[u8]) -> Vec<u8> {
	key(&[b"score-secret", &id.to_le_bytes(), &round.to_le_bytes(), who])
}

/// The sampling seed of `who`'s run in `round` of task `id`: distinct per run, reproducible.
pub fn run_seed(id: TaskId, round: RoundIndex, who: &[u8]) -> u64 {
	let h = blake2_256(&(b"llmnet-bench", id, round, who).encode());
	let mut b = [0u8; 8];
	b.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
	// Below 2^53: exact in the JSON numbers every server parses.
	u64::from_le_bytes(b) >> 11
}

/// The share of `replies` that match the reference `answers` exactly after normalisation
/// ([`canonical_answer`], as calibration grading); `None` for no items.
pub fn benchmark_score(answers: &[Vec<u8>], replies: &[Option<Vec<u8>>]) -> Option<Perbill> {
	if answers.is_empty() {
		return None;
	}
	let correct = answers
		.iter()
		.zip(replies.iter())
		.filter(|(a, r)| r.as_ref().is_some_and(|r| canonical_answer(r) == canonical_answer(a)))
		.count();
	Some(Perbill::from_rational(correct as u64, answers.len() as u64))
}

/// One piece of work of a local key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Work {
	/// A calibration round to answer or reveal.
	Calibration(CalibrationId, CalibrationAction),
	/// An evaluation task's round to run and commit, or reveal.
	Score(TaskId, RoundIndex, ScoreAction),
}

impl PendingItem for Work {
	/// Its local-storage tag (unique per round and action).
	fn tag(&self) -> Vec<u8> {
		match self {
			Work::Calibration(id, a) => key(&[b"calibration", &id.to_le_bytes(), a.tag()]),
			Work::Score(id, round, a) => {
				key(&[b"score", &id.to_le_bytes(), &round.to_le_bytes(), a.tag()])
			}
		}
	}
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
		// Secrets of commitments revealed on chain, or of rounds that are over, are deleted
		// (AUDIT M12).
		llmnet_ocw::store::forget_secrets(SECRETS, &who.encode(), |tag| {
			match SecretTag::decode(&mut &tag[..]) {
				Ok(SecretTag::Calibration(id)) => {
					CalibrationEntries::<T>::get(id, &who).is_none_or(|e| e.answers.is_some())
				}
				Ok(SecretTag::Score(id, round)) => Tasks::<T>::get(id).is_none_or(|t| {
					Pallet::<T>::current_round(&t) != Some(round)
						|| Reports::<T>::get(id).iter().any(|r| r.validator == who)
				}),
				Err(_) => true,
			}
		});
		let work: Vec<Work> = Pallet::<T>::calibration_work(&who)
			.into_iter()
			.map(|(id, a)| Work::Calibration(id, a))
			.chain(Pallet::<T>::task_work(&who).into_iter().map(|(id, r, a)| Work::Score(id, r, a)))
			.collect();
		let id_bytes = who.encode();
		drive(
			&who,
			&id_bytes,
			b"validation-lock",
			now.saturated_into(),
			work,
			|item, config, keep_lock| Self::prepare(&who, &id_bytes, *item, config, keep_lock),
			|call| matches!(signer.send_single_signed_transaction(account, call), Some(Ok(()))),
		);
	}

	/// The call for one piece of work.
	fn prepare(
		who: &T::AccountId,
		id_bytes: &[u8],
		work: Work,
		config: &EndpointConfig,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Call<T>, &'static str> {
		match work {
			Work::Calibration(id, action) => {
				Self::prepare_calibration(who, id_bytes, id, action, config, keep_lock)
			}
			Work::Score(id, round, action) => {
				Self::prepare_score(who, id_bytes, id, round, action, config, keep_lock)
			}
		}
	}

	/// Run the task's benchmark and commit to the score, or read the stored secret (reveal).
	fn prepare_score(
		who: &T::AccountId,
		id_bytes: &[u8],
		id: TaskId,
		round: RoundIndex,
		action: ScoreAction,
		config: &EndpointConfig,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Call<T>, &'static str> {
		let secret_at = score_secret_key(id, round, id_bytes);
		match action {
			ScoreAction::Commit => {
				let t = Tasks::<T>::get(id).ok_or("task gone")?;
				if !llmnet_ocw::net::may_fetch(&t.spec_uri, &llmnet_ocw::net::allow_list()) {
					log::warn!(target: LOG_TARGET, "ocw: benchmark of task {id} not fetched: its host is internal and not on this node's allow-list (llmnet::spec-hosts)");
					return Err("task document host not allowed");
				}
				let body =
					llmnet_ocw::get(&t.spec_uri, config.timeout_ms, bench::MAX_BENCHMARK_BYTES)
						.map_err(|e| {
							log::warn!(target: LOG_TARGET, "ocw: benchmark of task {id} not fetched: {e:?}");
							"benchmark document not fetched"
						})?;
				keep_lock();
				let doc = bench::parse(&body, &t.spec_hash.0).map_err(|e| {
					log::warn!(target: LOG_TARGET, "ocw: benchmark of task {id} refused: {e:?}");
					"benchmark document refused"
				})?;
				let domain = T::Registry::domain_name(t.domain);
				let seed = run_seed(id, round, id_bytes);
				let max = T::MaxCalibrationAnswerLen::get() as usize;
				let prompts =
					doc.items.iter().map(|i| prompts::benchmark(&domain, i.question.as_bytes()));
				let replies = Self::ask_all(
					config,
					prompts,
					doc.model.as_deref(),
					Some(seed),
					max,
					keep_lock,
				)?;
				let answers: Vec<Vec<u8>> =
					doc.items.into_iter().map(|i| i.answer.into_bytes()).collect();
				let score = benchmark_score(&answers, &replies).ok_or("empty benchmark")?;
				// The score itself stays out of the log until it is revealed (AUDIT M12).
				log::info!(target: LOG_TARGET, "ocw: benchmark run of task {id} round {round} as {who:?} done; committing");
				let salt = sp_io::offchain::random_seed();
				let commitment = Pallet::<T>::commitment_of(id, round, who, &[score], &salt);
				let tag = SecretTag::Score(id, round).encode();
				let secret = ScoreSecret { salt, score };
				llmnet_ocw::store::keep_secret(SECRETS, id_bytes, &secret_at, tag, &secret);
				Ok(Call::commit_scores { task: id, commitment })
			}
			ScoreAction::Reveal => {
				let s = llmnet_ocw::store::kept_secret::<ScoreSecret>(&secret_at)
					.ok_or("secret of the commitment lost")?;
				let scores: ScoresOf<T> =
					alloc::vec![s.score].try_into().map_err(|_| "no room for one score")?;
				Ok(Call::reveal_scores { task: id, scores, salt: s.salt })
			}
		}
	}

	/// Ask the endpoint each prompt in turn (with `model` and `seed` if given), keeping the
	/// lock after every call: each reply's short answer (`None` if unusable). The first
	/// failed call fails the whole run (it is retried after [`llmnet_ocw::driver::RETRY_BLOCKS`]).
	fn ask_all(
		config: &EndpointConfig,
		prompts: impl Iterator<Item = Vec<llmnet_ocw::Message>>,
		model: Option<&str>,
		seed: Option<u64>,
		max: usize,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Vec<Option<Vec<u8>>>, &'static str> {
		let mut replies = Vec::new();
		for messages in prompts {
			let reply = chat_with(config, &messages, model, seed).map_err(|e| {
				log::warn!(target: LOG_TARGET, "ocw: LLM call failed: {e:?}");
				"LLM call failed"
			})?;
			keep_lock();
			replies.push(parse::answer(&reply, max));
		}
		Ok(replies)
	}

	/// Answer the questions (commit) or read the stored secret (reveal).
	fn prepare_calibration(
		who: &T::AccountId,
		id_bytes: &[u8],
		id: CalibrationId,
		action: CalibrationAction,
		config: &EndpointConfig,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Call<T>, &'static str> {
		let c = Calibrations::<T>::get(id).ok_or("round gone")?;
		let secret_at = secret_key(id, id_bytes);
		match action {
			CalibrationAction::Commit => {
				let domain = T::Registry::domain_name(c.domain);
				let max = T::MaxCalibrationAnswerLen::get() as usize;
				let prompts = c.questions.iter().map(|q| prompts::calibration(&domain, q));
				// An unusable reply is an empty (wrong) answer, not a reason to give up.
				let answers: Vec<Vec<u8>> =
					Self::ask_all(config, prompts, None, None, max, keep_lock)?
						.into_iter()
						.map(Option::unwrap_or_default)
						.collect();
				let salt = sp_io::offchain::random_seed();
				let commitment = Pallet::<T>::calibration_commitment_of(id, who, &answers, &salt);
				let tag = SecretTag::Calibration(id).encode();
				let secret = CalibrationSecret { salt, answers };
				llmnet_ocw::store::keep_secret(SECRETS, id_bytes, &secret_at, tag, &secret);
				Ok(Call::commit_calibration { calibration: id, commitment })
			}
			CalibrationAction::Reveal => {
				let s = llmnet_ocw::store::kept_secret::<CalibrationSecret>(&secret_at)
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
