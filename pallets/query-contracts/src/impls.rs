//! The logic of query contracts: checks, phase transitions, selection, consensus, settlement.

use crate::{
	consensus::{self, BtParams, Tally},
	pallet::*,
	types::*,
	weights::WeightInfo,
	LOG_TARGET,
};
use alloc::{collections::BTreeSet, vec::Vec};
use codec::Encode;
use frame::{
	arithmetic::{PerThing, Perbill, Percent},
	hashing::{blake2_256, H256},
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, SaturatedConversion, Saturating, Zero},
};
use llmnet_primitives::{schedule, NodeRegistry, Reputation, ReputationKind, Role, SlashReason};

impl<T: Config> Pallet<T> {
	/// The commitment of `who` to `answer` with `salt` in `query`:
	/// `blake2_256(SCALE((query, who, answer, salt)))` (the answer SCALE-encoded as bytes,
	/// with its compact length prefix).
	pub fn commitment_of(
		query: QueryId,
		who: &T::AccountId,
		answer: &[u8],
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(query, who, answer, salt).encode()))
	}

	/// Weight of the heaviest phase transition (hook entry or `advance`).
	pub fn transition_weight() -> Weight {
		T::WeightInfo::advance_select(T::SelectionScan::get())
			.max(T::WeightInfo::advance_open_judging(T::MaxRespondents::get()))
			.max(T::WeightInfo::advance_settle())
	}

	// ---------------------------------------------------------------------------------------
	// Calls
	// ---------------------------------------------------------------------------------------

	/// Write a query contract; its id.
	pub fn do_create_query(
		requester: T::AccountId,
		domain: DomainId,
		prompt: BoundedVec<u8, T::MaxPromptLen>,
		params: QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> Result<QueryId, DispatchError> {
		ensure!(T::Registry::is_active_domain(domain), Error::<T>::InactiveDomain);
		ensure!(!prompt.is_empty(), Error::<T>::EmptyPrompt);
		ensure!(budget >= T::MinBudget::get(), Error::<T>::BudgetTooLow);
		Self::check_params(&params)?;
		if let Some(c) = &params.coordinator {
			ensure!(
				T::Registry::is_eligible(c, Role::Coordinator, domain),
				Error::<T>::CoordinatorNotEligible
			);
		}
		let id = NextQueryId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = Self::schedule(id, now.saturating_add(params.phases.selecting))?;
		let deposit = T::QueryDeposit::get();
		T::Currency::hold(&HoldReason::Escrow.into(), &requester, budget)?;
		T::Currency::hold(&HoldReason::Deposit.into(), &requester, deposit)?;
		if let Some(c) = &params.coordinator {
			T::Registry::assignment_opened(c)?;
			Work::<T>::insert(c, id, Assignment::Coordinator);
		}
		let mut q = QueryInfo {
			requester: requester.clone(),
			domain,
			prompt: prompt.clone(),
			params: params.clone(),
			budget,
			deposit,
			phase: Phase::Selecting,
			deadline,
			created: now,
			selected_by: None,
			respondents: BoundedVec::new(),
			progress: 0,
			expected: 1,
			transcript: H256::zero(),
			consensus: None,
			finished: None,
		};
		Self::record(&mut q, (b"create", &requester, domain, &prompt, &params, budget));
		Queries::<T>::insert(id, q);
		RequesterQueries::<T>::insert(&requester, id, ());
		NextQueryId::<T>::put(next);
		Self::deposit_event(Event::QueryCreated {
			query: id,
			requester,
			domain,
			mode: params.mode,
			budget,
			prompt,
			deadline,
		});
		Ok(id)
	}

	fn check_params(p: &QueryParamsOf<T>) -> DispatchResult {
		let max = T::MaxRespondents::get();
		match p.mode {
			Mode::Single => {
				ensure!(p.respondents == 1, Error::<T>::BadRespondentCount);
				ensure!(p.extra_judges == 0, Error::<T>::TooManyExtraJudges);
			}
			Mode::Swarm | Mode::Debate { .. } => ensure!(
				p.respondents >= 2 && u32::from(p.respondents) <= max,
				Error::<T>::BadRespondentCount
			),
		}
		if let Mode::Debate { rounds } = p.mode {
			ensure!(
				rounds >= 1 && u32::from(rounds) <= T::MaxDebateRounds::get(),
				Error::<T>::BadDebateRounds
			);
		}
		ensure!(
			u32::from(p.extra_judges) <= T::MaxExtraJudges::get(),
			Error::<T>::TooManyExtraJudges
		);
		ensure!(u32::from(p.validators) <= T::MaxValidators::get(), Error::<T>::TooManyValidators);
		let ph = &p.phases;
		for len in
			[ph.selecting, ph.committing, ph.revealing, ph.debating, ph.judging, ph.validating]
		{
			ensure!(
				len >= T::MinPhaseLength::get() && len <= T::MaxPhaseLength::get(),
				Error::<T>::BadPhaseLength
			);
		}
		ensure!(
			p.shares.total_parts() <= u64::from(Perbill::ACCURACY),
			Error::<T>::SharesExceedBudget
		);
		Ok(())
	}

	/// Cancel in selection.
	pub fn do_cancel(who: &T::AccountId, id: QueryId) -> DispatchResult {
		let q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(&q.requester == who, Error::<T>::NotRequester);
		ensure!(q.phase == Phase::Selecting, Error::<T>::WrongPhase);
		Self::release(&HoldReason::Escrow, who, q.budget);
		Self::release(&HoldReason::Deposit, who, q.deposit);
		Self::unschedule(id, q.deadline);
		if let Some(c) = &q.params.coordinator {
			Work::<T>::remove(c, id);
			T::Registry::assignment_closed(c);
		}
		Queries::<T>::remove(id);
		RequesterQueries::<T>::remove(who, id);
		Self::deposit_event(Event::QueryCancelled { query: id });
		Ok(())
	}

	/// Manual selection by the named coordinator.
	pub fn do_select(
		who: &T::AccountId,
		id: QueryId,
		respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
		rationale: BoundedVec<u8, T::MaxRationaleLen>,
	) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Selecting, Error::<T>::WrongPhase);
		ensure!(q.params.coordinator.as_ref() == Some(who), Error::<T>::NotCoordinator);
		ensure!(
			respondents.len() == usize::from(q.params.respondents),
			Error::<T>::WrongRespondentCount
		);
		for (i, r) in respondents.iter().enumerate() {
			ensure!(!respondents.iter().take(i).any(|x| x == r), Error::<T>::DuplicateRespondent);
			ensure!(r != &q.requester, Error::<T>::RequesterSelected);
			ensure!(
				T::Registry::is_eligible(r, Role::Provider, q.domain),
				Error::<T>::RespondentNotEligible
			);
		}
		let now = frame_system::Pallet::<T>::block_number();
		Self::unschedule(id, q.deadline);
		q.selected_by = Some(who.clone());
		Self::assign_respondents(id, &mut q, respondents.clone())?;
		Self::record(&mut q, (b"select", who, &respondents, &rationale));
		Self::deposit_event(Event::RespondentsSelected {
			query: id,
			by: Some(who.clone()),
			respondents,
			rationale,
		});
		let n = Self::count_u8(q.respondents.len());
		let len = q.params.phases.committing;
		Self::enter(id, &mut q, Phase::Committing, len, n, now);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Commit.
	pub fn do_commit(who: &T::AccountId, id: QueryId, commitment: H256) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Committing, Error::<T>::WrongPhase);
		ensure!(q.respondents.contains(who), Error::<T>::NotRespondent);
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		ensure!(r.commitment.is_none(), Error::<T>::AlreadyCommitted);
		r.commitment = Some(commitment);
		Responses::<T>::insert(id, who, r);
		Self::record(&mut q, (b"commit", who, commitment));
		Self::deposit_event(Event::AnswerCommitted { query: id, who: who.clone(), commitment });
		Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Reveal.
	pub fn do_reveal(
		who: &T::AccountId,
		id: QueryId,
		answer: AnswerOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Revealing, Error::<T>::WrongPhase);
		ensure!(q.respondents.contains(who), Error::<T>::NotRespondent);
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		let commitment = r.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(r.answer.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(!answer.is_empty(), Error::<T>::EmptyAnswer);
		ensure!(
			Self::commitment_of(id, who, &answer, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		r.answer = Some(answer.clone());
		Responses::<T>::insert(id, who, r);
		Self::record(&mut q, (b"reveal", who, &answer, salt));
		Self::deposit_event(Event::AnswerRevealed { query: id, who: who.clone(), answer });
		Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Debate message.
	pub fn do_debate(
		who: &T::AccountId,
		id: QueryId,
		round: u8,
		message: AnswerOf<T>,
		revised_answer: Option<AnswerOf<T>>,
		agrees: bool,
	) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		let Phase::Debating { round: current } = q.phase else {
			return Err(Error::<T>::WrongPhase.into());
		};
		ensure!(round == current, Error::<T>::WrongRound);
		ensure!(q.respondents.contains(who), Error::<T>::NotRespondent);
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		ensure!(r.answer.is_some(), Error::<T>::NoAnswer);
		ensure!(!message.is_empty(), Error::<T>::EmptyAnswer);
		ensure!(revised_answer.as_ref().is_none_or(|a| !a.is_empty()), Error::<T>::EmptyAnswer);
		let mut log = Debates::<T>::get(id, round);
		ensure!(!log.iter().any(|e| &e.who == who), Error::<T>::AlreadyActed);
		log.try_push(DebateEntry {
			who: who.clone(),
			message: message.clone(),
			agrees,
			revised: revised_answer.is_some(),
		})
		.map_err(|_| Error::<T>::Overflow)?;
		Debates::<T>::insert(id, round, log);
		if let Some(a) = &revised_answer {
			r.answer = Some(a.clone());
			Responses::<T>::insert(id, who, r);
		}
		Self::record(&mut q, (b"debate", who, round, &message, &revised_answer, agrees));
		Self::deposit_event(Event::DebatePosted {
			query: id,
			round,
			who: who.clone(),
			message,
			revised_answer,
			agrees,
		});
		Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Judgement and feedback.
	pub fn do_judge(
		who: &T::AccountId,
		id: QueryId,
		comparisons: BoundedVec<ComparisonOf<T>, T::MaxComparisons>,
		feedback: BoundedVec<PeerFeedbackOf<T>, T::MaxRespondents>,
	) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Judging, Error::<T>::WrongPhase);
		ensure!(!Judgements::<T>::contains_key(id, who), Error::<T>::AlreadyActed);
		let is_respondent = q.respondents.contains(who);
		let own = if is_respondent {
			let r = Responses::<T>::get(id, who).unwrap_or_default();
			Some(r.candidate.ok_or(Error::<T>::NoAnswer)?)
		} else {
			ensure!(Self::may_volunteer_judge(id, &q, who), Error::<T>::CannotJudge);
			None
		};
		let k = Candidates::<T>::decode_len(id).unwrap_or(0);
		let mut seen = BTreeSet::new();
		for c in comparisons.iter() {
			ensure!(usize::from(c.a) < k && usize::from(c.b) < k, Error::<T>::UnknownCandidate);
			ensure!(c.a != c.b, Error::<T>::SelfComparison);
			ensure!(own != Some(c.a) && own != Some(c.b), Error::<T>::OwnCandidate);
			ensure!(seen.insert((c.a.min(c.b), c.a.max(c.b))), Error::<T>::DuplicatePair);
		}
		for f in feedback.iter() {
			ensure!(&f.to != who && q.respondents.contains(&f.to), Error::<T>::BadFeedbackTarget);
		}
		let verdicts: BoundedVec<PairVerdict, T::MaxComparisons> = comparisons
			.iter()
			.map(|c| PairVerdict { a: c.a, b: c.b, outcome: c.outcome })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		if !is_respondent {
			T::Registry::assignment_opened(who)?;
			ExtraJudges::<T>::try_mutate(id, |v| v.try_push(who.clone()))
				.map_err(|_| Error::<T>::CannotJudge)?;
			Work::<T>::insert(who, id, Assignment::Judge);
		}
		Judgements::<T>::insert(id, who, verdicts);
		for f in feedback.iter() {
			T::Reputation::record_feedback(who, &f.to, id, q.domain, f.text.to_vec())?;
		}
		Self::record(&mut q, (b"judge", who, &comparisons, &feedback));
		Self::deposit_event(Event::Judged { query: id, judge: who.clone(), comparisons });
		Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Validator score.
	pub fn do_validate(
		who: &T::AccountId,
		id: QueryId,
		score: Percent,
		note: BoundedVec<u8, T::MaxRationaleLen>,
	) -> DispatchResult {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Validating, Error::<T>::WrongPhase);
		let mut scores = Validations::<T>::get(id);
		ensure!(!scores.iter().any(|v| &v.who == who), Error::<T>::AlreadyActed);
		ensure!(Self::may_validate(&q, &scores, who), Error::<T>::CannotValidate);
		let stake = T::Registry::stake_of(who);
		scores
			.try_push(ValidationEntry { who: who.clone(), score, stake })
			.map_err(|_| Error::<T>::CannotValidate)?;
		T::Registry::assignment_opened(who)?;
		Validations::<T>::insert(id, scores);
		Work::<T>::insert(who, id, Assignment::Validator);
		Self::record(&mut q, (b"validate", who, score, &note));
		Self::deposit_event(Event::Validated { query: id, validator: who.clone(), score, note });
		Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(())
	}

	/// Whether `who` may join query `id` as an extra judge now: not a respondent nor the
	/// requester, a slot is free, and it is an eligible provider of the domain.
	pub(crate) fn may_volunteer_judge(id: QueryId, q: &QueryInfoOf<T>, who: &T::AccountId) -> bool {
		!q.respondents.contains(who)
			&& who != &q.requester
			&& ExtraJudges::<T>::decode_len(id).unwrap_or(0) < usize::from(q.params.extra_judges)
			&& T::Registry::is_eligible(who, Role::Provider, q.domain)
	}

	/// Whether `who` may score `q` given the `scores` so far: a slot is free, it is not a
	/// respondent nor the requester, and it is an eligible validator of the domain.
	pub(crate) fn may_validate(
		q: &QueryInfoOf<T>,
		scores: &[ValidationEntryOf<T>],
		who: &T::AccountId,
	) -> bool {
		scores.len() < usize::from(q.params.validators)
			&& !q.respondents.contains(who)
			&& who != &q.requester
			&& T::Registry::is_eligible(who, Role::Validator, q.domain)
	}

	/// Permissionless transition after a deadline.
	pub fn do_advance(id: QueryId) -> DispatchResult {
		let q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(!q.phase.is_final(), Error::<T>::QueryFinished);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= q.deadline, Error::<T>::DeadlineNotReached);
		Self::unschedule(id, q.deadline);
		Self::transition(id, q, now);
		Ok(())
	}

	/// Remove a finished record.
	pub fn do_reap(who: &T::AccountId, id: QueryId) -> DispatchResult {
		let q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(&q.requester == who, Error::<T>::NotRequester);
		ensure!(q.phase.is_final(), Error::<T>::QueryNotFinished);
		Self::release(&HoldReason::Deposit, who, q.deposit);
		Queries::<T>::remove(id);
		RequesterQueries::<T>::remove(who, id);
		Self::deposit_event(Event::QueryReaped { query: id });
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Schedule and phases
	// ---------------------------------------------------------------------------------------

	/// Run the transitions due at `now` (at most `MaxDuePerBlock`); the weight used.
	pub fn process_schedule(now: BlockNumberFor<T>) -> Weight {
		let due = Schedule::<T>::take(now);
		let db = T::DbWeight::get().reads_writes(1, 1);
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

	/// Put `id` in the first block from `at` with room; that block.
	fn schedule(id: QueryId, at: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
		schedule::schedule::<Schedule<T>, _, _, _>(id, at).ok_or(Error::<T>::ScheduleFull.into())
	}

	fn unschedule(id: QueryId, at: BlockNumberFor<T>) {
		schedule::unschedule::<Schedule<T>, _, _, _>(&id, at)
	}

	/// Enter `phase` for `length` blocks, expecting `expected` actions.
	fn enter(
		id: QueryId,
		q: &mut QueryInfoOf<T>,
		phase: Phase,
		length: BlockNumberFor<T>,
		expected: u8,
		now: BlockNumberFor<T>,
	) {
		let want = now.saturating_add(length);
		q.deadline = Self::schedule(id, want).unwrap_or_else(|_| {
			log::warn!(target: LOG_TARGET, "query {id}: schedule full, needs `advance`");
			want
		});
		q.phase = phase;
		q.progress = 0;
		q.expected = expected;
		match phase {
			Phase::Judging if q.params.extra_judges > 0 => OpenCalls::<T>::insert(id, q.domain),
			Phase::Validating => OpenCalls::<T>::insert(id, q.domain),
			_ => OpenCalls::<T>::remove(id),
		}
		Self::deposit_event(Event::PhaseChanged { query: id, phase, deadline: q.deadline });
	}

	/// Count one action; when all expected actions are in, the deadline moves to the next
	/// block.
	fn acted(id: QueryId, q: &mut QueryInfoOf<T>) {
		q.progress = q.progress.saturating_add(1);
		if q.progress < q.expected {
			return;
		}
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		if q.deadline <= next {
			return;
		}
		if let Ok(at) = Self::schedule(id, next) {
			Self::unschedule(id, q.deadline);
			q.deadline = at;
		}
	}

	/// The transition at the end of `q`'s current phase.
	pub(crate) fn transition(id: QueryId, mut q: QueryInfoOf<T>, now: BlockNumberFor<T>) {
		match q.phase {
			Phase::Selecting => {
				let chosen = Self::auto_select(id, &q);
				if let Some(c) = q.params.coordinator.clone() {
					Work::<T>::remove(&c, id);
					T::Registry::assignment_closed(&c);
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
						_ => Self::missed(id, who),
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
						Some(r) if r.commitment.is_some() => Self::missed(id, who),
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
				Self::compute_consensus(id, &mut q);
				Self::after_consensus(id, &mut q, now);
			}
			Phase::Validating => Self::settle(id, &mut q, now),
			Phase::Settled | Phase::Expired => {}
		}
		if Queries::<T>::contains_key(id) {
			Queries::<T>::insert(id, q);
		}
	}

	fn count_u8(n: usize) -> u8 {
		u8::try_from(n).unwrap_or(u8::MAX)
	}

	/// Record the respondents and open their assignments.
	fn assign_respondents(
		id: QueryId,
		q: &mut QueryInfoOf<T>,
		respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
	) -> DispatchResult {
		for r in respondents.iter() {
			T::Registry::assignment_opened(r)?;
			Work::<T>::insert(r, id, Assignment::Respondent);
		}
		q.respondents = respondents;
		Ok(())
	}

	/// A respondent missed a commit or reveal deadline.
	fn missed(id: QueryId, who: &T::AccountId) {
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		r.missed = true;
		Responses::<T>::insert(id, who, r);
		let out =
			T::Registry::slash(who, T::MissedDeadlineSlash::get(), SlashReason::MissedDeadline);
		Self::deposit_event(Event::DeadlineMissed {
			query: id,
			who: who.clone(),
			slashed: out.own.saturating_add(out.delegated),
		});
	}

	/// Automatic selection: top by `Answer` reputation x stake factor, one exploration slot
	/// for a low-sample provider, ties by `blake2(seed, account)` with
	/// `seed = blake2(parent hash, query id)`.
	pub(crate) fn auto_select(
		id: QueryId,
		q: &QueryInfoOf<T>,
	) -> BoundedVec<T::AccountId, T::MaxRespondents> {
		let seed = blake2_256(&(frame_system::Pallet::<T>::parent_hash(), id).encode());
		let mut pool: Vec<(T::AccountId, u128, u32, [u8; 32])> =
			T::Registry::nodes_in_domain(q.domain, T::SelectionScan::get())
				.into_iter()
				.filter(|n| {
					n != &q.requester && T::Registry::is_eligible(n, Role::Provider, q.domain)
				})
				.map(|n| {
					let rep = T::Reputation::reputation(&n, q.domain, ReputationKind::Answer);
					let obs = T::Reputation::observations(&n, q.domain, ReputationKind::Answer);
					let score = Self::selection_score(rep, T::Registry::stake_of(&n));
					let tie = blake2_256(&(seed, &n).encode());
					(n, score, obs, tie)
				})
				.collect();
		pool.sort_by(|a, b| b.1.cmp(&a.1).then(a.3.cmp(&b.3)));
		let wanted = usize::from(q.params.respondents);
		let mut chosen: Vec<T::AccountId> = Vec::new();
		if wanted >= 2 && pool.len() > wanted {
			let top = wanted.saturating_sub(1);
			chosen.extend(pool.iter().take(top).map(|c| c.0.clone()));
			let explorer = pool
				.iter()
				.skip(top)
				.filter(|c| c.2 < T::ExplorationBelow::get())
				.min_by(|a, b| a.3.cmp(&b.3))
				.or_else(|| pool.get(top));
			chosen.extend(explorer.map(|c| c.0.clone()));
		} else {
			chosen.extend(pool.iter().take(wanted).map(|c| c.0.clone()));
		}
		BoundedVec::truncate_from(chosen)
	}

	/// `reputation x (1 + min(stake / StakeSaturation, 1)) / 2`, in parts per billion squared.
	pub fn selection_score(reputation: Perbill, stake: BalanceOf<T>) -> u128 {
		let sat = T::StakeSaturation::get();
		let factor = if sat.is_zero() {
			Perbill::one()
		} else {
			Perbill::from_rational(stake.min(sat), sat)
		};
		u128::from(reputation.deconstruct()).saturating_mul(
			u128::from(Perbill::ACCURACY).saturating_add(factor.deconstruct().into()),
		)
	}

	/// Build the candidates from the answers and open judging (or skip it when there is
	/// nothing to compare).
	fn open_judging(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		let mut candidates: Vec<AnswerOf<T>> = Vec::new();
		let mut answered = 0usize;
		for who in q.respondents.iter() {
			let Some(mut r) = Responses::<T>::get(id, who) else { continue };
			let Some(answer) = r.answer.clone() else { continue };
			let index = match candidates.iter().position(|c| c == &answer) {
				Some(i) => i,
				None => {
					candidates.push(answer);
					candidates.len().saturating_sub(1)
				}
			};
			r.candidate = Some(Self::count_u8(index));
			Responses::<T>::insert(id, who, r);
			answered = answered.saturating_add(1);
		}
		let k = candidates.len();
		Candidates::<T>::insert(id, BoundedVec::truncate_from(candidates));
		if k <= 1 || q.params.mode == Mode::Single {
			Self::compute_consensus(id, q);
			Self::after_consensus(id, q, now);
		} else {
			let expected = Self::count_u8(answered.saturating_add(q.params.extra_judges.into()));
			Self::enter(id, q, Phase::Judging, q.params.phases.judging, expected, now);
		}
	}

	/// Holders of each candidate among the respondents.
	fn holders(id: QueryId, q: &QueryInfoOf<T>, k: usize) -> Vec<u32> {
		let mut holders = alloc::vec![0u32; k];
		for who in q.respondents.iter() {
			let c = Responses::<T>::get(id, who).and_then(|r| r.candidate);
			if let Some(h) = c.and_then(|c| holders.get_mut(usize::from(c))) {
				*h = h.saturating_add(1);
			}
		}
		holders
	}

	/// The judges of a query (respondents with a candidate, then extra judges) and their
	/// verdicts.
	fn judgements(id: QueryId, q: &QueryInfoOf<T>) -> Vec<(T::AccountId, Vec<PairVerdict>)> {
		q.respondents
			.iter()
			.cloned()
			.chain(ExtraJudges::<T>::get(id))
			.filter_map(|j| Judgements::<T>::get(id, &j).map(|v| (j, v.into_inner())))
			.collect()
	}

	/// Compute and store the consensus of `q`.
	pub(crate) fn compute_consensus(id: QueryId, q: &mut QueryInfoOf<T>) {
		let candidates = Candidates::<T>::get(id);
		let k = candidates.len();
		let holders = Self::holders(id, q, k);
		let majority_scores = consensus::majority(&holders);
		let (scores, iterations) = match q.params.aggregation {
			Aggregation::BradleyTerry if k >= 2 => {
				let mut tally = Tally::new(k);
				for (judge, verdicts) in Self::judgements(id, q) {
					let rep =
						T::Reputation::reputation(&judge, q.domain, ReputationKind::Judgement);
					let w = consensus::judge_weight(rep, T::JudgeWeightFloor::get());
					for v in verdicts {
						tally.add(w, v.a.into(), v.b.into(), v.outcome);
					}
				}
				let fit = consensus::bradley_terry(
					&tally,
					&BtParams {
						max_iterations: T::MaxBtIterations::get(),
						tolerance: T::BtTolerance::get(),
						prior: T::BtPrior::get(),
					},
				);
				(fit.scores, fit.iterations)
			}
			_ => (majority_scores.clone(), 0),
		};
		// Ties of the fit (e.g. no decisive comparison) go to the candidate more respondents
		// hold, then to the lowest index.
		let winner = consensus::argmax_by(&scores, &holders).unwrap_or(0);
		let majority = consensus::argmax(&majority_scores).unwrap_or(0);
		let total = scores.iter().fold(0u128, |a, s| a.saturating_add(s.into_inner()));
		let shares: Vec<Perbill> = scores
			.iter()
			.map(|s| {
				if total == 0 {
					Perbill::zero()
				} else {
					Perbill::from_rational(s.into_inner(), total)
				}
			})
			.collect();
		let c = Consensus {
			candidate: Self::count_u8(winner),
			answer: candidates.get(winner).cloned().unwrap_or_default(),
			scores: BoundedVec::truncate_from(shares),
			majority: Self::count_u8(majority),
			iterations,
			quality: None,
		};
		Self::deposit_event(Event::ConsensusReached {
			query: id,
			candidate: c.candidate,
			answer: c.answer.clone(),
			scores: c.scores.clone(),
			majority: c.majority,
			iterations,
		});
		q.consensus = Some(c);
	}

	fn after_consensus(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		if q.params.validators > 0 {
			let (n, len) = (q.params.validators, q.params.phases.validating);
			Self::enter(id, q, Phase::Validating, len, n, now);
		} else {
			Self::settle(id, q, now);
		}
	}

	/// Pay, update reputations, refund, prune.
	pub(crate) fn settle(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		let Some(mut cons) = q.consensus.clone() else { return Self::expire(id, q.clone(), now) };
		let budget = q.budget;
		Self::release(&HoldReason::Escrow, &q.requester, budget);
		let mut paid = BalanceOf::<T>::zero();
		let shares = q.params.shares;
		let scores: Vec<Perbill> = cons.scores.to_vec();
		let best = scores.iter().copied().max().unwrap_or_default();

		// Validators: equal split; quality = stake-weighted mean.
		let validations = Validations::<T>::get(id);
		cons.quality = Self::quality(&validations);
		let quality_ok = cons.quality.is_none_or(|x| x >= q.params.quality_threshold);
		let v_pool = shares.validators.mul_floor(budget);
		let v_each =
			Perbill::from_rational(1u32, validations.len().max(1) as u32).mul_floor(v_pool);
		for v in validations.iter() {
			paid = paid.saturating_add(Self::pay(id, q, &v.who, v_each, PayRole::Validator));
		}

		// Coordinator.
		if let Some(c) = q.selected_by.clone() {
			let amount = shares.coordinator.mul_floor(budget);
			paid = paid.saturating_add(Self::pay(id, q, &c, amount, PayRole::Coordinator));
		}

		// Answers.
		let holders = Self::holders(id, q, scores.len());
		let weights: Vec<u64> = match q.params.answer_payout {
			AnswerPayout::Proportional => {
				scores.iter().map(|s| u64::from(s.deconstruct())).collect()
			}
			AnswerPayout::GeometricRank => {
				let mut order: Vec<usize> = (0..scores.len()).collect();
				order.sort_by(|a, b| scores.get(*b).cmp(&scores.get(*a)).then(a.cmp(b)));
				let mut w = alloc::vec![0u64; scores.len()];
				for (rank, c) in order.iter().enumerate() {
					let r = T::RankRatio::get().saturating_pow(rank);
					if let Some(x) = w.get_mut(*c) {
						*x = u64::from(r.deconstruct());
					}
				}
				w
			}
		};
		let total_w = weights
			.iter()
			.zip(holders.iter())
			.filter(|(_, h)| **h > 0)
			.fold(0u64, |a, (w, _)| a.saturating_add(*w));
		let a_pool = shares.answers.mul_floor(budget);
		for who in q.respondents.clone().iter() {
			let Some(c) = Responses::<T>::get(id, who).and_then(|r| r.candidate) else { continue };
			let c = usize::from(c);
			let (w, h) =
				(weights.get(c).copied().unwrap_or(0), holders.get(c).copied().unwrap_or(1));
			if quality_ok && total_w > 0 {
				let amount = Perbill::from_rational(w, total_w.saturating_mul(h.max(1).into()))
					.mul_floor(a_pool);
				paid = paid.saturating_add(Self::pay(id, q, who, amount, PayRole::Answer));
			}
			let x = if q.params.mode == Mode::Single {
				cons.quality.map(|p| Perbill::from_percent(p.deconstruct().into()))
			} else if scores.len() >= 2 && scores.iter().all(|s| Some(s) == scores.first()) {
				// Several candidates and no decisive comparison: the observation says nothing
				// about the answers' quality, so the reputations stay as they are.
				None
			} else {
				Some(consensus::relative_to_perbill(
					scores.get(c).copied().unwrap_or_default(),
					best,
				))
			};
			if let Some(x) = x {
				T::Reputation::record_outcome(who, q.domain, ReputationKind::Answer, x);
			}
		}

		// Judges: agreement x judgement reputation.
		let j_pool = shares.judges.mul_floor(budget);
		let mut judged: Vec<(T::AccountId, Perbill)> = Vec::new();
		for (judge, verdicts) in Self::judgements(id, q) {
			let Some(agreement) = consensus::agreement(
				&scores,
				verdicts.iter().map(|v| (usize::from(v.a), usize::from(v.b), v.outcome)),
			) else {
				continue;
			};
			let rep = T::Reputation::reputation(&judge, q.domain, ReputationKind::Judgement);
			T::Reputation::record_outcome(&judge, q.domain, ReputationKind::Judgement, agreement);
			judged.push((judge, agreement.saturating_mul(rep)));
		}
		let total_j =
			judged.iter().fold(0u64, |a, (_, w)| a.saturating_add(w.deconstruct().into()));
		if total_j > 0 {
			for (judge, w) in judged.iter() {
				let amount =
					Perbill::from_rational(u64::from(w.deconstruct()), total_j).mul_floor(j_pool);
				paid = paid.saturating_add(Self::pay(id, q, judge, amount, PayRole::Judge));
			}
		}

		q.consensus = Some(cons);
		Self::close(id, q, Phase::Settled, now);
		Self::deposit_event(Event::QuerySettled {
			query: id,
			paid,
			refunded: budget.saturating_sub(paid),
			transcript: q.transcript,
		});
	}

	/// Stake-weighted mean of the validators' scores (plain mean when no stake).
	fn quality(v: &[ValidationEntryOf<T>]) -> Option<Percent> {
		if v.is_empty() {
			return None;
		}
		let stake: Vec<u128> = v.iter().map(|e| e.stake.saturated_into::<u128>()).collect();
		let total = stake.iter().fold(0u128, |a, s| a.saturating_add(*s));
		let (num, den) = if total == 0 {
			(
				v.iter().fold(0u128, |a, e| a.saturating_add(e.score.deconstruct().into())),
				v.len() as u128,
			)
		} else {
			(
				v.iter().zip(stake.iter()).fold(0u128, |a, (e, s)| {
					a.saturating_add(u128::from(e.score.deconstruct()).saturating_mul(*s))
				}),
				total,
			)
		};
		Some(Percent::from_rational(num, den.saturating_mul(100)))
	}

	/// Pay `amount` of the requester's (released) funds to `who` through the reward split;
	/// what was paid (zero on failure: the funds stay with the requester).
	fn pay(
		id: QueryId,
		q: &QueryInfoOf<T>,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		role: PayRole,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		match T::Registry::reward(&q.requester, who, amount) {
			Ok(_) => {
				Self::deposit_event(Event::Paid { query: id, who: who.clone(), role, amount });
				amount
			}
			Err(e) => {
				log::warn!(target: LOG_TARGET, "query {id}: payment to a {role:?} failed: {e:?}");
				Zero::zero()
			}
		}
	}

	/// End without answers: refund the budget.
	fn expire(id: QueryId, mut q: QueryInfoOf<T>, now: BlockNumberFor<T>) {
		Self::release(&HoldReason::Escrow, &q.requester, q.budget);
		Self::close(id, &mut q, Phase::Expired, now);
		Self::deposit_event(Event::QueryExpired { query: id, refunded: q.budget });
		Queries::<T>::insert(id, q);
	}

	/// Close assignments, prune texts, enter a final phase.
	fn close(id: QueryId, q: &mut QueryInfoOf<T>, phase: Phase, now: BlockNumberFor<T>) {
		let mut done: Vec<T::AccountId> = q.respondents.to_vec();
		if let Some(c) = &q.selected_by {
			done.push(c.clone());
		}
		done.extend(ExtraJudges::<T>::get(id));
		done.extend(Validations::<T>::get(id).into_iter().map(|v| v.who));
		for who in done.iter() {
			Work::<T>::remove(who, id);
			T::Registry::assignment_closed(who);
		}
		let _ = Responses::<T>::clear_prefix(id, T::MaxRespondents::get(), None);
		let _ = Debates::<T>::clear_prefix(id, T::MaxDebateRounds::get(), None);
		let judges = T::MaxRespondents::get().saturating_add(T::MaxExtraJudges::get());
		let _ = Judgements::<T>::clear_prefix(id, judges, None);
		Candidates::<T>::remove(id);
		ExtraJudges::<T>::remove(id);
		Validations::<T>::remove(id);
		OpenCalls::<T>::remove(id);
		q.phase = phase;
		q.progress = 0;
		q.expected = 0;
		q.finished = Some(now);
		Self::deposit_event(Event::PhaseChanged { query: id, phase, deadline: now });
	}

	fn release(reason: &HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if let Err(e) = T::Currency::release(&(*reason).into(), who, amount, Precision::BestEffort)
		{
			log::error!(target: LOG_TARGET, "release of {reason:?} failed: {e:?}");
		}
	}

	/// Fold a step into the transcript hash.
	fn record(q: &mut QueryInfoOf<T>, step: impl Encode) {
		q.transcript = H256(blake2_256(&(q.transcript, step).encode()));
	}

	// ---------------------------------------------------------------------------------------
	// Invariants
	// ---------------------------------------------------------------------------------------

	/// The invariants listed in the crate docs.
	#[cfg(any(test, feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame::traits::fungible::InspectHold;
		let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, q) in Queries::<T>::iter() {
			ensure!(
				RequesterQueries::<T>::contains_key(&q.requester, id),
				"query missing from its requester's index"
			);
			let d = deposits.entry(q.requester.clone()).or_default();
			*d = d.saturating_add(q.deposit);
			if q.phase.is_final() {
				ensure!(Responses::<T>::iter_prefix(id).next().is_none(), "responses not pruned");
				ensure!(Debates::<T>::iter_prefix(id).next().is_none(), "debate not pruned");
				ensure!(Judgements::<T>::iter_prefix(id).next().is_none(), "judgements not pruned");
				ensure!(!Candidates::<T>::contains_key(id), "candidates not pruned");
				ensure!(!OpenCalls::<T>::contains_key(id), "finished query open to volunteers");
			} else {
				let e = escrow.entry(q.requester.clone()).or_default();
				*e = e.saturating_add(q.budget);
				ensure!(q.progress <= q.expected, "progress beyond expected");
			}
		}
		for (who, id, ()) in RequesterQueries::<T>::iter() {
			let q = Queries::<T>::get(id).ok_or("requester index names a missing query")?;
			ensure!(q.requester == who, "requester index names another requester's query");
		}
		for (who, id, role) in Work::<T>::iter() {
			let q = Queries::<T>::get(id).ok_or("work index names a missing query")?;
			ensure!(!q.phase.is_final(), "work index names a finished query");
			let ok = match role {
				Assignment::Coordinator => q.params.coordinator.as_ref() == Some(&who),
				Assignment::Respondent => q.respondents.contains(&who),
				Assignment::Judge => ExtraJudges::<T>::get(id).contains(&who),
				Assignment::Validator => Validations::<T>::get(id).iter().any(|v| v.who == who),
			};
			ensure!(ok, "work index role disagrees with the query");
		}
		for (block, ids) in Schedule::<T>::iter() {
			for id in ids {
				let q = Queries::<T>::get(id).ok_or("schedule names a missing query")?;
				ensure!(!q.phase.is_final() && q.deadline == block, "schedule entry is stale");
			}
		}
		let accounts: BTreeSet<T::AccountId> =
			escrow.keys().chain(deposits.keys()).cloned().collect();
		for who in accounts {
			let want_e = escrow.get(&who).copied().unwrap_or_default();
			let want_d = deposits.get(&who).copied().unwrap_or_default();
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == want_e,
				"escrow held differs from open budgets"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Deposit.into(), &who) == want_d,
				"deposit held differs from query deposits"
			);
		}
		Ok(())
	}
}
