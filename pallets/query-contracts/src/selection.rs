//! Who answers a query: the selection pool, automatic selection and its score.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame::{
	arithmetic::{PerThing, Perbill},
	hashing::blake2_256,
	prelude::*,
	traits::{SaturatedConversion, Zero},
};
use llmnet_primitives::{DomainId, NodeRegistry, Reputation, ReputationKind, Role};

impl<T: Config> Pallet<T> {
	/// The providers a query's respondents are chosen from (automatically or by its
	/// coordinator): eligible providers of its domain other than the requester whose terms
	/// accept the query, among a uniform sample of `SelectionScan` nodes of the whole domain
	/// (drawn with `sample`, see [`Self::pool_seed`]) and the domain's [`Leaders`], so the
	/// best-scored providers of the domain are in every pool whatever the sample.
	pub(crate) fn selection_pool(
		domain: DomainId,
		requester: &T::AccountId,
		params: &QueryParamsOf<T>,
		budget: BalanceOf<T>,
		sample: [u8; 16],
	) -> Vec<T::AccountId> {
		let mut nodes = T::Registry::sample_domain(domain, T::SelectionScan::get(), sample);
		for (leader, _) in Leaders::<T>::get(domain) {
			if !nodes.contains(&leader) {
				nodes.push(leader);
			}
		}
		nodes
			.into_iter()
			.filter(|n| {
				n != requester
					&& T::Registry::is_eligible(n, Role::Provider, domain)
					&& Self::accepts(&Self::terms_in_force(n, domain), params, budget)
			})
			.collect()
	}

	/// What a coordinator's LLM is shown for query `id`: its selection pool (as
	/// [`Self::selection_pool`] from the query's sample) and, for each candidate, its model
	/// label, `Answer` and `Judgement` reputations, `Answer` sample size and three newest
	/// feedback texts (LLM-Net's text mechanism). The worker's prompt
	/// (`llmnet_ocw::prompts::select`) is built from it.
	pub fn selection_candidates(
		id: QueryId,
		q: &QueryInfoOf<T>,
	) -> (Vec<T::AccountId>, Vec<llmnet_ocw::prompts::CandidateInfo>) {
		let sample = Self::pool_seed(Self::draw_seed(), id);
		let pool = Self::selection_pool(q.domain, &q.requester, &q.params, q.budget, sample);
		let info = pool
			.iter()
			.map(|n| llmnet_ocw::prompts::CandidateInfo {
				label: T::Registry::model_of(n),
				answer_reputation: T::Reputation::reputation(n, q.domain, ReputationKind::Answer)
					.deconstruct(),
				judgement_reputation: T::Reputation::reputation(
					n,
					q.domain,
					ReputationKind::Judgement,
				)
				.deconstruct(),
				observations: T::Reputation::observations(n, q.domain, ReputationKind::Answer),
				feedback: T::Reputation::recent_feedback(n, 3),
			})
			.collect();
		(pool, info)
	}

	/// Automatic selection: top by `Answer` reputation x stake factor, one exploration slot
	/// for a low-sample provider, ties by `blake2(seed, account)` with
	/// `seed = blake2(draw seed, query id)` ([`Self::draw_seed`]). It runs at the selection
	/// deadline, so the relay randomness it uses was unknown when the query was written.
	pub(crate) fn auto_select(
		id: QueryId,
		q: &QueryInfoOf<T>,
	) -> BoundedVec<T::AccountId, T::MaxRespondents> {
		let seed = Self::draw_seed();
		let sample = Self::pool_seed(seed, id);
		let pool = Self::selection_pool(q.domain, &q.requester, &q.params, q.budget, sample);
		let chosen = Self::rank_and_pick(seed, id, q.domain, pool, q.params.respondents);
		Self::refresh_leaders(q.domain);
		BoundedVec::truncate_from(chosen)
	}

