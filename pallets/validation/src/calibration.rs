//! Proof of capability (PROTOCOL section 7): calibration rounds with a committed answer key.
//!
//! A round of a domain has questions and `blake2_256(SCALE((key, salt)))` of their answer key.
//! Providers of the domain that are not capable there commit to their answers, then reveal
//! them; after the reveal window the creator reveals the key, which is checked against the
//! commitment, and every entry is graded by exact match of normalised answers
//! ([`canonical_answer`]). In a governance round (the calibration origin's), reaching the
//! threshold marks `(provider, domain)` capable in the staking pallet for
//! `CapabilityValidity`; anything else (including no reveal) marks it failed until a cool-down
//! ends. A signed round (a deposit, at most `MaxSignedCalibrations` open) is a practice round:
//! graded in events, no status recorded, not taken by the off-chain workers (AUDIT H2, H3).
//! A key that never comes lets anyone close the round: the creator's deposit is burned and the
//! providers keep their status.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame::{
	hashing::{blake2_256, H256},
	prelude::*,
	traits::fungible::MutateHold,
};
use llmnet_primitives::{canonical_answer, CapabilityStatus, DomainId, NodeRegistry};

/// What a provider's worker has to do in a calibration round: answer the questions and
/// commit, or reveal the committed answers.
pub type CalibrationAction = WorkAction;

