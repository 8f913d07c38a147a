//! Reward splits, capability, and the [`NodeRegistry`] implementation other pallets use.

use crate::{
	delegation::mul_div,
	pallet::*,
	traits::{NodeRegistry, RewardSplit, SlashOutcome},
	types::*,
	DomainId, LOG_TARGET,
};
use alloc::vec::Vec;
use frame::{
	arithmetic::Rounding,
	deps::frame_support::storage::with_storage_layer,
	prelude::*,
	traits::{
		fungible::{hold::Balanced as _, Mutate as _, MutateHold as _},
		tokens::{Fortitude, Precision, Preservation},
		Imbalance, OnUnbalanced,
	},
};

impl<T: Config> Pallet<T> {
	/// The reward split of `amount` for a node with own bond `own`, active delegated stake
	/// `delegated` and commission `commission` (PROTOCOL section 2). Both parts round down.
	pub fn split_reward(
		amount: BalanceOf<T>,
		own: BalanceOf<T>,
		delegated: BalanceOf<T>,
		commission: Perbill,
	) -> RewardSplit<BalanceOf<T>> {
		let total = own.saturating_add(delegated);
		if delegated.is_zero() || total.is_zero() {
			return RewardSplit { to_node: amount, to_delegators: Zero::zero() };
		}
		let rest = Perbill::one().saturating_sub(commission);
		let own_part = mul_div(amount, own, total, Rounding::Down).unwrap_or_default();
		let delegated_part = mul_div(amount, delegated, total, Rounding::Down).unwrap_or_default();
		RewardSplit {
			to_node: commission.mul_floor(amount).saturating_add(rest.mul_floor(own_part)),
			to_delegators: rest.mul_floor(delegated_part),
		}
	}

	/// Set a capability status and emit the event.
	pub fn do_set_capability(
		who: &T::AccountId,
		domain: DomainId,
		status: CapabilityStatus<BlockNumberFor<T>>,
	) {
		Capabilities::<T>::insert(who, domain, status);
		Self::deposit_event(Event::CapabilitySet { who: who.clone(), domain, status });
	}

	/// Whether `who` is capable in `domain` (a proof younger than `CapabilityValidity`).
	pub fn is_capable(who: &T::AccountId, domain: DomainId) -> bool {
		matches!(Self::capability_status(who, domain), Some(CapabilityStatus::Capable { .. }))
	}

	/// The capability status of `who` in `domain`; an expired proof reads as none (AUDIT H2).
	pub fn capability_status(
		who: &T::AccountId,
		domain: DomainId,
	) -> Option<CapabilityStatus<BlockNumberFor<T>>> {
		let now = frame_system::Pallet::<T>::block_number();
		Capabilities::<T>::get(who, domain).filter(|s| match s {
			CapabilityStatus::Capable { since } => {
				now < since.saturating_add(T::CapabilityValidity::get())
			}
			CapabilityStatus::Failed { .. } => true,
		})
	}
}