	/// `who`'s automatic-selection score in `domain` now: [`Self::selection_score`] of its
	/// `Answer` reputation and stake.
	fn answer_score(who: &T::AccountId, domain: DomainId) -> u128 {
		let rep = T::Reputation::reputation(who, domain, ReputationKind::Answer);
		Self::selection_score(rep, T::Registry::stake_of(who))
	}

	/// [`Self::answer_score`], `None` when `who` is not an eligible provider in `domain`.
	fn leader_score(who: &T::AccountId, domain: DomainId) -> Option<u128> {
		T::Registry::is_eligible(who, Role::Provider, domain)
			.then(|| Self::answer_score(who, domain))
	}

	/// Put `who` in `domain`'s [`Leaders`] at its current score (or take it out when it is no
	/// longer an eligible provider or scores 0): above every lower score, evicting the lowest
	/// entry when the index is full; not entered when the index is full of higher scores.
	/// Called when `who`'s `Answer` reputation is observed and when it announces terms.
	pub(crate) fn note_leader(who: &T::AccountId, domain: DomainId) {
		let score = Self::leader_score(who, domain).unwrap_or_default();
		Leaders::<T>::mutate(domain, |leaders| {
			leaders.retain(|(a, _)| a != who);
			if score > 0 {
				let at = leaders.iter().position(|(_, s)| *s < score).unwrap_or(leaders.len());
				// `Err` when full of higher scores: `who` stays out.
				let _ = leaders.force_insert_keep_left(at, (who.clone(), score));
			}
		});
	}

	/// Every entry of `domain`'s [`Leaders`] at its current score (reputations decay, stakes
	/// move without this pallet hearing of it), re-sorted, without the providers that are no
	/// longer eligible or score 0. Run by every automatic selection, which has just read
	/// the same reputations and stakes for its pool, so it costs one write.
	pub(crate) fn refresh_leaders(domain: DomainId) {
		Leaders::<T>::mutate(domain, |leaders| {
			let mut scored: Vec<(T::AccountId, u128)> = leaders
				.iter()
				.filter_map(|(a, _)| {
					Self::leader_score(a, domain).filter(|s| *s > 0).map(|s| (a.clone(), s))
				})
				.collect();
			scored.sort_by_key(|e| core::cmp::Reverse(e.1));
			*leaders = BoundedVec::truncate_from(scored);
		});
	}

	/// The validators of query `id`: `q.params.validators` of the domain's eligible
	/// validators whose validation price the query's pay meets, drawn as a
	/// [`Self::committee`] (sample tag `vscan`, draw tag `validators`). Before, the first
	/// validators to call `validate` took the slots, so a requester's own validator,
	/// pre-submitted, always did (AUDIT H6).
	pub(crate) fn draw_validators(id: QueryId, q: &QueryInfoOf<T>) -> Vec<T::AccountId> {
		let pay = Self::validation_pay(q);
		Self::committee(
			id,
			q,
			Role::Validator,
			q.params.validators,
			(b"vscan", b"validators"),
			|t| t.validation <= pay,
		)
	}

	/// The extra judges of query `id`, drawn when judging opens over `candidates` candidates:
	/// `q.params.extra_judges` of the domain's eligible providers whose price per comparison
	/// the query's pay meets and whose shortest accepted phase the judging and revealing
	/// phases meet, drawn as a [`Self::committee`] (sample tag `jscan`, draw tag `judges`).
	/// Before spec 12, extra judges volunteered and the first to commit took the slots, so a
	/// requester's own provider, watching for the phase, always judged its query.
	pub(crate) fn draw_extra_judges(
		id: QueryId,
		q: &QueryInfoOf<T>,
		candidates: usize,
	) -> Vec<T::AccountId> {
		let pay = Self::comparison_pay(q, candidates);
		let shortest = q.params.phases.judging.min(q.params.phases.revealing);
		Self::committee(id, q, Role::Provider, q.params.extra_judges, (b"jscan", b"judges"), |t| {
			t.comparison <= pay && t.min_phase <= shortest
		})
	}

