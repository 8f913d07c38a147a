//! Domains, registration, bonds, unbonding and commission. Every `do_*` validates everything
//! before it writes anything.

use crate::{pallet::*, types::*, DomainId, LOG_TARGET};
use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{
		fungible::MutateHold as _,
		tokens::{Fortitude, Precision, Restriction},
		AccountIdConversion,
	},
};

impl<T: Config> Pallet<T> {
	/// The keyless account holding `node`'s delegation pool: the hash of the pallet id and
	/// the node, so no prefix truncation can make two pools share an account.
	pub fn pool_account(node: &T::AccountId) -> T::AccountId {
		let hash = (T::PalletId::get(), b"pool", node).using_encoded(frame::hashing::blake2_256);
		T::AccountId::decode(&mut TrailingZeroInput::new(&hash[..]))
			.unwrap_or_else(|_| T::PalletId::get().into_sub_account_truncating(node))
	}

	/// Minimum own bond for `roles`.
	pub fn min_bond(roles: &Roles) -> BalanceOf<T> {
		let mut min = BalanceOf::<T>::zero();
		if roles.provider || roles.coordinator {
			min = min.max(T::MinProviderBond::get());
		}
		if roles.validator {
			min = min.max(T::MinValidatorBond::get());
		}
		min
	}

	/// The commission of `node` at block `now` (a matured pending increase counts).
	pub fn effective_commission(node: &NodeInfoOf<T>, now: BlockNumberFor<T>) -> Perbill {
		match node.pending_commission {
			Some(p) if p.effective_at <= now => p.commission,
			_ => node.commission,
		}
	}

	/// Register `name` as a new domain and return its id.
	pub fn do_register_domain(
		name: BoundedVec<u8, T::MaxDomainNameLen>,
	) -> Result<DomainId, DispatchError> {
		ensure!(!name.is_empty(), Error::<T>::EmptyDomainName);
		ensure!(!DomainIdByName::<T>::contains_key(&name), Error::<T>::DuplicateDomainName);
		let id = NextDomainId::<T>::get();
		ensure!(id < T::MaxDomains::get(), Error::<T>::TooManyDomains);
		let next = id.checked_add(1).ok_or(Error::<T>::TooManyDomains)?;
		let info = DomainInfo {
			name: name.clone(),
			active: true,
			registered_at: frame_system::Pallet::<T>::block_number(),
		};
		Domains::<T>::insert(id, info);
		DomainIdByName::<T>::insert(&name, id);
		NextDomainId::<T>::put(next);
		Self::deposit_event(Event::DomainRegistered { domain: id, name });
		Ok(id)
	}

	/// Whether `domain` exists and is active.
	pub fn is_active_domain(domain: DomainId) -> bool {
		Domains::<T>::get(domain).is_some_and(|d| d.active)
	}

	/// Check a declared domain list for `roles`: sorted, unique, active, within bounds.
	pub(crate) fn check_domains(
		roles: &Roles,
		mut domains: Vec<DomainId>,
	) -> Result<DomainsOf<T>, DispatchError> {
		domains.sort_unstable();
		let len = domains.len();
		domains.dedup();
		ensure!(domains.len() == len, Error::<T>::DuplicateDomain);
		ensure!(
			!domains.is_empty() || !(roles.provider || roles.coordinator),
			Error::<T>::NoDomains
		);
		for d in &domains {
			let info = Domains::<T>::get(d).ok_or(Error::<T>::UnknownDomain)?;
			ensure!(info.active, Error::<T>::DomainRetired);
		}
		domains.try_into().map_err(|_| Error::<T>::TooManyNodeDomains.into())
	}

	/// Check that every domain in `added` has room for one more node.
	pub(crate) fn check_domain_room(added: &[DomainId]) -> DispatchResult {
		for d in added {
			ensure!(
				DomainNodeCount::<T>::get(d) < T::MaxNodesPerDomain::get(),
				Error::<T>::DomainFull
			);
		}
		Ok(())
	}

	/// Add `who` to each domain of `added` (not already in it), at the end of its
	/// [`DomainNodeAt`] list.
	pub(crate) fn join_domains(who: &T::AccountId, added: &[DomainId]) {
		for d in added {
			let place = DomainNodeCount::<T>::get(d);
			DomainNodes::<T>::insert(d, who, place);
			DomainNodeAt::<T>::insert(d, place, who);
			DomainNodeCount::<T>::insert(d, place.saturating_add(1));
		}
	}

