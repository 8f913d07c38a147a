//! Candidates, consensus (Bradley-Terry or majority), payments, reputations and closing.

use crate::{
	consensus::{self, BtParams, Tally},
	pallet::*,
	types::*,
	LOG_TARGET,
};
use alloc::vec::Vec;
use codec::Encode;
use frame::{
	arithmetic::{Perbill, Percent},
	hashing::{blake2_256, H256},
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, SaturatedConversion, Saturating, Zero},
};
use llmnet_primitives::{NodeRegistry, Reputation, ReputationKind};

impl<T: Config> Pallet<T> {
	/// Build the candidates from the answers and open judging (or skip it when there is
	/// nothing to compare).
	pub(crate) fn open_judging(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		// Answers equal up to case, spacing and a final full stop are one candidate, whose
		// text is the first such answer revealed.
		let mut candidates: Vec<AnswerOf<T>> = Vec::new();
		let mut forms: Vec<Vec<u8>> = Vec::new();
		let mut answered = 0usize;
		for who in q.respondents.iter() {
			let Some(mut r) = Responses::<T>::get(id, who) else { continue };
			let Some(answer) = r.answer.clone() else { continue };
			let form = llmnet_primitives::canonical_answer(&answer);
			let index = match forms.iter().position(|c| c == &form) {
				Some(i) => i,
				None => {
					candidates.push(answer);
					forms.push(form);
					candidates.len().saturating_sub(1)
				}
			};
			r.candidate = Some(Self::count_u8(index));
			Responses::<T>::insert(id, who, r);
			answered = answered.saturating_add(1);
		}
		let k = candidates.len();
		Candidates::<T>::insert(id, BoundedVec::truncate_from(candidates));
		if q.params.mode == Mode::Single || answered < 2 {
			Self::compute_consensus(id, q);
			Self::after_consensus(id, q, now);
		} else if k <= 1 {
			// Unanimous: nothing to compare, but the respondents still write their peer
			// feedback (LLM-Net's text mechanism has most to say when everyone agrees); no
			// extra judges are drawn.
			let expected = Self::count_u8(answered);
			Self::enter(id, q, Phase::Judging, q.params.phases.judging, expected, now);
		} else {
			let drawn =
				Self::open_committee(id, Self::draw_extra_judges(id, q, k), Assignment::Judge);
			let expected = Self::count_u8(answered.saturating_add(drawn.len()));
			if !drawn.is_empty() {
				ExtraJudges::<T>::insert(id, BoundedVec::truncate_from(drawn));
			}
			Self::enter(id, q, Phase::Judging, q.params.phases.judging, expected, now);
		}
	}

