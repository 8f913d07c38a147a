//! The providers' off-chain worker (PROTOCOL section 5): for every local `llmn` key, take the
//! account's pending work from the [`Work`] index, ask its LLM endpoint
//! (through `llmnet-ocw`) and submit the signed extrinsic.
//!
//! The run loop (per-account lock, prepared calls, submitted markers, retries, one worker run
//! per account and block sending up to 16 transactions) is [`llmnet_ocw::driver`], shared with the validation
//! worker; this module prepares the calls. The commit-reveal salt and answer live in
//! persistent local storage, so a restarted node still reveals.

use crate::{
	consensus,
	pallet::*,
	runtime_api::{Action, WorkItem},
	types::*,
	LOG_TARGET,
};
use alloc::{format, vec::Vec};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame::{arithmetic::Percent, deps::sp_io, prelude::*};
use llmnet_ocw::{chat_as, parse, prompts, EndpointConfig, Message, ReplyKind};
use llmnet_primitives::NodeRegistry;

pub use llmnet_ocw::store::{endpoint_for, OffchainDriver};
use llmnet_ocw::{
	driver::{drive, PendingItem},
	store::key,
};

/// The provider worker, signing with the app crypto `C` (key type `llmn`).
pub struct Worker<T, C>(PhantomData<(T, C)>);

/// `query id :: action`, as in the local-storage keys of earlier releases.
impl<B: core::fmt::Debug> PendingItem for WorkItem<B> {
	fn tag(&self) -> Vec<u8> {
		let mut tag = self.query.to_le_bytes().to_vec();
		tag.extend_from_slice(b"::");
		tag.extend(action_tag(&self.action));
		tag
	}
}

fn action_tag(action: &Action) -> Vec<u8> {
	match action {
		Action::Select => b"select".to_vec(),
		Action::Commit => b"commit".to_vec(),
		Action::Reveal => b"reveal".to_vec(),
		Action::Debate { round } => format!("debate{round}").into_bytes(),
		Action::Judge => b"judge".to_vec(),
		Action::Validate => b"validate".to_vec(),
		Action::RevealJudgement => b"reveal_judgement".to_vec(),
		Action::RevealValidation => b"reveal_validation".to_vec(),
	}
}

/// Salt and answer of a commitment, kept for the reveal.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Secret {
	/// The salt.
	pub salt: [u8; 32],
	/// The committed answer.
	pub answer: Vec<u8>,
}

/// The worker scope of this pallet's remembered secrets ([`llmnet_ocw::store::keep_secret`]).
const SECRETS: &[u8] = llmnet_ocw::store::scopes::QUERY_ANSWERS;

/// Where the secret of `who` in `query` is kept.
pub fn secret_key(query: QueryId, who: &[u8]) -> Vec<u8> {
	key(&[b"secret", &query.to_le_bytes(), who])
}

/// The worker scope of this pallet's remembered judgement secrets.
const JUDGEMENT_SECRETS: &[u8] = llmnet_ocw::store::scopes::QUERY_JUDGEMENTS;

/// Where the sealed judgement of `who` in `query` (salt, comparisons, feedback) is kept for
/// its reveal.
pub fn judgement_secret_key(query: QueryId, who: &[u8]) -> Vec<u8> {
	key(&[b"judgement-secret", &query.to_le_bytes(), who])
}

/// The worker scope of this pallet's remembered score secrets.
const VALIDATION_SECRETS: &[u8] = llmnet_ocw::store::scopes::QUERY_SCORES;

/// Where the sealed score of validator `who` in `query` (salt, score, note) is kept.
pub fn validation_secret_key(query: QueryId, who: &[u8]) -> Vec<u8> {
	key(&[b"query-score-secret", &query.to_le_bytes(), who])
}

/// A sealed score, kept for the reveal: the salt, the score, the note.
type SealedScore<T> = ([u8; 32], Percent, BoundedVec<u8, <T as Config>::MaxRationaleLen>);

