//! The query market: providers' terms, consent, the pay a query offers, and quotes.
//!
//! A provider declares per domain a price per answer, per comparison and per validation and the
//! shortest work phase it accepts ([`ProviderTerms`]); until it does, its terms are
//! `0, 0, 0, DefaultMinPhase`. New terms apply `TermsDelay` blocks after `set_terms`, so a
//! query quoted now is selected under the terms its requester saw.
//!
//! A query offers `shares.answers x budget / respondents` per answer. A provider *consents*
//! to a query, and may be selected for it, when that pay is above zero and at least its
//! answer price and every work phase (committing, revealing, judging, and debating in Debate
//! mode) is at least its `min_phase`. Selection is consent: a selected respondent is paid its
//! agreed price for a revealed answer whatever the quality, and only a missed deadline on
//! consented work is slashed.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{CheckedDiv, Saturating, Zero},
};
use llmnet_primitives::{NodeRegistry, Role};

impl<T: Config> Pallet<T> {
	/// The terms of `who` in `domain` in force now.
	pub fn terms_in_force(who: &T::AccountId, domain: DomainId) -> ProviderTermsOf<T> {
		let now = frame_system::Pallet::<T>::block_number();
		match PendingTerms::<T>::get(who, domain) {
			Some((terms, from)) if from <= now => terms,
			_ => Terms::<T>::get(who, domain).unwrap_or_else(Self::default_terms),
		}
	}

	/// The terms of a provider that declared none.
	pub fn default_terms() -> ProviderTermsOf<T> {
		ProviderTerms {
			answer: Zero::zero(),
			comparison: Zero::zero(),
			validation: Zero::zero(),
			min_phase: T::DefaultMinPhase::get(),
		}
	}

	/// Announce terms (see [`Pallet::set_terms`]).
	pub fn do_set_terms(
		who: &T::AccountId,
		domain: DomainId,
		terms: ProviderTermsOf<T>,
	) -> DispatchResult {
		ensure!(T::Registry::is_eligible(who, Role::Provider, domain), Error::<T>::NotProvider);
		ensure!(
			terms.min_phase >= T::MinPhaseLength::get()
				&& terms.min_phase <= T::MaxPhaseLength::get(),
			Error::<T>::BadPhaseLength
		);
		let now = frame_system::Pallet::<T>::block_number();
		// Terms announced earlier and already in force become the current ones.
		if let Some((due, from)) = PendingTerms::<T>::get(who, domain) {
			if from <= now {
				Terms::<T>::insert(who, domain, due);
			}
		}
		let from = now.saturating_add(T::TermsDelay::get());
		PendingTerms::<T>::insert(who, domain, (terms, from));
		// A provider announcing terms asks for work: it is considered beyond the samples.
		Self::note_leader(who, domain);
		Self::deposit_event(Event::TermsAnnounced { who: who.clone(), domain, terms, from });
		Ok(())
	}

	/// Pay a query offers per answer: `shares.answers x budget / respondents`.
	pub fn answer_pay(params: &QueryParamsOf<T>, budget: BalanceOf<T>) -> BalanceOf<T> {
		Self::per(params.shares.answers.mul_floor(budget), u32::from(params.respondents))
	}

	/// The shortest phase in which a respondent must act.
	pub(crate) fn shortest_work_phase(params: &QueryParamsOf<T>) -> BlockNumberFor<T> {
		let ph = &params.phases;
		let mut shortest = ph.committing.min(ph.revealing).min(ph.judging);
		if matches!(params.mode, Mode::Debate { .. }) {
			shortest = shortest.min(ph.debating);
		}
		shortest
	}

	/// Whether `terms` accept a query with `params` and `budget`.
	pub(crate) fn accepts(
		terms: &ProviderTermsOf<T>,
		params: &QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> bool {
		let pay = Self::answer_pay(params, budget);
		!pay.is_zero()
			&& pay >= terms.answer
			&& Self::shortest_work_phase(params) >= terms.min_phase
	}

	/// Whether a query with this answer pay moves reputations (`ObservationFloor`).
	pub fn counts_for_reputation(params: &QueryParamsOf<T>, budget: BalanceOf<T>) -> bool {
		Self::answer_pay(params, budget) >= T::ObservationFloor::get()
	}

	/// Pay an extra judge is offered per comparison once `candidates` are known:
	/// `shares.judges x budget / (respondents + extra judges) / pairs`.
	pub(crate) fn comparison_pay(q: &QueryInfoOf<T>, candidates: usize) -> BalanceOf<T> {
		let judges = u32::from(q.params.respondents).saturating_add(q.params.extra_judges.into());
		let k = u32::try_from(candidates).unwrap_or(u32::MAX);
		let pairs = k.saturating_mul(k.saturating_sub(1)) / 2;
		Self::per(q.params.shares.judges.mul_floor(q.budget), judges.saturating_mul(pairs.max(1)))
	}

	/// Pay a validator is offered: `shares.validators x budget / validators`.
	pub(crate) fn validation_pay(q: &QueryInfoOf<T>) -> BalanceOf<T> {
		Self::per(q.params.shares.validators.mul_floor(q.budget), q.params.validators.into())
	}

	/// `pool / n` rounded down (`pool` for `n = 0`).
	fn per(pool: BalanceOf<T>, n: u32) -> BalanceOf<T> {
		pool.checked_div(&n.max(1).into()).unwrap_or(pool)
	}

	/// What a query would cost `requester` and who would answer it if selected now; the
	/// error `create_query` would return for it.
	pub fn quote(
		requester: T::AccountId,
		domain: DomainId,
		params: QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> Result<Quote<T::AccountId, BalanceOf<T>>, DispatchError> {
		Self::check_query(&requester, domain, &params, budget)?;
		let (seed, id) = (Self::draw_seed(), NextQueryId::<T>::get());
		let pool =
			Self::selection_pool(domain, &requester, &params, budget, Self::pool_seed(seed, id));
		let within_terms = u32::try_from(pool.len()).unwrap_or(u32::MAX);
		let chosen = Self::rank_and_pick(seed, id, domain, pool, params.respondents);
		let respondents: Vec<(T::AccountId, BalanceOf<T>)> = chosen
			.into_iter()
			.map(|who| {
				let price = Self::terms_in_force(&who, domain).answer;
				(who, price)
			})
			.collect();
		Ok(Quote {
			answer_pay: Self::answer_pay(&params, budget),
			within_terms,
			respondents,
			fee: T::QueryFee::get(),
			deposit: T::QueryDeposit::get(),
			counts_for_reputation: Self::counts_for_reputation(&params, budget),
		})
	}
}