impl<T: Config> Pallet<T> {
	/// `blake2_256(SCALE((calibration, account, answers, salt)))`: what a provider commits.
	pub fn calibration_commitment_of(
		calibration: CalibrationId,
		who: &T::AccountId,
		answers: &[Vec<u8>],
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(calibration, who, answers, salt).encode()))
	}

	/// `blake2_256(SCALE((key, salt)))`: what a round's creator commits.
	pub fn key_commitment_of(key: &[Vec<u8>], salt: &[u8; 32]) -> H256 {
		H256(blake2_256(&(key, salt).encode()))
	}

	/// The phase of round `c` at block `now`.
	pub fn calibration_phase(c: &CalibrationOf<T>, now: BlockNumberFor<T>) -> CalibrationPhase {
		if now < c.commit_end {
			CalibrationPhase::Commit
		} else if now < c.reveal_end {
			CalibrationPhase::Reveal
		} else if now < c.key_end {
			CalibrationPhase::Key
		} else {
			CalibrationPhase::Expired
		}
	}

	/// Why `who` may not take a round of `domain` now, if it may not.
	pub fn calibration_refusal(who: &T::AccountId, domain: DomainId) -> Option<Error<T>> {
		if !T::Registry::may_calibrate(who, domain) {
			return Some(Error::<T>::NotCalibrant);
		}
		match T::Registry::capability(who, domain) {
			Some(CapabilityStatus::Capable { .. }) => Some(Error::<T>::AlreadyCapable),
			Some(CapabilityStatus::Failed { retry_after })
				if frame_system::Pallet::<T>::block_number() < retry_after =>
			{
				Some(Error::<T>::CoolingDown)
			}
			_ => None,
		}
	}

	/// The calibration work of `who` now: rounds to answer (eligible, not yet committed) and
	/// rounds to reveal (committed, not yet revealed), in their windows.
	pub fn calibration_work(who: &T::AccountId) -> Vec<(CalibrationId, CalibrationAction)> {
		let now = frame_system::Pallet::<T>::block_number();
		OpenCalibrations::<T>::get()
			.into_iter()
			.filter_map(|id| {
				let c = Calibrations::<T>::get(id)?;
				// Workers take governance rounds only (AUDIT H3): a signed round grants
				// nothing and would cost up to `MaxQuestions` LLM calls.
				if c.creator.is_some() {
					return None;
				}
				let entry = CalibrationEntries::<T>::get(id, who);
				match (Self::calibration_phase(&c, now), entry) {
					(CalibrationPhase::Commit, None) => (c.participants < T::MaxCalibrants::get()
						&& Self::calibration_refusal(who, c.domain).is_none())
					.then_some((id, CalibrationAction::Commit)),
					(CalibrationPhase::Reveal, Some(e)) if e.answers.is_none() => {
						Some((id, CalibrationAction::Reveal))
					}
					_ => None,
				}
			})
			.collect()
	}

	pub(crate) fn do_create_calibration(
		creator: Option<T::AccountId>,
		domain: DomainId,
		questions: QuestionsOf<T>,
		key_commitment: H256,
		threshold: u8,
		lengths: CalibrationLengths<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(T::Registry::is_active_domain(domain), Error::<T>::InactiveDomain);
		ensure!(
			!questions.is_empty() && threshold >= 1 && usize::from(threshold) <= questions.len(),
			Error::<T>::BadQuestions
		);
		Self::check_window(lengths.commit)?;
		Self::check_window(lengths.reveal)?;
		Self::check_window(lengths.key)?;
		let id = NextCalibrationId::<T>::get();
		let mut open = OpenCalibrations::<T>::get();
		if creator.is_some() {
			// Signed rounds hold at most `MaxSignedCalibrations` slots: governance always has
			// the rest (AUDIT H3).
			let signed = open
				.iter()
				.filter(|id| Calibrations::<T>::get(**id).is_some_and(|c| c.creator.is_some()))
				.count() as u32;
			ensure!(signed < T::MaxSignedCalibrations::get(), Error::<T>::TooManyCalibrations);
		}
		open.try_push(id).map_err(|_| Error::<T>::TooManyCalibrations)?;
		let deposit = if let Some(who) = &creator {
			let deposit = T::CalibrationDeposit::get();
			T::Currency::hold(&HoldReason::CalibrationDeposit.into(), who, deposit)?;
			deposit
		} else {
			Zero::zero()
		};
		let now = frame_system::Pallet::<T>::block_number();
		let commit_end = now.saturating_add(lengths.commit);
		let reveal_end = commit_end.saturating_add(lengths.reveal);
		let count = questions.len() as u32;
		Calibrations::<T>::insert(
			id,
			Calibration {
				creator: creator.clone(),
				deposit,
				domain,
				questions,
				key_commitment,
				threshold,
				commit_end,
				reveal_end,
				key_end: reveal_end.saturating_add(lengths.key),
				participants: 0,
			},
		);
		OpenCalibrations::<T>::put(open);
		NextCalibrationId::<T>::put(id.saturating_add(1));
		Self::deposit_event(Event::CalibrationCreated {
			calibration: id,
			creator,
			domain,
			questions: count,
			threshold,
			key_commitment,
		});
		Ok(())
	}

	pub(crate) fn do_commit_calibration(
		who: T::AccountId,
		id: CalibrationId,
		commitment: H256,
	) -> DispatchResult {
		let mut c = Calibrations::<T>::get(id).ok_or(Error::<T>::UnknownCalibration)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			Self::calibration_phase(&c, now) == CalibrationPhase::Commit,
			Error::<T>::WrongPhase
		);
		ensure!(!CalibrationEntries::<T>::contains_key(id, &who), Error::<T>::AlreadyCommitted);
		if let Some(e) = Self::calibration_refusal(&who, c.domain) {
			return Err(e.into());
		}
		ensure!(c.participants < T::MaxCalibrants::get(), Error::<T>::TooManyCalibrants);
		let deposit = T::CalibrantDeposit::get();
		T::Currency::hold(&HoldReason::CalibrantDeposit.into(), &who, deposit)?;
		c.participants = c.participants.saturating_add(1);
		CalibrationEntries::<T>::insert(
			id,
			&who,
			CalibrationEntry { commitment, answers: None, deposit },
		);
		Calibrations::<T>::insert(id, c);
		Self::deposit_event(Event::CalibrationCommitted { calibration: id, who });
		Ok(())
	}

	pub(crate) fn do_reveal_calibration(
		who: T::AccountId,
		id: CalibrationId,
		answers: CalibrationAnswersOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let c = Calibrations::<T>::get(id).ok_or(Error::<T>::UnknownCalibration)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			Self::calibration_phase(&c, now) == CalibrationPhase::Reveal,
			Error::<T>::WrongPhase
		);
		let mut entry = CalibrationEntries::<T>::get(id, &who).ok_or(Error::<T>::NoCommitment)?;
		ensure!(entry.answers.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(answers.len() == c.questions.len(), Error::<T>::BadAnswers);
		let plain: Vec<Vec<u8>> = answers.iter().map(|a| a.to_vec()).collect();
		ensure!(
			Self::calibration_commitment_of(id, &who, &plain, &salt) == entry.commitment,
			Error::<T>::CommitmentMismatch
		);
		entry.answers = Some(answers.clone());
		CalibrationEntries::<T>::insert(id, &who, entry);
		Self::deposit_event(Event::CalibrationRevealed { calibration: id, who, answers });
		Ok(())
	}

	/// Check the key, grade every entry, set capabilities, remove the round; the number of
	/// entries graded.
	pub(crate) fn do_reveal_key(
		who: Option<T::AccountId>,
		id: CalibrationId,
		key: CalibrationAnswersOf<T>,
		salt: [u8; 32],
	) -> Result<u32, DispatchError> {
		let c = Calibrations::<T>::get(id).ok_or(Error::<T>::UnknownCalibration)?;
		ensure!(who == c.creator, Error::<T>::NotCreator);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Self::calibration_phase(&c, now) == CalibrationPhase::Key, Error::<T>::WrongPhase);
		ensure!(key.len() == c.questions.len(), Error::<T>::BadAnswers);
		let plain: Vec<Vec<u8>> = key.iter().map(|a| a.to_vec()).collect();
		ensure!(
			Self::key_commitment_of(&plain, &salt) == c.key_commitment,
			Error::<T>::KeyMismatch
		);
		let normalised: Vec<Vec<u8>> = plain.iter().map(|k| canonical_answer(k)).collect();
		Self::deposit_event(Event::CalibrationKeyRevealed { calibration: id, key });
		let retry_after = now.saturating_add(T::CalibrationCooldown::get());
		let mut graded = 0u32;
		for (provider, entry) in CalibrationEntries::<T>::drain_prefix(id) {
			graded = graded.saturating_add(1);
			Self::settle_calibrant_deposit(id, &provider, &entry);
			let correct = entry.answers.as_ref().map_or(0u32, |answers| {
				answers
					.iter()
					.zip(normalised.iter())
					.filter(|(a, k)| canonical_answer(a) == **k)
					.count() as u32
			});
			let passed = correct >= u32::from(c.threshold);
			// Only governance rounds record a status (AUDIT H2, H3): a signed creator knows
			// its key and could pass its own sybils, or fail everyone with a bogus one. A
			// provider that left the domain (or deregistered) since it committed gets none.
			if c.creator.is_none() && T::Registry::may_calibrate(&provider, c.domain) {
				let status = if passed {
					CapabilityStatus::Capable { since: now }
				} else {
					CapabilityStatus::Failed { retry_after }
				};
				T::Registry::set_capability(&provider, c.domain, status);
			}
			Self::deposit_event(Event::CalibrationGraded {
				calibration: id,
				who: provider,
				correct,
				passed,
			});
		}
		if let Some(creator) = &c.creator {
			Self::release(&HoldReason::CalibrationDeposit, creator, c.deposit);
		}
		Self::remove_calibration(id);
		Ok(graded)
	}

	/// Drop an expired round; the number of entries dropped.
	pub(crate) fn do_close_calibration(id: CalibrationId) -> Result<u32, DispatchError> {
		let c = Calibrations::<T>::get(id).ok_or(Error::<T>::UnknownCalibration)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			Self::calibration_phase(&c, now) == CalibrationPhase::Expired,
			Error::<T>::DeadlineNotReached
		);
		let mut dropped = 0u32;
		for (provider, entry) in CalibrationEntries::<T>::drain_prefix(id) {
			dropped = dropped.saturating_add(1);
			Self::settle_calibrant_deposit(id, &provider, &entry);
		}
		let forfeited = c.creator.as_ref().map_or_else(Zero::zero, |creator| {
			Self::burn(&HoldReason::CalibrationDeposit, creator, c.deposit)
		});
		Self::remove_calibration(id);
		Self::deposit_event(Event::CalibrationExpired { calibration: id, forfeited });
		Ok(dropped)
	}

	/// A calibrant's deposit at the end of its round: released if it revealed its answers,
	/// burned if it did not (AUDIT H3).
	fn settle_calibrant_deposit(
		id: CalibrationId,
		who: &T::AccountId,
		entry: &CalibrationEntryOf<T>,
	) {
		if entry.deposit.is_zero() {
			return;
		}
		if entry.answers.is_some() {
			Self::release(&HoldReason::CalibrantDeposit, who, entry.deposit);
			return;
		}
		let burned = Self::burn(&HoldReason::CalibrantDeposit, who, entry.deposit);
		Self::deposit_event(Event::CalibrantDepositForfeited {
			calibration: id,
			who: who.clone(),
			amount: burned,
		});
	}

	fn remove_calibration(id: CalibrationId) {
		Calibrations::<T>::remove(id);
		OpenCalibrations::<T>::mutate(|open| open.retain(|x| *x != id));
	}

	/// Invariants: the open list names exactly the stored rounds; participant counters match
	/// the entries; entries belong to stored rounds; deposit holds equal the rounds' deposits.
	pub(crate) fn calibration_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame::traits::fungible::InspectHold;
		let open = OpenCalibrations::<T>::get();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut stored = 0usize;
		for (id, c) in Calibrations::<T>::iter() {
			stored = stored.saturating_add(1);
			ensure!(open.contains(&id), "a calibration round is missing from the open list");
			let entries = CalibrationEntries::<T>::iter_prefix(id).count() as u32;
			ensure!(entries == c.participants, "calibration participant counter out of step");
			ensure!(entries <= T::MaxCalibrants::get(), "too many calibration entries");
			match &c.creator {
				Some(creator) => {
					let d = deposits.entry(creator.clone()).or_default();
					*d = d.saturating_add(c.deposit);
				}
				None => ensure!(c.deposit.is_zero(), "a governance round holds a deposit"),
			}
		}
		ensure!(open.len() == stored, "the open list names unknown calibration rounds");
		let mut calibrants: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, who, entry) in CalibrationEntries::<T>::iter() {
			ensure!(Calibrations::<T>::contains_key(id), "entry of an unknown calibration round");
			let d = calibrants.entry(who).or_default();
			*d = d.saturating_add(entry.deposit);
		}
		for (who, amount) in calibrants {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::CalibrantDeposit.into(), &who) == amount,
				"calibrant deposit holds differ"
			);
		}
		for (who, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::CalibrationDeposit.into(), &who)
					== amount,
				"calibration deposit holds differ"
			);
		}
		Ok(())
	}
}