impl<T: Config> NodeRegistry<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn is_active_domain(domain: DomainId) -> bool {
		Self::is_active_domain(domain)
	}

	fn domain_name(domain: DomainId) -> Vec<u8> {
		Domains::<T>::get(domain).map(|d| d.name.into_inner()).unwrap_or_default()
	}

	fn model_of(who: &T::AccountId) -> Vec<u8> {
		Nodes::<T>::get(who).map(|n| n.model.into_inner()).unwrap_or_default()
	}

	fn sample_domain(domain: DomainId, n: u32, seed: [u8; 16]) -> Vec<T::AccountId> {
		let count = DomainNodeCount::<T>::get(domain);
		let mut places: Vec<u32> = if count <= n {
			(0..count).collect()
		} else {
			// Floyd's algorithm: for j in count - n .. count, draw t uniformly in 0..=j and
			// take t, or j when t is taken already; every n-subset is equally likely.
			let mut taken: Vec<u32> = Vec::with_capacity(n as usize);
			for j in count.saturating_sub(n)..count {
				let draw = u128::from_le_bytes(frame::hashing::blake2_128(&(seed, j).encode()));
				let range = u128::from(j).saturating_add(1);
				let t = u32::try_from(draw.checked_rem(range).unwrap_or(0)).unwrap_or(j);
				taken.push(if taken.contains(&t) { j } else { t });
			}
			taken
		};
		// In an order drawn from the seed too: the list's order is registration order, and
		// a pool shown in it (a coordinator's prompt) would favour the first registered.
		places.sort_by_cached_key(|p| frame::hashing::blake2_128(&(seed, b"order", *p).encode()));
		places.into_iter().filter_map(|p| DomainNodeAt::<T>::get(domain, p)).collect()
	}

	fn is_eligible(who: &T::AccountId, role: Role, domain: DomainId) -> bool {
		let Some(node) = Nodes::<T>::get(who) else { return false };
		if !node.roles.has(role) || !Self::is_active_domain(domain) {
			return false;
		}
		if node.bond < Self::min_bond(&node.roles) {
			return false;
		}
		let declares = node.domains.contains(&domain);
		match role {
			Role::Provider => {
				declares && (!T::RequireCapability::get() || Self::is_capable(who, domain))
			}
			Role::Coordinator => declares,
			// A validator without declared domains is a generalist.
			Role::Validator => declares || node.domains.is_empty(),
		}
	}

	fn may_calibrate(who: &T::AccountId, domain: DomainId) -> bool {
		let Some(node) = Nodes::<T>::get(who) else { return false };
		node.roles.has(Role::Provider)
			&& Self::is_active_domain(domain)
			&& node.bond >= Self::min_bond(&node.roles)
			&& node.domains.contains(&domain)
	}

	fn capability(
		who: &T::AccountId,
		domain: DomainId,
	) -> Option<CapabilityStatus<BlockNumberFor<T>>> {
		Self::capability_status(who, domain)
	}

	fn stake_of(who: &T::AccountId) -> BalanceOf<T> {
		let Some(node) = Nodes::<T>::get(who) else { return Zero::zero() };
		let delegated = Pools::<T>::get(who).map(|p| p.active_stake).unwrap_or_default();
		node.bond.saturating_add(delegated)
	}

	fn validator_stake(domain: DomainId, limit: u32) -> BalanceOf<T> {
		if !Self::is_active_domain(domain) {
			return Zero::zero();
		}
		DomainNodes::<T>::iter_key_prefix(domain)
			.take(limit as usize)
			.filter(|who| Self::is_eligible(who, Role::Validator, domain))
			.fold(Zero::zero(), |total: BalanceOf<T>, who| {
				total.saturating_add(Self::stake_of(&who))
			})
	}

	fn reward(
		payer: &T::AccountId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<RewardSplit<BalanceOf<T>>, DispatchError> {
		// Two transfers and a pool update: one storage layer, so a failure in the second
		// transfer (the payer cannot cover both parts) undoes the first.
		with_storage_layer(|| {
			let node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
			Self::accrue(who)?;
			let mut pool = Pools::<T>::get(who).unwrap_or_default();
			let now = frame_system::Pallet::<T>::block_number();
			// Stake bonded in the last `RewardVesting` blocks does not count (AUDIT M2).
			let fresh = Self::fresh_bond(who, now);
			if fresh.is_zero() && FreshBond::<T>::contains_key(who) {
				FreshBond::<T>::remove(who);
			}
			let split = Self::split_reward(
				amount,
				node.bond.saturating_sub(fresh),
				pool.active_stake,
				Self::effective_commission(&node, now),
			);
			if !split.to_node.is_zero() {
				T::Currency::transfer(payer, who, split.to_node, Preservation::Preserve)?;
			}
			if !split.to_delegators.is_zero() {
				T::Currency::transfer_and_hold(
					&HoldReason::Delegation.into(),
					payer,
					&Self::pool_account(who),
					split.to_delegators,
					Precision::Exact,
					Preservation::Preserve,
					Fortitude::Polite,
				)?;
				Self::vest_reward(who, &mut pool, split.to_delegators)?;
				Pools::<T>::insert(who, pool);
			}
			Self::deposit_event(Event::Rewarded {
				node: who.clone(),
				to_node: split.to_node,
				to_delegators: split.to_delegators,
			});
			Ok(split)
		})
	}

	fn slash(
		who: &T::AccountId,
		fraction: Perbill,
		reason: SlashReason,
	) -> SlashOutcome<BalanceOf<T>> {
		// Own bond and own unbonding chunks (rounded up, never above what is there).
		let cut = |v: BalanceOf<T>| fraction.mul_ceil(v).min(v);
		let mut own = BalanceOf::<T>::zero();
		let mut node = Nodes::<T>::get(who);
		if let Some(n) = node.as_mut() {
			let c = cut(n.bond);
			n.bond = n.bond.saturating_sub(c);
			own = own.saturating_add(c);
			// The fresh part is cut in the same proportion (its cut is inside `c`).
			FreshBond::<T>::mutate_exists(who, |f| {
				if let Some((fresh, _)) = f.as_mut() {
					*fresh = fresh.saturating_sub(cut(*fresh)).min(n.bond);
					if fresh.is_zero() {
						*f = None;
					}
				}
			});
		}
		let mut chunks = Unbonding::<T>::get(who);
		for chunk in chunks.iter_mut().filter(|c| c.kind == ChunkKind::Bond) {
			let c = cut(chunk.value);
			chunk.value = chunk.value.saturating_sub(c);
			own = own.saturating_add(c);
		}
		let (mut credit, missing) = T::Currency::slash(&HoldReason::NodeBond.into(), who, own);
		if !missing.is_zero() {
			log::error!(target: LOG_TARGET, "slash of {who:?}: {missing:?} of own bond not held");
		}
		if let Some(n) = node {
			Nodes::<T>::insert(who, n);
		}
		chunks.retain(|c| !c.value.is_zero());
		Self::put_chunks(who, chunks);

		// The delegation pool, active, unbonding and still vesting, in O(1).
		let mut delegated = BalanceOf::<T>::zero();
		if let Err(e) = Self::accrue(who) {
			log::error!(target: LOG_TARGET, "slash of {who:?}: vesting not accrued: {e:?}");
		}
		let vesting_cut = PoolVesting::<T>::get(who).map_or_else(Zero::zero, |(a, last, end)| {
			let c = cut(a);
			let rest = a.saturating_sub(c);
			if rest.is_zero() {
				PoolVesting::<T>::remove(who);
			} else {
				PoolVesting::<T>::insert(who, (rest, last, end));
			}
			c
		});
		if let Some(mut pool) = Pools::<T>::get(who) {
			let a = cut(pool.active_stake);
			let u = cut(pool.unbonding_stake);
			pool.active_stake = pool.active_stake.saturating_sub(a);
			pool.unbonding_stake = pool.unbonding_stake.saturating_sub(u);
			delegated = a.saturating_add(u).saturating_add(vesting_cut);
			let (c, missing) = T::Currency::slash(
				&HoldReason::Delegation.into(),
				&Self::pool_account(who),
				delegated,
			);
			if !missing.is_zero() {
				log::error!(target: LOG_TARGET, "slash of {who:?}'s pool: {missing:?} not held");
			}
			credit.subsume(c);
			// An unbonding side slashed to nothing starts a new epoch: its shares are worth
			// nothing, and new undelegations are not priced against them (AUDIT H4).
			if pool.unbonding_stake.is_zero() && !pool.unbonding_shares.is_zero() {
				let _ = Self::new_unbonding_epoch(&mut pool)
					.defensive_proof("2^32 unbonding epochs are not reachable");
			}
			Self::put_pool(who, pool);
		}
		T::OnSlash::on_unbalanced(credit);
		Self::deposit_event(Event::Slashed { node: who.clone(), reason, fraction, own, delegated });
		SlashOutcome { own, delegated }
	}

	fn set_capability(
		who: &T::AccountId,
		domain: DomainId,
		status: CapabilityStatus<BlockNumberFor<T>>,
	) {
		Self::do_set_capability(who, domain, status)
	}

	fn assignment_opened(who: &T::AccountId) -> DispatchResult {
		Nodes::<T>::try_mutate(who, |maybe| {
			let node = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
			node.live_assignments =
				node.live_assignments.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}

	fn assignment_closed(who: &T::AccountId) {
		Nodes::<T>::mutate(who, |maybe| {
			if let Some(node) = maybe.as_mut() {
				node.live_assignments = node.live_assignments.defensive_saturating_sub(1);
			}
		})
	}

	fn live_assignments(who: &T::AccountId) -> u32 {
		Nodes::<T>::get(who).map_or(0, |n| n.live_assignments)
	}

	fn linked(a: &T::AccountId, b: &T::AccountId) -> bool {
		Delegations::<T>::contains_key(a, b) || Delegations::<T>::contains_key(b, a)
	}
}