	/// Take `who` out of each domain of `removed`: the domain's last node moves into its
	/// place, so the list stays dense.
	pub(crate) fn leave_domains(who: &T::AccountId, removed: &[DomainId]) {
		for d in removed {
			let Some(place) = DomainNodes::<T>::take(d, who) else { continue };
			let last = DomainNodeCount::<T>::get(d).saturating_sub(1);
			if let Some(moved) = DomainNodeAt::<T>::take(d, last) {
				if place != last {
					DomainNodes::<T>::insert(d, &moved, place);
					DomainNodeAt::<T>::insert(d, place, moved);
				}
			}
			DomainNodeCount::<T>::insert(d, last);
		}
	}

	/// Register `who` as a node.
	pub fn do_register(
		who: &T::AccountId,
		roles: Roles,
		domains: Vec<DomainId>,
		model: Vec<u8>,
		description: Vec<u8>,
		bond: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!Nodes::<T>::contains_key(who), Error::<T>::AlreadyRegistered);
		ensure!(!roles.is_empty(), Error::<T>::NoRoles);
		let domains = Self::check_domains(&roles, domains)?;
		let model: BoundedVec<_, _> = model.try_into().map_err(|_| Error::<T>::ModelTooLong)?;
		let description: BoundedVec<_, _> =
			description.try_into().map_err(|_| Error::<T>::DescriptionTooLong)?;
		ensure!(!bond.is_zero() && bond >= Self::min_bond(&roles), Error::<T>::BondTooLow);
		Self::check_domain_room(&domains)?;
		T::Currency::hold(&HoldReason::NodeBond.into(), who, bond)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		Self::join_domains(who, &domains);
		let now = frame_system::Pallet::<T>::block_number();
		Nodes::<T>::insert(
			who,
			NodeInfo {
				roles,
				domains: domains.clone(),
				model,
				description,
				bond,
				commission: Perbill::zero(),
				pending_commission: None,
				registered_at: now,
				live_assignments: 0,
			},
		);
		Self::deposit_event(Event::NodeRegistered { node: who.clone(), roles, domains, bond });
		Ok(())
	}

	/// Replace `who`'s roles, domains, model and description.
	pub fn do_update_profile(
		who: &T::AccountId,
		roles: Roles,
		domains: Vec<DomainId>,
		model: Vec<u8>,
		description: Vec<u8>,
	) -> DispatchResult {
		let mut node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(!roles.is_empty(), Error::<T>::NoRoles);
		let domains = Self::check_domains(&roles, domains)?;
		let model: BoundedVec<_, _> = model.try_into().map_err(|_| Error::<T>::ModelTooLong)?;
		let description: BoundedVec<_, _> =
			description.try_into().map_err(|_| Error::<T>::DescriptionTooLong)?;
		ensure!(node.bond >= Self::min_bond(&roles), Error::<T>::BondTooLow);
		let added: Vec<DomainId> =
			domains.iter().filter(|d| !node.domains.contains(d)).copied().collect();
		let removed: Vec<DomainId> =
			node.domains.iter().filter(|d| !domains.contains(d)).copied().collect();
		Self::check_domain_room(&added)?;

		if node.model != model {
			// A proof of capability is for a model (AUDIT H2): a new one needs a new proof.
			// Failed statuses stay, so a model change does not skip a cool-down.
			for d in node.domains.iter().chain(domains.iter()) {
				if matches!(Capabilities::<T>::get(who, d), Some(CapabilityStatus::Capable { .. }))
				{
					Capabilities::<T>::remove(who, d);
				}
			}
		}
		Self::leave_domains(who, &removed);
		Self::join_domains(who, &added);
		node.roles = roles;
		node.domains = domains.clone();
		node.model = model;
		node.description = description;
		Nodes::<T>::insert(who, node);
		Self::deposit_event(Event::ProfileUpdated { node: who.clone(), roles, domains });
		Ok(())
	}

	/// Add `amount` to `who`'s bond.
	pub fn do_bond_extra(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		node.bond = node.bond.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::NodeBond.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		// Counts in reward splits once bonded for `RewardVesting` blocks (AUDIT M2); a new
		// addition restarts the window for what is still fresh.
		let now = frame_system::Pallet::<T>::block_number();
		let fresh = Self::fresh_bond(who, now).checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let from = now.checked_add(&T::RewardVesting::get()).ok_or(Error::<T>::Overflow)?;
		if from > now {
			FreshBond::<T>::insert(who, (fresh, from));
		}
		Nodes::<T>::insert(who, node);
		Self::deposit_event(Event::Bonded { node: who.clone(), amount });
		Ok(())
	}

	/// The part of `who`'s bond added less than `RewardVesting` blocks before `now`.
	pub fn fresh_bond(who: &T::AccountId, now: BlockNumberFor<T>) -> BalanceOf<T> {
		FreshBond::<T>::get(who).filter(|(_, from)| now < *from).map_or_else(Zero::zero, |f| f.0)
	}

	/// Add an unbonding chunk to `who`'s list, merging with one of the same kind and block.
	pub(crate) fn push_chunk(
		chunks: &mut ChunksOf<T>,
		kind: ChunkKind<T::AccountId>,
		value: BalanceOf<T>,
		unlock_at: BlockNumberFor<T>,
	) -> DispatchResult {
		if let Some(c) = chunks.iter_mut().find(|c| c.kind == kind && c.unlock_at == unlock_at) {
			c.value = c.value.checked_add(&value).ok_or(Error::<T>::Overflow)?;
			return Ok(());
		}
		chunks
			.try_push(UnlockChunk { kind, value, unlock_at })
			.map_err(|_| Error::<T>::TooManyChunks.into())
	}

	pub(crate) fn unlock_block() -> Result<BlockNumberFor<T>, DispatchError> {
		frame_system::Pallet::<T>::block_number()
			.checked_add(&T::UnbondingPeriod::get())
			.ok_or(Error::<T>::Overflow.into())
	}

	/// Start unbonding `amount` of `who`'s bond.
	pub fn do_unbond(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let rest = node.bond.checked_sub(&amount).ok_or(Error::<T>::BondTooLow)?;
		ensure!(rest >= Self::min_bond(&node.roles) && !rest.is_zero(), Error::<T>::BondTooLow);
		let unlock_at = Self::unlock_block()?;
		let mut chunks = Unbonding::<T>::get(who);
		Self::push_chunk(&mut chunks, ChunkKind::Bond, amount, unlock_at)?;
		node.bond = rest;
		// The fresh part of the bond leaves first.
		FreshBond::<T>::mutate_exists(who, |f| {
			if let Some((fresh, _)) = f.as_mut() {
				*fresh = fresh.saturating_sub(amount);
				if fresh.is_zero() {
					*f = None;
				}
			}
		});
		Nodes::<T>::insert(who, node);
		Unbonding::<T>::insert(who, chunks);
		Self::deposit_event(Event::Unbonded { node: who.clone(), amount, unlock_at });
		Ok(())
	}

	/// Pay out `who`'s matured chunks; the total paid. A node's own bond chunks stay held, and
	/// slashable, while the node has live assignments (AUDIT M1): stake that was there when the
	/// work was accepted is there when the work is judged. Undelegations are not held back.
	pub fn do_withdraw_unbonded(who: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let working = Nodes::<T>::get(who).is_some_and(|n| n.live_assignments > 0);
		let chunks = Unbonding::<T>::get(who);
		let (matured, pending): (Vec<_>, Vec<_>) = chunks
			.into_iter()
			.partition(|c| c.unlock_at <= now && !(working && c.kind == ChunkKind::Bond));
		if matured.is_empty() {
			return Ok(Zero::zero());
		}
		let mut total = BalanceOf::<T>::zero();
		for chunk in matured {
			let paid = match chunk.kind {
				ChunkKind::Bond => T::Currency::release(
					&HoldReason::NodeBond.into(),
					who,
					chunk.value,
					Precision::Exact,
				)?,
				ChunkKind::Delegation { node, epoch } => {
					Self::pay_unbonding_shares(who, &node, epoch, chunk.value)?
				}
			};
			total = total.saturating_add(paid);
		}
		let pending: ChunksOf<T> = pending.try_into().map_err(|_| Error::<T>::TooManyChunks)?;
		Self::put_chunks(who, pending);
		Self::deposit_event(Event::Withdrawn { who: who.clone(), amount: total });
		Ok(total)
	}

	/// Redeem `shares` of `node`'s unbonding side of `epoch` for `who`; the amount paid.
	/// Shares of an epoch the pool has left (slashed to zero, or a pool since emptied and
	/// removed) are worth nothing: they pay 0 and change nothing.
	pub(crate) fn pay_unbonding_shares(
		who: &T::AccountId,
		node: &T::AccountId,
		epoch: u32,
		shares: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut pool) = Self::pool_in_epoch(node, epoch) else {
			return Ok(Zero::zero());
		};
		let value = Self::unbonding_value(&pool, shares);
		pool.unbonding_shares = pool.unbonding_shares.saturating_sub(shares);
		pool.unbonding_stake = pool.unbonding_stake.saturating_sub(value);
		if !value.is_zero() {
			Self::pay_from_pool(node, who, value)?;
		}
		Self::put_pool(node, pool);
		Ok(value)
	}

	/// Move `amount` held in `node`'s pool to `who`'s free balance.
	pub(crate) fn pay_from_pool(
		node: &T::AccountId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&HoldReason::Delegation.into(),
			&Self::pool_account(node),
			who,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)
		.map(|_| ())
	}

	/// Store `who`'s chunk list, or remove it when empty.
	pub(crate) fn put_chunks(who: &T::AccountId, chunks: ChunksOf<T>) {
		if chunks.is_empty() {
			Unbonding::<T>::remove(who);
		} else {
			Unbonding::<T>::insert(who, chunks);
		}
	}

	/// Store `pool`, or remove it (and the pool account's provider) once it is empty.
	pub(crate) fn put_pool(node: &T::AccountId, pool: Pool<BalanceOf<T>>) {
		if pool.active_shares.is_zero() && pool.unbonding_shares.is_zero() {
			// Rewards still vesting with nobody left to earn them go to the node.
			if let Some((unvested, _, _)) = PoolVesting::<T>::take(node) {
				if let Err(e) = Self::pay_from_pool(node, node, unvested) {
					log::error!(target: LOG_TARGET, "pool of {node:?}: unvested {unvested:?} not paid: {e:?}");
				}
			}
			if Pools::<T>::take(node).is_some() {
				let _ = frame_system::Pallet::<T>::dec_providers(&Self::pool_account(node))
					.defensive_proof("the pool account got a provider when the pool was created");
			}
		} else {
			Pools::<T>::insert(node, pool);
		}
	}

	/// Deregister `who`: its whole bond starts unbonding.
	pub fn do_deregister(who: &T::AccountId) -> DispatchResult {
		let node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(node.live_assignments == 0, Error::<T>::HasLiveAssignments);
		let unlock_at = Self::unlock_block()?;
		let mut chunks = Unbonding::<T>::get(who);
		if !node.bond.is_zero() {
			Self::push_chunk(&mut chunks, ChunkKind::Bond, node.bond, unlock_at)?;
		}
		Self::leave_domains(who, &node.domains);
		Nodes::<T>::remove(who);
		FreshBond::<T>::remove(who);
		Self::put_chunks(who, chunks);
		Self::deposit_event(Event::Unbonded { node: who.clone(), amount: node.bond, unlock_at });
		Self::deposit_event(Event::NodeDeregistered { node: who.clone() });
		Ok(())
	}

	/// Set `who`'s commission (decrease now, increase after the delay).
	pub fn do_set_commission(who: &T::AccountId, commission: Perbill) -> DispatchResult {
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		let mut node = Nodes::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::effective_commission(&node, now);
		let effective_at = if commission <= current {
			node.commission = commission;
			node.pending_commission = None;
			now
		} else {
			let at =
				now.checked_add(&T::CommissionChangeDelay::get()).ok_or(Error::<T>::Overflow)?;
			node.commission = current;
			node.pending_commission = Some(PendingCommission { commission, effective_at: at });
			at
		};
		Nodes::<T>::insert(who, node);
		Self::deposit_event(Event::CommissionSet { node: who.clone(), commission, effective_at });
		Ok(())
	}
}
