//! The deadline schedule and the phase transitions of a query.

use crate::{consensus, pallet::*, types::*, weights::WeightInfo, LOG_TARGET};
use alloc::vec::Vec;
use frame::arithmetic::Perbill;
use frame::{deps::frame_support::storage::with_storage_layer, prelude::*, traits::Saturating};
use llmnet_primitives::{schedule, NodeRegistry, ReputationKind, SlashReason};

impl<T: Config> Pallet<T> {
	/// Run the transitions due at `now` (at most `MaxDuePerBlock`); the weight used.
	pub fn process_schedule(now: BlockNumberFor<T>) -> Weight {
		let due = Schedule::<T>::take(now);
		// Taking the slot weighs what one schedule probe does (a read and a write of it).
		let db = T::WeightInfo::schedule(1);
		for id in due.iter() {
			match Queries::<T>::get(id) {
				Some(q) if !q.phase.is_final() && q.deadline == now => {
					Self::transition(*id, q, now)
				}
				_ => log::debug!(target: LOG_TARGET, "stale schedule entry {id} at {now:?}"),
			}
		}
		db.saturating_add(Self::transition_weight().saturating_mul(due.len() as u64))
	}

	/// Run the transitions of the queries whose phase completed in this block (`Ready`); the
	/// weight they were accounted when their phases completed.
	pub fn process_ready(now: BlockNumberFor<T>) -> Weight {
		let ready = Ready::<T>::take();
		for (id, phase) in ready.iter() {
			match Queries::<T>::get(id) {
				// Still in the phase that completed (an `advance` in the same block may have
				// moved it on already).
				Some(q) if q.phase == *phase && !q.phase.is_final() => {
					Self::unschedule(*id, q.deadline);
					Self::transition(*id, q, now)
				}
				_ => log::debug!(target: LOG_TARGET, "stale ready entry {id} at {now:?}"),
			}
		}
		Self::transition_weight().saturating_mul(ready.len() as u64)
	}

	/// Put `id` in the first block from `at` with room; that block.
	pub(crate) fn schedule(
		id: QueryId,
		at: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		schedule::schedule::<Schedule<T>, _, _, _>(id, at).ok_or(Error::<T>::ScheduleFull.into())
	}

	pub(crate) fn unschedule(id: QueryId, at: BlockNumberFor<T>) {
		schedule::unschedule::<Schedule<T>, _, _, _>(&id, at)
	}

	/// Enter `phase` for `length` blocks, expecting `expected` actions; the schedule probes.
	pub(crate) fn enter(
		id: QueryId,
		q: &mut QueryInfoOf<T>,
		phase: Phase,
		length: BlockNumberFor<T>,
		expected: u8,
		now: BlockNumberFor<T>,
	) -> u32 {
		let want = now.saturating_add(length);
		let placed = Self::schedule(id, want).ok();
		q.deadline = placed.unwrap_or_else(|| {
			log::warn!(target: LOG_TARGET, "query {id}: schedule full, needs `advance`");
			want
		});
		q.phase = phase;
		q.progress = 0;
		q.expected = expected;
		Self::deposit_event(Event::PhaseChanged { query: id, phase, deadline: q.deadline });
		schedule::probes(want, placed)
	}

	/// Count one action; when it is the last expected one, the phase ends with this block:
	/// the query joins `Ready` (its transition's weight is registered now, since it runs in
	/// `on_finalize`), or, when `Ready` is full or the block has no room left for the
	/// transition, its deadline moves to the next block. The schedule probes (0 when the
	/// deadline stays).
	pub(crate) fn acted(id: QueryId, q: &mut QueryInfoOf<T>) -> u32 {
		q.progress = q.progress.saturating_add(1);
		if q.progress != q.expected {
			return 0;
		}
		let transition = Self::transition_weight();
		// Only while the block has room for the transition: `on_finalize` cannot refuse it.
		if frame_system::Pallet::<T>::remaining_block_weight().can_consume(transition)
			&& Ready::<T>::try_mutate(|r| r.try_push((id, q.phase))).is_ok()
		{
			frame_system::Pallet::<T>::register_extra_weight_unchecked(
				transition,
				DispatchClass::Mandatory,
			);
			return 0;
		}
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		if q.deadline <= next {
			return 0;
		}
		// Only the blocks before the current deadline: its own slot holds the query already
		// (searching on to it pushed the id twice, and the `unschedule` below then removed
		// both), and a later one would delay the phase.
		let before = q.deadline.saturating_sub(next).saturated_into::<u32>();
		let placed = schedule::schedule_within::<Schedule<T>, _, _, _>(id, next, before);
		if let Some(at) = placed {
			Self::unschedule(id, q.deadline);
			q.deadline = at;
		}
		schedule::probes(next, placed).min(before)
	}