	/// A committee of `n` for query `id`: drawn without replacement, each with probability
	/// proportional to its stake, by [`Self::draw_from_sample`] from a sample of
	/// `CommitteeScan` nodes of the domain, among those eligible for `role` whose terms in
	/// force pass `terms_ok`, that are not the requester, a respondent or the coordinator and
	/// are not linked to the requester or the coordinator by a delegation.
	fn committee<const S: usize, const D: usize>(
		id: QueryId,
		q: &QueryInfoOf<T>,
		role: Role,
		n: u8,
		tags: (&[u8; S], &[u8; D]),
		terms_ok: impl Fn(&ProviderTermsOf<T>) -> bool,
	) -> Vec<T::AccountId> {
		if n == 0 {
			return Vec::new();
		}
		let coordinator = q.selected_by.as_ref();
		Self::draw_from_sample(id, q.domain, T::CommitteeScan::get(), tags, n, |v| {
			let allowed = v != &q.requester
				&& !q.respondents.contains(v)
				&& coordinator != Some(v)
				&& !T::Registry::linked(v, &q.requester)
				&& coordinator.is_none_or(|c| !T::Registry::linked(v, c))
				&& T::Registry::is_eligible(v, role, q.domain)
				&& terms_ok(&Self::terms_in_force(v, q.domain));
			allowed.then(|| T::Registry::stake_of(v).saturated_into())
		})
	}

	/// `n` accounts drawn by [`Self::sortition`] (seed `(draw seed, id, draw tag)`) from a
	/// uniform sample of `size` nodes of `domain` (seeded `blake2_128(draw seed, id, sample
	/// tag)`, [`Self::sample_seed`]): those `weight` admits, each weighted by what it returns
	/// (at least 1). The draws of committees and of the coordinator.
	fn draw_from_sample<const S: usize, const D: usize>(
		id: QueryId,
		domain: DomainId,
		size: u32,
		(sample_tag, draw_tag): (&[u8; S], &[u8; D]),
		n: u8,
		weight: impl Fn(&T::AccountId) -> Option<u128>,
	) -> Vec<T::AccountId> {
		let seed = Self::draw_seed();
		let pool: Vec<(T::AccountId, u128)> =
			T::Registry::sample_domain(domain, size, Self::sample_seed(seed, id, sample_tag))
				.into_iter()
				.filter_map(|v| weight(&v).map(|w| (v, w.max(1))))
				.collect();
		Self::sortition(pool, n, (seed, id, draw_tag))
	}

	/// `n` accounts drawn without replacement from `pool`, each with probability proportional
	/// to its weight, slot `i` from `blake2_128(SCALE(seed, i))`.
	pub(crate) fn sortition(
		mut pool: Vec<(T::AccountId, u128)>,
		n: u8,
		seed: impl Encode,
	) -> Vec<T::AccountId> {
		let mut chosen = Vec::new();
		for slot in 0..n {
			let total = pool.iter().fold(0u128, |a, p| a.saturating_add(p.1));
			if total == 0 {
				break;
			}
			let draw = u128::from_le_bytes(frame::hashing::blake2_128(&(&seed, slot).encode()));
			let target = draw.checked_rem(total).unwrap_or(0);
			let mut acc = 0u128;
			let index = pool
				.iter()
				.position(|p| {
					acc = acc.saturating_add(p.1);
					target < acc
				})
				.unwrap_or(0);
			if index < pool.len() {
				chosen.push(pool.remove(index).0);
			}
		}
		chosen
	}

