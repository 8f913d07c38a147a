//! Who answers a query: the selection pool, automatic selection and its score.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame::{
	arithmetic::{PerThing, Perbill},
	hashing::blake2_256,
	prelude::*,
	traits::Zero,
};
use llmnet_primitives::{DomainId, NodeRegistry, Reputation, ReputationKind, Role};

impl<T: Config> Pallet<T> {
	/// The providers a query's respondents are chosen from (automatically or by its
	/// coordinator): eligible providers of its domain other than the requester whose terms
	/// accept the query, from the first `SelectionScan` nodes of the domain.
	pub(crate) fn selection_pool(
		domain: DomainId,
		requester: &T::AccountId,
		params: &QueryParamsOf<T>,
		budget: BalanceOf<T>,
	) -> Vec<T::AccountId> {
		T::Registry::nodes_in_domain(domain, T::SelectionScan::get())
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
		let pool = Self::selection_pool(q.domain, &q.requester, &q.params, q.budget);
		let parent = frame_system::Pallet::<T>::parent_hash();
		let chosen = Self::rank_and_pick(parent, id, q.domain, pool, q.params.respondents);
		BoundedVec::truncate_from(chosen)
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