	/// The transition at the end of `q`'s current phase.
	pub(crate) fn transition(id: QueryId, mut q: QueryInfoOf<T>, now: BlockNumberFor<T>) {
		match q.phase {
			Phase::Selecting => {
				let chosen = Self::auto_select(id, &q);
				if let Some(c) = q.params.coordinator.clone() {
					Self::close_work(&c, id);
				}
				if chosen.is_empty()
					|| Self::assign_respondents(id, &mut q, chosen.clone()).is_err()
				{
					return Self::expire(id, q, now);
				}
				Self::deposit_event(Event::RespondentsSelected {
					query: id,
					by: None,
					respondents: chosen,
					rationale: BoundedVec::new(),
				});
				let n = Self::count_u8(q.respondents.len());
				let len = q.params.phases.committing;
				Self::enter(id, &mut q, Phase::Committing, len, n, now);
			}
			Phase::Committing => {
				let mut committed = 0usize;
				for who in q.respondents.clone().iter() {
					match Responses::<T>::get(id, who) {
						Some(r) if r.commitment.is_some() => {
							committed = committed.saturating_add(1)
						}
						_ => Self::missed(id, &q, who),
					}
				}
				if committed == 0 {
					return Self::expire(id, q, now);
				}
				let n = Self::count_u8(committed);
				let len = q.params.phases.revealing;
				Self::enter(id, &mut q, Phase::Revealing, len, n, now);
			}
			Phase::Revealing => {
				let mut answered = 0usize;
				for who in q.respondents.clone().iter() {
					match Responses::<T>::get(id, who) {
						Some(r) if r.answer.is_some() => answered = answered.saturating_add(1),
						Some(r) if r.commitment.is_some() => Self::missed(id, &q, who),
						_ => {}
					}
				}
				if answered == 0 {
					return Self::expire(id, q, now);
				}
				match q.params.mode {
					Mode::Debate { .. } if answered >= 2 => {
						let n = Self::count_u8(answered);
						let len = q.params.phases.debating;
						Self::enter(id, &mut q, Phase::Debating { round: 0 }, len, n, now);
					}
					_ => Self::open_judging(id, &mut q, now),
				}
			}
			Phase::Debating { round } => {
				let log = Debates::<T>::get(id, round);
				let all_agree =
					usize::from(q.expected) == log.len() && log.iter().all(|e| e.agrees);
				let rounds = match q.params.mode {
					Mode::Debate { rounds } => rounds,
					_ => 0,
				};
				let next = round.saturating_add(1);
				if all_agree || next >= rounds {
					Self::open_judging(id, &mut q, now);
				} else {
					let (n, len) = (q.expected, q.params.phases.debating);
					Self::enter(id, &mut q, Phase::Debating { round: next }, len, n, now);
				}
			}
			Phase::Judging => {
				// Who committed; a respondent that had a free pair to judge and did not is an
				// observation of 0 (AUDIT M7).
				let k = Candidates::<T>::decode_len(id).unwrap_or(0);
				let had_free_pairs = consensus::coverage_target(k, true) > 0;
				let mut committed = 0usize;
				for who in Self::judges(id, &q).iter() {
					if JudgementCommitments::<T>::contains_key(id, who) {
						committed = committed.saturating_add(1);
					} else if had_free_pairs && !Judgements::<T>::contains_key(id, who) {
						// (A judgement in clear is one given before the upgrade that sealed
						// them: it counts, as given.)
						Self::missed_judgement(&q, who);
					}
				}
				if committed == 0 {
					// Nobody sealed a judgement (or the query was judging in clear before the
					// upgrade that sealed judgements): the consensus is what is on chain.
					Self::compute_consensus(id, &mut q);
					Self::after_consensus(id, &mut q, now);
				} else {
					let (n, len) = (Self::count_u8(committed), q.params.phases.revealing);
					Self::enter(id, &mut q, Phase::RevealingJudgements, len, n, now);
				}
			}
			Phase::RevealingJudgements => {
				for who in Self::judges(id, &q).iter() {
					if JudgementCommitments::<T>::contains_key(id, who)
						&& !Judgements::<T>::contains_key(id, who)
					{
						Self::missed_judgement(&q, who);
					}
				}
				Self::compute_consensus(id, &mut q);
				Self::after_consensus(id, &mut q, now);
			}
			Phase::Validating => {
				let committed = DrawnValidators::<T>::get(id)
					.iter()
					.filter(|v| ValidationCommitments::<T>::contains_key(id, *v))
					.count();
				if committed == 0 {
					// Nobody sealed a score (or the query was validating in clear before the
					// upgrade that sealed scores): settle on what is on chain.
					Self::settle(id, &mut q, now)
				} else {
					let (n, len) = (Self::count_u8(committed), q.params.phases.revealing);
					Self::enter(id, &mut q, Phase::RevealingValidations, len, n, now);
				}
			}
			Phase::RevealingValidations => Self::settle(id, &mut q, now),
			Phase::Settled | Phase::Expired => {}
		}
		if Queries::<T>::contains_key(id) {
			Queries::<T>::insert(id, q);
		}
	}

