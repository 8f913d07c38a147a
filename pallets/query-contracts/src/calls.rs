//! The logic behind the calls: checks and effects of each `do_*`.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::{collections::BTreeSet, vec::Vec};
use codec::Encode;
use frame::{
	arithmetic::{PerThing, Perbill, Percent},
	hashing::{blake2_256, H256},
	prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Saturating,
	},
};
use llmnet_primitives::{schedule, NodeRegistry, Reputation, Role};

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

	/// The commitment of judge `who` to a judgement of `query`:
	/// `blake2_256(SCALE((query, who, comparisons, feedback, salt)))` (the two lists
	/// SCALE-encoded as the `judge` call takes them, with their compact length prefixes).
	pub fn judgement_commitment_of(
		query: QueryId,
		who: &T::AccountId,
		comparisons: &[ComparisonOf<T>],
		feedback: &[PeerFeedbackOf<T>],
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(query, who, comparisons, feedback, salt).encode()))
	}

	/// The commitment of validator `who` to `score` and `note` in `query`:
	/// `blake2_256(SCALE((query, who, score, note, salt)))` (the note with its compact length
	/// prefix).
	pub fn validation_commitment_of(
		query: QueryId,
		who: &T::AccountId,
		score: Percent,
		note: &[u8],
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(query, who, score, note, salt).encode()))
	}

	/// Weight of the heaviest phase transition (hook entry or `advance`), with the schedule
	/// probes of the next deadline (AUDIT M3) and the transitions that run several steps in
	/// one block summed (AUDIT M4):
	/// - Revealing slashes the respondents that did not reveal, builds the candidates, and
	///   with fewer than two answers computes the consensus and settles, or draws validators
	///   (a domain scan like automatic selection's) and enters Validating;
	/// - Judging rates the respondents that did not commit a judgement (`advance_judged`) and
	///   enters RevealingJudgements, or (nobody committed) settles as RevealingJudgements does;
	/// - RevealingJudgements computes the consensus (in `advance_settle`) and settles, or draws
	///   validators;
	/// - Validating settles with the validators' payments (`advance_validated`);
	/// - Selecting scans the domain's sample and its leaders (`advance_select`), Committing
	///   slashes who did not commit.
	pub fn transition_weight() -> Weight {
		let n = T::MaxRespondents::get();
		let select = T::WeightInfo::advance_select(
			T::SelectionScan::get().saturating_add(T::MaxLeaders::get()),
		);
		// The consensus fit at its step bound (spec 8: Newton steps, benchmarked on their own).
		let fit = T::WeightInfo::bradley_terry(T::MaxBtIterations::get());
		// A committee drawn over a full `CommitteeScan` sample: `advance_open_judging` draws
		// the extra judges; after a consensus the validators are drawn the same way (bounded
		// by it while `MaxValidators <= MaxExtraJudges`, checked in
		// `try-runtime/tests/constants.rs`), and the query settles when none is drawn. (Before
		// spec 12 the validators' draw was in no benchmark.)
		let committee = T::WeightInfo::advance_open_judging(2);
		let consensus =
			T::WeightInfo::advance_settle().saturating_add(fit).saturating_add(committee);
		// Revealing rates the missed reveals, then opens judging (candidates and the extra
		// judges' committee) or, with one answer or in Single mode, reaches the consensus.
		let revealing = T::WeightInfo::advance_missed(n)
			.saturating_add(T::WeightInfo::advance_open_judging(n).max(consensus));
		// Judging enters RevealingJudgements (rating the respondents that did not commit) or,
		// when nobody committed, reaches the consensus like RevealingJudgements: both counted.
		let judging = T::WeightInfo::advance_judged(n).saturating_add(consensus);
		select
			.max(revealing)
			.max(judging)
			.max(T::WeightInfo::advance_validated())
			.saturating_add(Self::schedule_weight())
	}

	/// The worst case of one [`Self::schedule`] (every slot in reach full, AUDIT M3), added to
	/// the weight of each call that may move a deadline.
	pub fn schedule_weight() -> Weight {
		T::WeightInfo::schedule(llmnet_primitives::schedule::SCHEDULE_REACH)
	}

	/// A call's actual weight: `base` (its benchmark) plus the `probes` its schedule
	/// (re)placement made, instead of the `SCHEDULE_REACH` probes it declared.
	pub(crate) fn with_probes(base: Weight, probes: u32) -> PostDispatchInfo {
		let probes = if probes == 0 { Weight::zero() } else { T::WeightInfo::schedule(probes) };
		Some(base.saturating_add(probes)).into()
	}

	/// Write a query contract; its id.
	pub fn do_create_query(
		requester: T::AccountId,
		domain: DomainId,
		prompt: BoundedVec<u8, T::MaxPromptLen>,
		mut params: QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> Result<QueryId, DispatchError> {
		ensure!(!prompt.is_empty(), Error::<T>::EmptyPrompt);
		Self::check_query(&requester, domain, &params, budget)?;
		let id = NextQueryId::<T>::get();
		let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let open = OpenQueries::<T>::get();
		ensure!(open < schedule::capacity::<T::MaxDuePerBlock>(), Error::<T>::ScheduleFull);
		let deadline = Self::schedule(id, now.saturating_add(params.phases.selecting))?;
		let deposit = T::QueryDeposit::get();
		let fee = T::QueryFee::get();
		T::Currency::burn_from(
			&requester,
			fee,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		T::Currency::hold(&HoldReason::Escrow.into(), &requester, budget)?;
		T::Currency::hold(&HoldReason::Deposit.into(), &requester, deposit)?;
		if let Some(c) = &params.coordinator {
			Self::open_work(c, id, Assignment::Coordinator)?;
		} else if let Some(c) = Self::draw_coordinator(id, domain, &requester, &params) {
			// No coordinator named: one is drawn by judgement reputation and stake, so the
			// feedback texts reach a coordinator's LLM on every query whose selection phase
			// is long enough for one (a coordinator at its assignment cap is passed over).
			if Self::open_work(&c, id, Assignment::Coordinator).is_ok() {
				Self::deposit_event(Event::CoordinatorDrawn { query: id, coordinator: c.clone() });
				params.coordinator = Some(c);
			}
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
		OpenQueries::<T>::put(open.saturating_add(1));
		Self::deposit_event(Event::QueryCreated {
			query: id,
			requester,
			domain,
			mode: params.mode,
			budget,
			prompt,
			deadline,
			fee,
		});
		Ok(id)
	}

	/// Everything `create_query` checks but the prompt: the domain, the budget, the
	/// parameters, the named coordinator, and that enough eligible providers accept the terms.
	pub(crate) fn check_query(
		requester: &T::AccountId,
		domain: DomainId,
		params: &QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(T::Registry::is_active_domain(domain), Error::<T>::InactiveDomain);
		ensure!(budget >= T::MinBudget::get(), Error::<T>::BudgetTooLow);
		Self::check_params(params)?;
		if let Some(c) = &params.coordinator {
			ensure!(
				T::Registry::is_eligible(c, Role::Coordinator, domain),
				Error::<T>::CoordinatorNotEligible
			);
		}
		let sample = Self::pool_seed(Self::draw_seed(), NextQueryId::<T>::get());
		let within = Self::selection_pool(domain, requester, params, budget, sample).len();
		ensure!(within >= usize::from(params.respondents), Error::<T>::NoProvidersWithinTerms);
		Ok(())
	}

	pub(crate) fn check_params(p: &QueryParamsOf<T>) -> DispatchResult {
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
		ensure!(
			p.quality_threshold <= T::MaxQualityThreshold::get(),
			Error::<T>::QualityThresholdTooHigh
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
			Self::close_work(c, id);
		}
		Queries::<T>::remove(id);
		RequesterQueries::<T>::remove(who, id);
		OpenQueries::<T>::mutate(|n| n.saturating_dec());
		Self::deposit_event(Event::QueryCancelled { query: id });
		Ok(())
	}

	/// Manual selection by the named coordinator; the schedule probes it made.
	pub fn do_select(
		who: &T::AccountId,
		id: QueryId,
		respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
		rationale: BoundedVec<u8, T::MaxRationaleLen>,
	) -> Result<u32, DispatchError> {
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
			ensure!(
				Self::accepts(&Self::terms_in_force(r, q.domain), &q.params, q.budget),
				Error::<T>::TermsNotMet
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
		let probes = Self::enter(id, &mut q, Phase::Committing, len, n, now);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Commit; the schedule probes it made.
	pub fn do_commit(
		who: &T::AccountId,
		id: QueryId,
		commitment: H256,
	) -> Result<u32, DispatchError> {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Committing, Error::<T>::WrongPhase);
		ensure!(q.respondents.contains(who), Error::<T>::NotRespondent);
		let mut r = Responses::<T>::get(id, who).unwrap_or_default();
		ensure!(r.commitment.is_none(), Error::<T>::AlreadyCommitted);
		r.commitment = Some(commitment);
		Responses::<T>::insert(id, who, r);
		Self::record(&mut q, (b"commit", who, commitment));
		Self::deposit_event(Event::AnswerCommitted { query: id, who: who.clone(), commitment });
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Reveal; the schedule probes it made.
	pub fn do_reveal(
		who: &T::AccountId,
		id: QueryId,
		answer: AnswerOf<T>,
		salt: [u8; 32],
	) -> Result<u32, DispatchError> {
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
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Debate message; the schedule probes it made.
	pub fn do_debate(
		who: &T::AccountId,
		id: QueryId,
		round: u8,
		message: AnswerOf<T>,
		revised_answer: Option<AnswerOf<T>>,
		agrees: bool,
	) -> Result<u32, DispatchError> {
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
		ensure!(!log.iter().any(|e| &e.who == who), Error::<T>::AlreadyDebated);
		log.try_push(DebateEntry {
			who: who.clone(),
			message: message.clone(),
			agrees,
			revised: revised_answer.is_some(),
		})
		.map_err(|_| Error::<T>::DebateRoundFull)?;
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
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Judgement and feedback; the schedule probes it made.
	pub fn do_judge(
		who: &T::AccountId,
		id: QueryId,
		comparisons: BoundedVec<ComparisonOf<T>, T::MaxComparisons>,
		feedback: BoundedVec<PeerFeedbackOf<T>, T::MaxRespondents>,
		salt: [u8; 32],
	) -> Result<u32, DispatchError> {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::RevealingJudgements, Error::<T>::WrongPhase);
		let commitment =
			JudgementCommitments::<T>::get(id, who).ok_or(Error::<T>::JudgementNotCommitted)?;
		ensure!(!Judgements::<T>::contains_key(id, who), Error::<T>::AlreadyJudged);
		ensure!(
			Self::judgement_commitment_of(id, who, &comparisons, &feedback, &salt) == commitment,
			Error::<T>::JudgementMismatch
		);
		// Only respondents with a candidate and volunteers holding a slot could commit.
		let own = if q.respondents.contains(who) {
			Some(
				Responses::<T>::get(id, who)
					.and_then(|r| r.candidate)
					.ok_or(Error::<T>::NoAnswer)?,
			)
		} else {
			None
		};
		let k = Candidates::<T>::decode_len(id).unwrap_or(0);
		let mut seen = BTreeSet::new();
		for c in comparisons.iter() {
			ensure!(usize::from(c.a) < k && usize::from(c.b) < k, Error::<T>::UnknownCandidate);
			ensure!(c.a != c.b, Error::<T>::SelfComparison);
			// A verdict on a pair with the judge's own candidate counts only against it.
			ensure!(c.outcome.allowed_for(own, c.a, c.b), Error::<T>::OwnCandidate);
			ensure!(seen.insert((c.a.min(c.b), c.a.max(c.b))), Error::<T>::DuplicatePair);
		}
		for (i, f) in feedback.iter().enumerate() {
			ensure!(&f.to != who && q.respondents.contains(&f.to), Error::<T>::BadFeedbackTarget);
			ensure!(!feedback.iter().take(i).any(|g| g.to == f.to), Error::<T>::DuplicateFeedback);
		}
		let verdicts: BoundedVec<PairVerdict, T::MaxComparisons> = comparisons
			.iter()
			.map(|c| PairVerdict { a: c.a, b: c.b, outcome: c.outcome })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::TooManyComparisons)?;
		Judgements::<T>::insert(id, who, verdicts);
		for f in feedback.iter() {
			T::Reputation::record_feedback(who, &f.to, id, q.domain, f.text.to_vec())?;
		}
		Self::record(&mut q, (b"judge", who, &comparisons, &feedback, salt));
		Self::deposit_event(Event::Judged { query: id, judge: who.clone(), comparisons });
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Judgement commitment; the schedule probes it made.
	pub fn do_commit_judgement(
		who: &T::AccountId,
		id: QueryId,
		commitment: H256,
	) -> Result<u32, DispatchError> {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Judging, Error::<T>::WrongPhase);
		ensure!(
			!JudgementCommitments::<T>::contains_key(id, who)
				&& !Judgements::<T>::contains_key(id, who),
			Error::<T>::AlreadyJudged
		);
		if q.respondents.contains(who) {
			let r = Responses::<T>::get(id, who).unwrap_or_default();
			ensure!(r.candidate.is_some(), Error::<T>::NoAnswer);
		} else {
			ensure!(ExtraJudges::<T>::get(id).contains(who), Error::<T>::CannotJudge);
		}
		JudgementCommitments::<T>::insert(id, who, commitment);
		Self::record(&mut q, (b"commit_judgement", who, commitment));
		Self::deposit_event(Event::JudgementCommitted {
			query: id,
			judge: who.clone(),
			commitment,
		});
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Validator score reveal; the schedule probes it made.
	pub fn do_validate(
		who: &T::AccountId,
		id: QueryId,
		score: Percent,
		note: BoundedVec<u8, T::MaxRationaleLen>,
		salt: [u8; 32],
	) -> Result<u32, DispatchError> {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::RevealingValidations, Error::<T>::WrongPhase);
		let commitment =
			ValidationCommitments::<T>::get(id, who).ok_or(Error::<T>::ValidationNotCommitted)?;
		let mut scores = Validations::<T>::get(id);
		ensure!(!scores.iter().any(|v| &v.who == who), Error::<T>::AlreadyValidated);
		ensure!(
			Self::validation_commitment_of(id, who, score, &note, &salt) == commitment,
			Error::<T>::ValidationMismatch
		);
		let stake = T::Registry::stake_of(who);
		scores
			.try_push(ValidationEntry { who: who.clone(), score, stake })
			.map_err(|_| Error::<T>::CannotValidate)?;
		Validations::<T>::insert(id, scores);
		Self::record(&mut q, (b"validate", who, score, &note, salt));
		Self::deposit_event(Event::Validated { query: id, validator: who.clone(), score, note });
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
	}

	/// Validator score commitment; the schedule probes it made.
	pub fn do_commit_validation(
		who: &T::AccountId,
		id: QueryId,
		commitment: H256,
	) -> Result<u32, DispatchError> {
		let mut q = Queries::<T>::get(id).ok_or(Error::<T>::UnknownQuery)?;
		ensure!(q.phase == Phase::Validating, Error::<T>::WrongPhase);
		ensure!(
			!ValidationCommitments::<T>::contains_key(id, who)
				&& !Validations::<T>::get(id).iter().any(|v| &v.who == who),
			Error::<T>::AlreadyValidated
		);
		ensure!(DrawnValidators::<T>::get(id).contains(who), Error::<T>::CannotValidate);
		ValidationCommitments::<T>::insert(id, who, commitment);
		Self::record(&mut q, (b"commit_validation", who, commitment));
		Self::deposit_event(Event::ValidationCommitted {
			query: id,
			validator: who.clone(),
			commitment,
		});
		let probes = Self::acted(id, &mut q);
		Queries::<T>::insert(id, q);
		Ok(probes)
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
		Outcomes::<T>::remove(id);
		RequesterQueries::<T>::remove(who, id);
		Self::deposit_event(Event::QueryReaped { query: id });
		Ok(())
	}
}