	/// Holders of each candidate among the respondents.
	pub(crate) fn holders(id: QueryId, q: &QueryInfoOf<T>, k: usize) -> Vec<u32> {
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
	pub(crate) fn judgements(
		id: QueryId,
		q: &QueryInfoOf<T>,
	) -> Vec<(T::AccountId, Vec<PairVerdict>)> {
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

	/// Draw the validators and open validation, or settle when none is wanted or drawn.
	pub(crate) fn after_consensus(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		if q.params.validators == 0 {
			return Self::settle(id, q, now);
		}
		let drawn = Self::open_committee(id, Self::draw_validators(id, q), Assignment::Validator);
		if drawn.is_empty() {
			return Self::settle(id, q, now);
		}
		let n = Self::count_u8(drawn.len());
		DrawnValidators::<T>::insert(id, BoundedVec::truncate_from(drawn));
		Self::enter(id, q, Phase::Validating, q.params.phases.validating, n, now);
	}

	/// Pay, update reputations, refund, prune.
	pub(crate) fn settle(id: QueryId, q: &mut QueryInfoOf<T>, now: BlockNumberFor<T>) {
		let Some(mut cons) = q.consensus.clone() else { return Self::expire(id, q.clone(), now) };
		let budget = q.budget;
		Self::release(&HoldReason::Escrow, &q.requester, budget);
		let mut payouts: Vec<PayoutOf<T>> = Vec::new();
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
			Self::pay(id, q, &mut payouts, &v.who, v_each, PayRole::Validator);
		}

		// Coordinator.
		if let Some(c) = q.selected_by.clone() {
			let amount = shares.coordinator.mul_floor(budget);
			Self::pay(id, q, &mut payouts, &c, amount, PayRole::Coordinator);
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
		// Answers: every respondent that revealed gets the price it agreed to at selection
		// (whatever the quality: being selected was consent to its terms); the rest of the
		// answers' share is the quality bonus, split by score when the quality holds.
		let a_pool = shares.answers.mul_floor(budget);
		let agreed: Vec<BalanceOf<T>> = q
			.respondents
			.iter()
			.map(|who| AgreedPrices::<T>::get(id, who).unwrap_or_default())
			.collect();
		let bonus_pool = agreed.iter().fold(a_pool, |left, p| left.saturating_sub(*p));
		for (who, price) in q.respondents.clone().iter().zip(agreed) {
			let Some(c) = Responses::<T>::get(id, who).and_then(|r| r.candidate) else { continue };
			let c = usize::from(c);
			let (w, h) =
				(weights.get(c).copied().unwrap_or(0), holders.get(c).copied().unwrap_or(1));
			let bonus = if quality_ok && total_w > 0 {
				Perbill::from_rational(w, total_w.saturating_mul(h.max(1).into()))
					.mul_floor(bonus_pool)
			} else {
				Zero::zero()
			};
			let amount = price.saturating_add(bonus);
			Self::pay(id, q, &mut payouts, who, amount, PayRole::Answer);
			let x = if q.params.mode == Mode::Single {
				// One validator's score is one stranger's opinion (H6): it moves the
				// reputation only when at least two validators scored.
				cons.quality
					.filter(|_| validations.len() >= 2)
					.map(|p| Perbill::from_percent(p.deconstruct().into()))
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
				Self::observe(q, who, ReputationKind::Answer, x);
			}
		}

		// Judges: agreement x coverage x judgement reputation. Coverage is the number of its
		// verdicts over the pairs it is expected to judge freely (those without its own
		// candidate, at most as many as sparse judging's design holds), at most 1, so one
		// safe comparison does not earn a full share (M6).
		let j_pool = shares.judges.mul_floor(budget);
		let mut judged: Vec<(T::AccountId, Perbill)> = Vec::new();
		for (judge, verdicts) in Self::judgements(id, q) {
			let own = Responses::<T>::get(id, &judge).and_then(|r| r.candidate);
			let free_pairs = u64::try_from(consensus::coverage_target(scores.len(), own.is_some()))
				.unwrap_or(u64::MAX);
			// Concessions count too (with two candidates they are all a respondent can give).
			let judged_n = u64::try_from(verdicts.len()).unwrap_or(u64::MAX);
			let coverage =
				Perbill::from_rational(judged_n.min(free_pairs.max(1)), free_pairs.max(1));
			let Some(agreement) = consensus::agreement(
				&scores,
				verdicts.iter().map(|v| (usize::from(v.a), usize::from(v.b), v.outcome)),
			) else {
				continue;
			};
			let rep = T::Reputation::reputation(&judge, q.domain, ReputationKind::Judgement);
			Self::observe(q, &judge, ReputationKind::Judgement, agreement);
			judged.push((judge, agreement.saturating_mul(rep).saturating_mul(coverage)));
		}
		let total_j =
			judged.iter().fold(0u64, |a, (_, w)| a.saturating_add(w.deconstruct().into()));
		if total_j > 0 {
			for (judge, w) in judged.iter() {
				let amount =
					Perbill::from_rational(u64::from(w.deconstruct()), total_j).mul_floor(j_pool);
				Self::pay(id, q, &mut payouts, judge, amount, PayRole::Judge);
			}
		}

		q.consensus = Some(cons);
		let paid = payouts.iter().fold(BalanceOf::<T>::zero(), |a, p| a.saturating_add(p.amount));
		Outcomes::<T>::insert(id, Self::outcome(id, q, payouts));
		Self::close(id, q, Phase::Settled, now);
		Self::deposit_event(Event::QuerySettled {
			query: id,
			paid,
			refunded: budget.saturating_sub(paid),
			transcript: q.transcript,
		});
	}

	/// Record `x` as `who`'s `kind` observation from query `q`: only when the query pays at
	/// least `ObservationFloor` per answer, and at most `MaxPairObservations` times per
	/// `ObservationPeriod` for one requester and one provider (AUDIT H8). The one place where
	/// this pallet moves a reputation; an `Answer` observation also updates the provider's
	/// place in the domain's [`Leaders`].
	pub(crate) fn observe(
		q: &QueryInfoOf<T>,
		who: &T::AccountId,
		kind: ReputationKind,
		x: Perbill,
	) {
		if Self::counts_for_reputation(&q.params, q.budget)
			&& Self::count_pair_observation(&q.requester, who)
		{
			T::Reputation::record_outcome(who, q.domain, kind, x);
			if kind == ReputationKind::Answer {
				Self::note_leader(who, q.domain);
			}
		}
	}

	/// The index of the current `ObservationPeriod`.
	pub(crate) fn observation_period() -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let period = T::ObservationPeriod::get().max(One::one());
		now.checked_div(&period).unwrap_or_default().saturated_into()
	}

	/// Count one observation of `provider` from `requester`'s queries in this period; `false`
	/// (nothing counted) when the pair has reached `MaxPairObservations`.
	fn count_pair_observation(requester: &T::AccountId, provider: &T::AccountId) -> bool {
		let period = Self::observation_period();
		PairObservations::<T>::mutate(provider, |raters| {
			raters.retain(|(_, p, _)| *p == period);
			if let Some(entry) = raters.iter_mut().find(|(r, ..)| r == requester) {
				if entry.2 >= T::MaxPairObservations::get() {
					return false;
				}
				entry.2 = entry.2.saturating_add(1);
				return true;
			}
			if raters.is_full() {
				// Forget the first counted requester: a bounded record per provider.
				raters.remove(0);
			}
			raters.try_push((requester.clone(), period, 1)).is_ok()
		})
	}

	/// Stake-weighted mean of the validators' scores (plain mean when no stake).
	pub(crate) fn quality(v: &[ValidationEntryOf<T>]) -> Option<Percent> {
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

	/// Pay `amount` of the requester's (released) funds to `who` through the reward split and
	/// note it in `payouts` (nothing on failure: the funds stay with the requester).
	pub(crate) fn pay(
		id: QueryId,
		q: &QueryInfoOf<T>,
		payouts: &mut Vec<PayoutOf<T>>,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		role: PayRole,
	) {
		if amount.is_zero() {
			return;
		}
		match T::Registry::reward(&q.requester, who, amount) {
			Ok(_) => {
				Self::deposit_event(Event::Paid { query: id, who: who.clone(), role, amount });
				payouts.push(Payout { who: who.clone(), role, amount });
			}
			Err(e) => {
				log::warn!(target: LOG_TARGET, "query {id}: payment to a {role:?} failed: {e:?}");
			}
		}
	}

	/// What settled query `id` keeps for readers (read before `close` prunes the candidates
	/// and responses): candidates cut to `Config::KeptAnswerLen` bytes, how each respondent did, the
	/// payments.
	pub(crate) fn outcome(
		id: QueryId,
		q: &QueryInfoOf<T>,
		payouts: Vec<PayoutOf<T>>,
	) -> OutcomeOf<T> {
		let candidates = Candidates::<T>::get(id)
			.into_iter()
			.map(|c| BoundedVec::truncate_from(c.into_inner()))
			.collect::<Vec<_>>();
		let respondents = q
			.respondents
			.iter()
			.map(|who| {
				Self::respondent_record(id, who, &Responses::<T>::get(id, who).unwrap_or_default())
			})
			.collect::<Vec<_>>();
		Outcome {
			candidates: BoundedVec::truncate_from(candidates),
			respondents: BoundedVec::truncate_from(respondents),
			payouts: BoundedVec::truncate_from(payouts),
		}
	}

	/// How respondent `who` of query `id`, with response `r`, did: what a settled query keeps
	/// and what the query view shows while it runs.
	pub(crate) fn respondent_record(
		id: QueryId,
		who: &T::AccountId,
		r: &ResponseOf<T>,
	) -> RespondentRecord {
		RespondentRecord {
			candidate: r.candidate,
			committed: r.commitment.is_some(),
			judged: Judgements::<T>::contains_key(id, who),
			missed: r.missed,
		}
	}

	/// End without answers: refund the budget.
	pub(crate) fn expire(id: QueryId, mut q: QueryInfoOf<T>, now: BlockNumberFor<T>) {
		Self::release(&HoldReason::Escrow, &q.requester, q.budget);
		Self::close(id, &mut q, Phase::Expired, now);
		Self::deposit_event(Event::QueryExpired { query: id, refunded: q.budget });
		Queries::<T>::insert(id, q);
	}

	/// Close assignments, prune texts, enter a final phase.
	pub(crate) fn close(id: QueryId, q: &mut QueryInfoOf<T>, phase: Phase, now: BlockNumberFor<T>) {
		let mut done: Vec<T::AccountId> = q.respondents.to_vec();
		if let Some(c) = &q.selected_by {
			done.push(c.clone());
		}
		done.extend(ExtraJudges::<T>::get(id));
		done.extend(DrawnValidators::<T>::get(id));
		// Validators that scored before spec 3 were never drawn: close theirs too.
		done.extend(Validations::<T>::get(id).into_iter().map(|v| v.who));
		for who in done.iter() {
			Self::close_work(who, id);
		}
		let _ = Responses::<T>::clear_prefix(id, T::MaxRespondents::get(), None);
		let _ = AgreedPrices::<T>::clear_prefix(id, T::MaxRespondents::get(), None);
		let _ = Debates::<T>::clear_prefix(id, T::MaxDebateRounds::get(), None);
		let judges = T::MaxRespondents::get().saturating_add(T::MaxExtraJudges::get());
		let _ = Judgements::<T>::clear_prefix(id, judges, None);
		let _ = JudgementCommitments::<T>::clear_prefix(id, judges, None);
		let _ = ValidationCommitments::<T>::clear_prefix(id, T::MaxValidators::get(), None);
		Candidates::<T>::remove(id);
		ExtraJudges::<T>::remove(id);
		Validations::<T>::remove(id);
		DrawnValidators::<T>::remove(id);
		if !q.phase.is_final() {
			OpenQueries::<T>::mutate(|n| n.saturating_dec());
		}
		q.phase = phase;
		q.progress = 0;
		q.expected = 0;
		q.finished = Some(now);
		Self::deposit_event(Event::PhaseChanged { query: id, phase, deadline: now });
	}

	pub(crate) fn release(reason: &HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if let Err(e) = T::Currency::release(&(*reason).into(), who, amount, Precision::BestEffort)
		{
			log::error!(target: LOG_TARGET, "release of {reason:?} failed: {e:?}");
		}
	}

	/// Fold a step into the transcript hash.
	pub(crate) fn record(q: &mut QueryInfoOf<T>, step: impl Encode) {
		q.transcript = H256(blake2_256(&(q.transcript, step).encode()));
	}
}
