//! The invariants checked by `try_state`.

use crate::{pallet::*, types::*, DomainId};
use frame::prelude::*;

impl<T: Config> Pallet<T> {
	/// Storage invariants (see the crate docs), checked by `try-runtime` and after every unit
	/// test.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame::traits::fungible::InspectHold;
		// Domains.
		let next = NextDomainId::<T>::get();
		ensure!(next <= T::MaxDomains::get(), "more domains than MaxDomains");
		let mut count: u32 = 0;
		for (id, info) in Domains::<T>::iter() {
			ensure!(id < next, "domain id at or above NextDomainId");
			ensure!(!info.name.is_empty(), "empty domain name");
			ensure!(DomainIdByName::<T>::get(&info.name) == Some(id), "name index broken");
			count = count.saturating_add(1);
		}
		ensure!(count == next, "domain ids are not dense");
		ensure!(DomainIdByName::<T>::iter().count() == count as usize, "stale name index entries");

		// Nodes and domain membership.
		let mut members: BTreeMap<DomainId, u32> = BTreeMap::new();
		let mut nodes: u32 = 0;
		for (who, node) in Nodes::<T>::iter() {
			nodes = nodes.saturating_add(1);
			// (A slashed node may sit below its roles' minimum bond: it is then ineligible.)
			ensure!(!node.roles.is_empty(), "node without roles");
			ensure!(node.commission <= T::MaxCommission::get(), "commission above the cap");
			for d in &node.domains {
				ensure!(DomainNodes::<T>::contains_key(d, &who), "domain index misses a node");
				let c = members.entry(*d).or_default();
				*c = c.saturating_add(1);
			}
		}
		ensure!(nodes == Nodes::<T>::count(), "node counter is off");
		for (d, who, place) in DomainNodes::<T>::iter() {
			ensure!(
				Nodes::<T>::get(&who).is_some_and(|n| n.domains.contains(&d)),
				"domain index holds a node that does not declare the domain"
			);
			ensure!(
				place < DomainNodeCount::<T>::get(d),
				"a node's place is past its domain's list"
			);
			ensure!(
				DomainNodeAt::<T>::get(d, place).as_ref() == Some(&who),
				"a node's place in its domain's list holds another node"
			);
		}
		// With the check above (each node's place holds it), equal sizes make the list a
		// dense permutation of the domain's nodes.
		for (d, place, who) in DomainNodeAt::<T>::iter() {
			ensure!(
				DomainNodes::<T>::get(d, &who) == Some(place),
				"a domain's list holds a node at a place it does not have"
			);
		}
		for (d, c) in DomainNodeCount::<T>::iter() {
			ensure!(members.get(&d).copied().unwrap_or_default() == c, "domain node count is off");
			ensure!(c <= T::MaxNodesPerDomain::get(), "domain over MaxNodesPerDomain");
		}

		// Fresh bonds (AUDIT M2): part of a registered node's bond, never empty.
		for (who, (fresh, _)) in FreshBond::<T>::iter() {
			ensure!(!fresh.is_zero(), "empty fresh bond stored");
			ensure!(
				Nodes::<T>::get(&who).is_some_and(|n| fresh <= n.bond),
				"fresh bond of no node or above its bond"
			);
		}

		// Own bonds: held == bond + own chunks, for every account with either.
		let mut bonded: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut unbonding_shares: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (who, node) in Nodes::<T>::iter() {
			bonded.insert(who, node.bond);
		}
		for (who, chunks) in Unbonding::<T>::iter() {
			ensure!(!chunks.is_empty(), "empty chunk list stored");
			for c in chunks {
				match c.kind {
					ChunkKind::Bond => {
						let b = bonded.entry(who.clone()).or_default();
						*b = b.saturating_add(c.value);
					}
					ChunkKind::Delegation { node, epoch } => {
						ensure!(epoch < NextUnbondingEpoch::<T>::get(), "chunk of a future epoch");
						// Chunks of a past epoch (or of a removed pool) are worth nothing and
						// count towards no pool.
						if Self::pool_in_epoch(&node, epoch).is_some() {
							let s = unbonding_shares.entry(node).or_default();
							*s = s.saturating_add(c.value);
						}
					}
				}
			}
		}
		for (who, amount) in &bonded {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::NodeBond.into(), who) == *amount,
				"held NodeBond != bond + own unbonding chunks"
			);
		}

		// Pools: held == stake, shares add up.
		let mut active_shares: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut per_delegator: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (delegator, node, d) in Delegations::<T>::iter() {
			ensure!(!d.shares.is_zero(), "empty delegation stored");
			let s = active_shares.entry(node).or_default();
			*s = s.saturating_add(d.shares);
			let c = per_delegator.entry(delegator).or_default();
			*c = c.saturating_add(1);
		}
		for (delegator, c) in DelegationCount::<T>::iter() {
			ensure!(
				per_delegator.get(&delegator).copied().unwrap_or_default() == c,
				"delegation count is off"
			);
			ensure!(c <= T::MaxDelegationsPerDelegator::get(), "too many delegations");
		}
		ensure!(
			per_delegator.keys().all(DelegationCount::<T>::contains_key),
			"delegator without a count"
		);
		for (node, pool) in Pools::<T>::iter() {
			let held = T::Currency::balance_on_hold(
				&HoldReason::Delegation.into(),
				&Self::pool_account(&node),
			);
			let vesting = PoolVesting::<T>::get(&node).map_or_else(Zero::zero, |(a, _, _)| a);
			if held
				!= pool.active_stake.saturating_add(pool.unbonding_stake).saturating_add(vesting)
			{
				#[cfg(test)]
				std::eprintln!("pool of {node:?}: held {held:?}, pool {pool:?}");
				return Err("held Delegation != pool active + unbonding + vesting stake".into());
			}
			ensure!(
				active_shares.get(&node).copied().unwrap_or_default() == pool.active_shares,
				"delegators' shares != pool active shares"
			);
			ensure!(
				unbonding_shares.get(&node).copied().unwrap_or_default() == pool.unbonding_shares,
				"undelegation chunks' shares != pool unbonding shares"
			);
			ensure!(
				!(pool.active_shares.is_zero() && pool.unbonding_shares.is_zero()),
				"empty pool stored"
			);
			ensure!(
				pool.active_stake.is_zero() || !pool.active_shares.is_zero(),
				"active stake without shares"
			);
			ensure!(
				pool.unbonding_stake.is_zero() == pool.unbonding_shares.is_zero(),
				"unbonding stake without shares, or shares without stake (the H4 freeze)"
			);
			ensure!(
				pool.unbonding_epoch < NextUnbondingEpoch::<T>::get(),
				"pool of a future unbonding epoch"
			);
		}
		ensure!(
			active_shares.keys().chain(unbonding_shares.keys()).all(Pools::<T>::contains_key),
			"shares in a pool that does not exist"
		);
		for (node, (amount, last, end)) in PoolVesting::<T>::iter() {
			ensure!(
				Pools::<T>::contains_key(&node),
				"vesting rewards of a pool that does not exist"
			);
			ensure!(!amount.is_zero() && last <= end, "empty or inverted vesting entry");
		}
		Ok(())
	}
}