	pub(crate) fn count_u8(n: usize) -> u8 {
		u8::try_from(n).unwrap_or(u8::MAX)
	}

	/// Record the respondents, the answer prices they agreed to, and open their assignments.
	pub(crate) fn assign_respondents(
		id: QueryId,
		q: &mut QueryInfoOf<T>,
		respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
	) -> DispatchResult {
		// One storage layer: if an assignment cannot be opened, none of them stays open.
		with_storage_layer(|| {
			for r in respondents.iter() {
				Self::open_work(r, id, Assignment::Respondent)?;
				let price = Self::terms_in_force(r, q.domain).answer;
				AgreedPrices::<T>::insert(id, r, price);
			}
			Ok::<(), DispatchError>(())
		})?;
		q.respondents = respondents;
		Ok(())
	}

	/// Open `who`'s `role` in query `id`: its `Work` entry and the registry's count. Every
	/// assignment opens here and closes in [`Self::close_work`], so the two always agree
	/// (checked by `try_state`).
	pub(crate) fn open_work(who: &T::AccountId, id: QueryId, role: Assignment) -> DispatchResult {
		// An account with a role in the query already (a coordinator that selects itself or
		// volunteers as a judge, a judge drawn as validator) takes the new role, its current
		// work, and is counted once: one `Work` entry, one count (before, the registry counted
		// both and the count never came back to zero; found by the runtime fuzzer).
		if !Work::<T>::contains_key(who, id) {
			T::Registry::assignment_opened(who)?;
		}
		Work::<T>::insert(who, id, role);
		Ok(())
	}

	/// Open the `role` of each of a drawn committee in query `id`; those it opened for (one at
	/// its assignment cap is passed over).
	pub(crate) fn open_committee(
		id: QueryId,
		drawn: Vec<T::AccountId>,
		role: Assignment,
	) -> Vec<T::AccountId> {
		drawn.into_iter().filter(|who| Self::open_work(who, id, role).is_ok()).collect()
	}

	/// Close `who`'s assignment in query `id` (if it has one).
	pub(crate) fn close_work(who: &T::AccountId, id: QueryId) {
		if Work::<T>::take(who, id).is_some() {
			T::Registry::assignment_closed(who);
		}
	}

	/// The judges of a query: its respondents with a candidate, then its extra judges.
	pub(crate) fn judges(id: QueryId, q: &QueryInfoOf<T>) -> Vec<T::AccountId> {
		q.respondents
			.iter()
			.filter(|r| Responses::<T>::get(id, *r).is_some_and(|x| x.candidate.is_some()))
			.cloned()
			.chain(ExtraJudges::<T>::get(id))
			.collect()
	}

	/// A judge missed its judgement's commit (a respondent with pairs to judge) or reveal: a
	/// `Judgement` observation of 0, so a judge cannot wait to see how a query goes and stay
	/// silent when it would disagree (AUDIT M7). No slash: judging is not the work a
	/// respondent was selected for, and a volunteer's slot cost it its pay.
	pub(crate) fn missed_judgement(q: &QueryInfoOf<T>, who: &T::AccountId) {
		Self::observe(q, who, ReputationKind::Judgement, Perbill::zero());
	}

	/// A respondent missed a commit or reveal deadline of work it consented to: slashed, and
	/// an `Answer` observation of 0 (so withholding a weak answer costs reputation, M7).
	pub(crate) fn missed(id: QueryId, q: &QueryInfoOf<T>, who: &T::AccountId) {
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		r.missed = true;
		Responses::<T>::insert(id, who, r);
		Self::observe(q, who, ReputationKind::Answer, Perbill::zero());
		let out =
			T::Registry::slash(who, T::MissedDeadlineSlash::get(), SlashReason::MissedDeadline);
		Self::deposit_event(Event::DeadlineMissed {
			query: id,
			who: who.clone(),
			slashed: out.own.saturating_add(out.delegated),
		});
	}
}