/// A sealed judgement, kept for the reveal: the salt, the comparisons, the feedback.
type SealedJudgement<T> = (
	[u8; 32],
	BoundedVec<ComparisonOf<T>, <T as Config>::MaxComparisons>,
	BoundedVec<PeerFeedbackOf<T>, <T as Config>::MaxRespondents>,
);

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
		let id_bytes = who.encode();
		// Salts and answers of commitments whose reveal is on chain, or whose query is over,
		// are deleted (AUDIT M12).
		llmnet_ocw::store::forget_secrets(SECRETS, &id_bytes, |tag| {
			let Ok(id) = QueryId::decode(&mut &tag[..]) else { return true };
			Queries::<T>::get(id).is_none_or(|q| q.phase.is_final())
				|| Responses::<T>::get(id, &who).is_some_and(|r| r.answer.is_some())
		});
		llmnet_ocw::store::forget_secrets(JUDGEMENT_SECRETS, &id_bytes, |tag| {
			let Ok(id) = QueryId::decode(&mut &tag[..]) else { return true };
			Queries::<T>::get(id).is_none_or(|q| q.phase.is_final())
				|| Judgements::<T>::contains_key(id, &who)
		});
		llmnet_ocw::store::forget_secrets(VALIDATION_SECRETS, &id_bytes, |tag| {
			let Ok(id) = QueryId::decode(&mut &tag[..]) else { return true };
			Queries::<T>::get(id).is_none_or(|q| q.phase.is_final())
				|| Validations::<T>::get(id).iter().any(|v| v.who == who)
		});
		drive(
			&who,
			&id_bytes,
			b"lock",
			now.saturated_into(),
			Pallet::<T>::pending_work(who.clone()),
			|item, config, keep_lock| Self::prepare(&who, &id_bytes, item, config, keep_lock),
			|call| matches!(signer.send_single_signed_transaction(account, call), Some(Ok(()))),
		);
	}

	/// Ask the LLM and build the call for `item`; `keep_lock` extends the worker's lock before
	/// each further LLM call of a long preparation (a judgement is up to `2 x MaxComparisons`
	/// calls plus the feedback), so a later block's worker does not redo the same calls (M11).
	fn prepare(
		who: &T::AccountId,
		id_bytes: &[u8],
		item: &WorkItem<BlockNumberFor<T>>,
		config: &EndpointConfig,
		keep_lock: &mut dyn FnMut(),
	) -> Result<Call<T>, &'static str> {
		let id = item.query;
		let q = Queries::<T>::get(id).ok_or("query gone")?;
		// Every reply is asked for in its structured form (JSON schema) and read as text.
		let ask = |messages: Vec<Message>,
		           kind: ReplyKind|
		 -> Result<alloc::string::String, &'static str> {
			chat_as(config, &messages, kind).map_err(|e| {
				log::warn!(target: LOG_TARGET, "ocw: LLM call failed: {e:?}");
				"LLM call failed"
			})
		};
		let max_answer = T::MaxAnswerLen::get() as usize;
		let domain = T::Registry::domain_name(q.domain);
		match item.action {
			Action::Commit => {
				let reply = ask(prompts::answer(&domain, &q.prompt), ReplyKind::Answer)?;
				let answer = parse::answer(&reply, max_answer).ok_or("unusable answer")?;
				let salt = sp_io::offchain::random_seed();
				let at = secret_key(id, id_bytes);
				let secret = Secret { salt, answer: answer.clone() };
				llmnet_ocw::store::keep_secret(SECRETS, id_bytes, &at, id.encode(), &secret);
				Ok(Call::commit {
					query: id,
					commitment: Pallet::<T>::commitment_of(id, who, &answer, &salt),
				})
			}
			Action::Reveal => {
				let s = llmnet_ocw::store::kept_secret::<Secret>(&secret_key(id, id_bytes))
					.ok_or("secret of the commitment lost")?;
				let answer = s.answer.try_into().map_err(|_| "answer too long")?;
				Ok(Call::reveal { query: id, answer, salt: s.salt })
			}
			Action::Debate { round } => {
				let own = Responses::<T>::get(id, who).and_then(|r| r.answer).ok_or("no answer")?;
				let others: Vec<Vec<u8>> = q
					.respondents
					.iter()
					.filter(|r| *r != who)
					.filter_map(|r| {
						Responses::<T>::get(id, r).and_then(|x| x.answer).map(|a| a.into_inner())
					})
					.collect();
				let transcript: Vec<Vec<u8>> = (0..=round)
					.flat_map(|r| Debates::<T>::get(id, r).into_inner())
					.map(|e| e.message.into_inner())
					.collect();
				let reply =
					ask(prompts::debate(&q.prompt, &own, &others, &transcript), ReplyKind::Debate)?;
				let (message, final_answer, agrees) =
					parse::debate(&reply, max_answer).ok_or("unusable debate reply")?;
				let revised = final_answer.filter(|a| a.as_slice() != own.as_slice());
				Ok(Call::debate {
					query: id,
					round,
					message: message.try_into().map_err(|_| "message too long")?,
					revised_answer: revised
						.map(|a| a.try_into())
						.transpose()
						.map_err(|_| "answer too long")?,
					agrees,
				})
			}
			Action::Judge => {
				let candidates = Candidates::<T>::get(id);
				let own = Responses::<T>::get(id, who).and_then(|r| r.candidate);
				let k = candidates.len();
				let max_j = T::MaxJustificationLen::get() as usize;
				// Sparse, adaptive judging (issue 18): the pairs come from
				// `consensus::sparse_judging`; each is asked in both orders (position bias).
				// A verdict the judge may not give on its own candidate is dropped.
				let mut reasons: Vec<((u8, u8), Vec<u8>)> = Vec::new();
				let compare = |a: u8, b: u8| -> Option<PairOutcome> {
					let (ca, cb) =
						(candidates.get(usize::from(a))?, candidates.get(usize::from(b))?);
					keep_lock();
					let direct = ask(prompts::judge(&q.prompt, ca, cb), ReplyKind::Verdict)
						.ok()
						.and_then(|r| parse::verdict(&r, max_j));
					let swapped = ask(prompts::judge(&q.prompt, cb, ca), ReplyKind::Verdict)
						.ok()
						.and_then(|r| parse::verdict(&r, max_j));
					let (Some((v1, why1)), Some((v2, why2))) = (direct, swapped) else {
						log::warn!(target: LOG_TARGET, "ocw: pair ({a}, {b}) of query {id} skipped: unusable verdict");
						return None;
					};
					let (verdict, why) = parse::combine_judged((v1, &why1), (v2, &why2), max_j);
					let outcome = match verdict {
						parse::Verdict::A => PairOutcome::A,
						parse::Verdict::B => PairOutcome::B,
						parse::Verdict::Tie => PairOutcome::Tie,
					};
					reasons.push(((a, b), why));
					outcome.allowed_for(own, a, b).then_some(outcome)
				};
				let seed = consensus::design_seed(id, id_bytes);
				let verdicts = consensus::sparse_judging(k, &seed, compare);
				let comparisons: Vec<ComparisonOf<T>> = verdicts
					.into_iter()
					.take(T::MaxComparisons::get() as usize)
					.map(|(a, b, outcome)| {
						let why = reasons
							.iter()
							.find(|(p, _)| *p == (a, b))
							.map(|(_, w)| w.clone())
							.unwrap_or_default();
						Comparison {
							a,
							b,
							outcome,
							justification: why.try_into().unwrap_or_default(),
						}
					})
					.collect();
				let max_f = T::MaxFeedbackLen::get() as usize;
				let mut feedback: Vec<PeerFeedbackOf<T>> = Vec::new();
				for peer in q.respondents.iter().filter(|r| *r != who) {
					let Some(answer) = Responses::<T>::get(id, peer).and_then(|r| r.answer) else {
						continue;
					};
					keep_lock();
					let Some(text) =
						ask(prompts::feedback(&q.prompt, &answer), ReplyKind::Feedback)
							.ok()
							.and_then(|r| parse::feedback(&r, max_f))
					else {
						continue;
					};
					if let Ok(text) = text.try_into() {
						feedback.push(PeerFeedback { to: peer.clone(), text });
					}
				}
				// Sealed (AUDIT M6): commit to the judgement now, reveal it in
				// `RevealingJudgements` from local storage (a restarted node still reveals).
				let comparisons: BoundedVec<_, T::MaxComparisons> =
					BoundedVec::truncate_from(comparisons);
				let feedback: BoundedVec<_, T::MaxRespondents> =
					BoundedVec::truncate_from(feedback);
				let salt = sp_io::offchain::random_seed();
				let commitment =
					Pallet::<T>::judgement_commitment_of(id, who, &comparisons, &feedback, &salt);
				let at = judgement_secret_key(id, id_bytes);
				let sealed: SealedJudgement<T> = (salt, comparisons, feedback);
				llmnet_ocw::store::keep_secret(
					JUDGEMENT_SECRETS,
					id_bytes,
					&at,
					id.encode(),
					&sealed,
				);
				Ok(Call::commit_judgement { query: id, commitment })
			}
			Action::RevealJudgement => {
				let (salt, comparisons, feedback) = llmnet_ocw::store::kept_secret::<
					SealedJudgement<T>,
				>(&judgement_secret_key(id, id_bytes))
				.ok_or("sealed judgement lost")?;
				Ok(Call::judge { query: id, comparisons, feedback, salt })
			}
			Action::Select => {
				let (pool, info) = Pallet::<T>::selection_candidates(id, &q);
				let wanted = usize::from(q.params.respondents);
				let kind = ReplyKind::Choice { candidates: pool.len(), wanted };
				let reply = ask(prompts::select(&domain, &q.prompt, &info, wanted), kind)?;
				let chosen = parse::choice(&reply, pool.len(), wanted).ok_or("unusable choice")?;
				let respondents: Vec<T::AccountId> =
					chosen.iter().filter_map(|i| pool.get(*i).cloned()).collect();
				let rationale = parse::cap(&reply, T::MaxRationaleLen::get() as usize).into_bytes();
				Ok(Call::select {
					query: id,
					respondents: respondents.try_into().map_err(|_| "too many respondents")?,
					rationale: rationale.try_into().unwrap_or_default(),
				})
			}
			Action::Validate => {
				let answer = q.consensus.map(|c| c.answer.into_inner()).ok_or("no consensus")?;
				let reply = ask(prompts::validate(&q.prompt, &answer), ReplyKind::Score)?;
				let (score, note) = parse::score(&reply, T::MaxRationaleLen::get() as usize)
					.ok_or("unusable score")?;
				// Sealed: commit now, reveal in `RevealingValidations` from local storage.
				let score = Percent::from_percent(score);
				let note: BoundedVec<u8, T::MaxRationaleLen> = note.try_into().unwrap_or_default();
				let salt = sp_io::offchain::random_seed();
				let commitment =
					Pallet::<T>::validation_commitment_of(id, who, score, &note, &salt);
				let at = validation_secret_key(id, id_bytes);
				let sealed: SealedScore<T> = (salt, score, note);
				llmnet_ocw::store::keep_secret(
					VALIDATION_SECRETS,
					id_bytes,
					&at,
					id.encode(),
					&sealed,
				);
				Ok(Call::commit_validation { query: id, commitment })
			}
			Action::RevealValidation => {
				let (salt, score, note) = llmnet_ocw::store::kept_secret::<SealedScore<T>>(
					&validation_secret_key(id, id_bytes),
				)
				.ok_or("sealed score lost")?;
				Ok(Call::validate { query: id, score, note, salt })
			}
		}
	}
}