	/// A coordinator for a query that names none: one eligible coordinator of the domain
	/// (not the requester) whose `min_phase` the selection phase meets, drawn from a
	/// uniform sample of `SelectionScan` nodes of the domain with probability proportional to
	/// its `Judgement` reputation x stake factor ([`Self::selection_score`]). `None` when
	/// nobody qualifies (automatic selection then runs at the deadline, as when the drawn
	/// coordinator does not select).
	pub(crate) fn draw_coordinator(
		id: QueryId,
		domain: DomainId,
		requester: &T::AccountId,
		params: &QueryParamsOf<T>,
	) -> Option<T::AccountId> {
		let tags = (b"cscan", b"coordinator");
		Self::draw_from_sample(id, domain, T::SelectionScan::get(), tags, 1, |c| {
			let allowed = c != requester
				&& T::Registry::is_eligible(c, Role::Coordinator, domain)
				&& Self::terms_in_force(c, domain).min_phase <= params.phases.selecting;
			allowed.then(|| {
				let rep = T::Reputation::reputation(c, domain, ReputationKind::Judgement);
				Self::selection_score(rep, T::Registry::stake_of(c))
			})
		})
		.pop()
	}

	/// The seed of a query's selection pool sample: `blake2_128(draw seed, query id, "scan")`.
	/// A uniform sample of the whole domain: no key ground to hash low owns the first places
	/// of every scan (AUDIT H7), nor do keys ground into one band of the hash order sit in
	/// the same samples (they did in the windows of consecutive nodes before spec 15); with
	/// the relay chain's randomness as the seed no collator can move the sample either.
	pub(crate) fn pool_seed(seed: [u8; 32], id: QueryId) -> [u8; 16] {
		Self::sample_seed(seed, id, b"scan")
	}

	/// `blake2_128(draw seed, query id, tag)`: the seed of a query's sample of its domain for
	/// one purpose (`scan` respondents, `vscan` validators, `jscan` extra judges, `cscan`
	/// coordinators).
	fn sample_seed<const N: usize>(seed: [u8; 32], id: QueryId, tag: &[u8; N]) -> [u8; 16] {
		frame::hashing::blake2_128(&(seed, id, tag).encode())
	}

	/// The seed of every draw made in this block: [`RelayRandomness`] once the runtime has
	/// noted it; on a chain without a relay chain (unit tests), the parent hash, which the
	/// block's author can grind (a fallback for tests and dev chains, not for a network).
	pub fn draw_seed() -> [u8; 32] {
		RelayRandomness::<T>::get().unwrap_or_else(|| {
			let parent = frame_system::Pallet::<T>::parent_hash();
			let bytes = parent.as_ref();
			<[u8; 32]>::try_from(bytes).unwrap_or_else(|_| blake2_256(bytes))
		})
	}

	/// Notes the relay chain's randomness for this block's draws:
	/// `blake2_256(SCALE((block, epoch)))` of the relay parent's BABE block randomness (its
	/// author's VRF output; `None` in slots without one) and its one-epoch-ago randomness.
	/// The runtime calls it from parachain-system's `on_relay_state_proof` hook with what it
	/// read from the verified relay state proof. When the proof held neither (a collator may
	/// leave keys out of the proof it supplies), the last value stays: stale, but no more
	/// grindable than before.
	pub fn note_relay_randomness(block: Option<[u8; 32]>, epoch: Option<[u8; 32]>) {
		if block.is_some() || epoch.is_some() {
			RelayRandomness::<T>::put(blake2_256(&(block, epoch).encode()));
		}
	}

	/// The automatic-selection rule over `pool` (see [`Self::auto_select`]).
	pub(crate) fn rank_and_pick(
		seed: [u8; 32],
		id: QueryId,
		domain: DomainId,
		pool: Vec<T::AccountId>,
		wanted: u8,
	) -> Vec<T::AccountId> {
		let seed = blake2_256(&(seed, id).encode());
		let mut pool: Vec<(T::AccountId, u128, u32, [u8; 32])> = pool
			.into_iter()
			.map(|n| {
				let obs = T::Reputation::observations(&n, domain, ReputationKind::Answer);
				let score = Self::answer_score(&n, domain);
				let tie = blake2_256(&(seed, &n).encode());
				(n, score, obs, tie)
			})
			.collect();
		pool.sort_by(|a, b| b.1.cmp(&a.1).then(a.3.cmp(&b.3)));
		let wanted = usize::from(wanted);
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
		chosen
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
}
