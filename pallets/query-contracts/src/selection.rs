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
	/// accept the query, among `SelectionScan` nodes of the domain from the point `start` of
	/// account-hash order (see [`Self::scan_start`]).
	pub(crate) fn selection_pool(
		domain: DomainId,
		requester: &T::AccountId,
		params: &QueryParamsOf<T>,
		budget: BalanceOf<T>,
		start: [u8; 16],
	) -> Vec<T::AccountId> {
		T::Registry::nodes_in_domain(domain, T::SelectionScan::get(), start)
			.into_iter()
			.filter(|n| {
				n != requester
					&& T::Registry::is_eligible(n, Role::Provider, domain)
					&& Self::accepts(&Self::terms_in_force(n, domain), params, budget)
			})
			.collect()
	}

	/// Automatic selection: top by `Answer` reputation x stake factor, one exploration slot
	/// for a low-sample provider, ties by `blake2(seed, account)` with
	/// `seed = blake2(parent hash, query id)`.
	pub(crate) fn auto_select(
		id: QueryId,
		q: &QueryInfoOf<T>,
	) -> BoundedVec<T::AccountId, T::MaxRespondents> {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let start = Self::scan_start(parent, id);
		let pool = Self::selection_pool(q.domain, &q.requester, &q.params, q.budget, start);
		let chosen = Self::rank_and_pick(parent, id, q.domain, pool, q.params.respondents);
		BoundedVec::truncate_from(chosen)
	}

	/// The validators of query `id`: `q.params.validators` drawn without replacement, each
	/// with probability proportional to its stake, among the eligible validators of the
	/// domain in a `SelectionScan` window (from `blake2_128(parent hash, id, "vscan")`) that
	/// are not the requester, a respondent or the coordinator, are not linked to the
	/// requester or the coordinator by a delegation, and whose validation price the query's
	/// pay meets. Draws from `blake2(parent hash, id, "validators", slot)`. Before, the first
	/// validators to call `validate` took the slots, so a requester's own validator,
	/// pre-submitted, always did (AUDIT H6).
	pub(crate) fn draw_validators(id: QueryId, q: &QueryInfoOf<T>) -> Vec<T::AccountId> {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let start = Self::window_start(parent, id, b"vscan");
		let pay = Self::validation_pay(q);
		let coordinator = q.selected_by.clone();
		let pool: Vec<(T::AccountId, u128)> =
			T::Registry::nodes_in_domain(q.domain, T::SelectionScan::get(), start)
				.into_iter()
				.filter(|v| {
					v != &q.requester
						&& !q.respondents.contains(v)
						&& coordinator.as_ref() != Some(v)
						&& !T::Registry::linked(v, &q.requester)
						&& coordinator.as_ref().is_none_or(|c| !T::Registry::linked(v, c))
						&& T::Registry::is_eligible(v, Role::Validator, q.domain)
						&& Self::terms_in_force(v, q.domain).validation <= pay
				})
				.map(|v| {
					let stake: u128 = T::Registry::stake_of(&v).saturated_into();
					(v, stake.max(1))
				})
				.collect();
		Self::sortition(pool, q.params.validators, (parent, id, b"validators"))
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
	/// `SelectionScan` window with probability proportional to its `Judgement` reputation x
	/// stake factor ([`Self::selection_score`]). `None` when nobody qualifies (automatic
	/// selection then runs at the deadline, as when the drawn coordinator does not select).
	pub(crate) fn draw_coordinator(
		id: QueryId,
		domain: DomainId,
		requester: &T::AccountId,
		params: &QueryParamsOf<T>,
	) -> Option<T::AccountId> {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let start = Self::window_start(parent, id, b"cscan");
		let pool: Vec<(T::AccountId, u128)> =
			T::Registry::nodes_in_domain(domain, T::SelectionScan::get(), start)
				.into_iter()
				.filter(|c| {
					c != requester
						&& T::Registry::is_eligible(c, Role::Coordinator, domain)
						&& Self::terms_in_force(c, domain).min_phase <= params.phases.selecting
				})
				.map(|c| {
					let rep = T::Reputation::reputation(&c, domain, ReputationKind::Judgement);
					let score = Self::selection_score(rep, T::Registry::stake_of(&c));
					(c, score.max(1))
				})
				.collect();
		Self::sortition(pool, 1, (parent, id, b"coordinator")).pop()
	}

	/// Where a query's selection window starts in account-hash order:
	/// `blake2_128(parent hash, query id, "scan")`. A key ground to hash low no longer owns the
	/// first places of every scan (AUDIT H7); the block author can still influence the parent
	/// hash, which relay-chain randomness would remove (not yet done).
	pub(crate) fn scan_start(parent: T::Hash, id: QueryId) -> [u8; 16] {
		Self::window_start(parent, id, b"scan")
	}

	/// `blake2_128(parent hash, query id, tag)`: the start of a query's window for one purpose
	/// (`scan` respondents, `vscan` validators, `cscan` coordinators).
	fn window_start<const N: usize>(parent: T::Hash, id: QueryId, tag: &[u8; N]) -> [u8; 16] {
		frame::hashing::blake2_128(&(parent, id, tag).encode())
	}

	/// The automatic-selection rule over `pool` (see [`Self::auto_select`]).
	pub(crate) fn rank_and_pick(
		parent: T::Hash,
		id: QueryId,
		domain: DomainId,
		pool: Vec<T::AccountId>,
		wanted: u8,
	) -> Vec<T::AccountId> {
		let seed = blake2_256(&(parent, id).encode());
		let mut pool: Vec<(T::AccountId, u128, u32, [u8; 32])> = pool
			.into_iter()
			.map(|n| {
				let rep = T::Reputation::reputation(&n, domain, ReputationKind::Answer);
				let obs = T::Reputation::observations(&n, domain, ReputationKind::Answer);
				let score = Self::selection_score(rep, T::Registry::stake_of(&n));
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
