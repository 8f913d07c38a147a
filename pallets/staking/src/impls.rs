//! The logic behind the calls and the [`NodeRegistry`] implementation. Every `do_*` validates
//! everything before it writes anything.

use crate::{
	pallet::*,
	traits::{NodeRegistry, RewardSplit, SlashOutcome},
	types::*,
	DomainId, LOG_TARGET,
};
use alloc::vec::Vec;
use frame::{
	arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding},
	deps::frame_support::storage::with_storage_layer,
	prelude::*,
	traits::{
		fungible::{hold::Balanced as _, Mutate as _, MutateHold as _},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		AccountIdConversion, Imbalance, OnUnbalanced, UniqueSaturatedInto,
	},
};

/// `a * b / c` with the given rounding, or `None` on overflow or `c == 0`.
pub(crate) fn mul_div<B>(a: B, b: B, c: B, rounding: Rounding) -> Option<B>
where
	B: UniqueSaturatedInto<u128> + TryFrom<u128>,
{
	let r = multiply_by_rational_with_rounding(
		a.unique_saturated_into(),
		b.unique_saturated_into(),
		c.unique_saturated_into(),
		rounding,
	)?;
	B::try_from(r).ok()
}

/// Value of `shares` out of `total` shares worth `stake`, rounded down; the holder of all the
/// remaining shares gets the whole stake, so the last one out leaves no dust behind. It never
/// exceeds `stake`, hence never overflows.
pub(crate) fn share_value<B>(shares: B, total: B, stake: B) -> B
where
	B: UniqueSaturatedInto<u128> + TryFrom<u128> + PartialOrd + Default,
{
	if shares >= total {
		return stake;
	}
	mul_div(shares, stake, total, Rounding::Down).unwrap_or_default()
}

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
	fn check_domains(
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
	fn check_domain_room(added: &[DomainId]) -> DispatchResult {
		for d in added {
			ensure!(
				DomainNodeCount::<T>::get(d) < T::MaxNodesPerDomain::get(),
				Error::<T>::DomainFull
			);
		}
		Ok(())
	}

	fn join_domains(who: &T::AccountId, added: &[DomainId]) {
		for d in added {
			DomainNodes::<T>::insert(d, who, ());
			DomainNodeCount::<T>::mutate(d, |c| *c = c.saturating_add(1));
		}
	}

	fn leave_domains(who: &T::AccountId, removed: &[DomainId]) {
		for d in removed {
			DomainNodes::<T>::remove(d, who);
			DomainNodeCount::<T>::mutate(d, |c| *c = c.saturating_sub(1));
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
		Nodes::<T>::insert(who, node);
		Self::deposit_event(Event::Bonded { node: who.clone(), amount });
		Ok(())
	}

	/// Add an unbonding chunk to `who`'s list, merging with one of the same kind and block.
	fn push_chunk(
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

	fn unlock_block() -> Result<BlockNumberFor<T>, DispatchError> {
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
		Nodes::<T>::insert(who, node);
		Unbonding::<T>::insert(who, chunks);
		Self::deposit_event(Event::Unbonded { node: who.clone(), amount, unlock_at });
		Ok(())
	}

	/// Pay out `who`'s matured chunks; the total paid.
	pub fn do_withdraw_unbonded(who: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let chunks = Unbonding::<T>::get(who);
		let (matured, pending): (Vec<_>, Vec<_>) =
			chunks.into_iter().partition(|c| c.unlock_at <= now);
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
				ChunkKind::Delegation(node) => Self::pay_unbonding_shares(who, &node, chunk.value)?,
			};
			total = total.saturating_add(paid);
		}
		let pending: ChunksOf<T> = pending.try_into().map_err(|_| Error::<T>::TooManyChunks)?;
		Self::put_chunks(who, pending);
		Self::deposit_event(Event::Withdrawn { who: who.clone(), amount: total });
		Ok(total)
	}

	/// Redeem `shares` of `node`'s unbonding side for `who`; the amount paid.
	fn pay_unbonding_shares(
		who: &T::AccountId,
		node: &T::AccountId,
		shares: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let mut pool = Pools::<T>::get(node).ok_or(Error::<T>::NoDelegation)?;
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
	fn pay_from_pool(
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
	fn put_chunks(who: &T::AccountId, chunks: ChunksOf<T>) {
		if chunks.is_empty() {
			Unbonding::<T>::remove(who);
		} else {
			Unbonding::<T>::insert(who, chunks);
		}
	}

	/// Store `pool`, or remove it (and the pool account's provider) once it is empty.
	fn put_pool(node: &T::AccountId, pool: Pool<BalanceOf<T>>) {
		if pool.active_shares.is_zero() && pool.unbonding_shares.is_zero() {
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

	/// Value of `shares` active shares of `pool` (rounded down).
	pub fn active_value(pool: &Pool<BalanceOf<T>>, shares: BalanceOf<T>) -> BalanceOf<T> {
		share_value(shares, pool.active_shares, pool.active_stake)
	}

	/// Value of `shares` unbonding shares of `pool` (rounded down).
	pub fn unbonding_value(pool: &Pool<BalanceOf<T>>, shares: BalanceOf<T>) -> BalanceOf<T> {
		share_value(shares, pool.unbonding_shares, pool.unbonding_stake)
	}

	/// Delegate `amount` from `who` to `node`.
	pub fn do_delegate(
		who: &T::AccountId,
		node: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(who != node, Error::<T>::SelfDelegation);
		ensure!(Nodes::<T>::contains_key(node), Error::<T>::NotRegistered);
		ensure!(
			amount >= T::MinDelegation::get() && !amount.is_zero(),
			Error::<T>::DelegationTooLow
		);
		let existing = Delegations::<T>::get(who, node);
		if existing.is_none() {
			ensure!(
				DelegationCount::<T>::get(who) < T::MaxDelegationsPerDelegator::get(),
				Error::<T>::TooManyDelegations
			);
		}
		let maybe_pool = Pools::<T>::get(node);
		let mut pool = maybe_pool.unwrap_or_default();
		let shares = if pool.active_shares.is_zero() {
			amount
		} else {
			ensure!(!pool.active_stake.is_zero(), Error::<T>::PoolDepleted);
			mul_div(amount, pool.active_shares, pool.active_stake, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		ensure!(!shares.is_zero(), Error::<T>::DelegationTooLow);
		pool.active_stake = pool.active_stake.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		pool.active_shares = pool.active_shares.checked_add(&shares).ok_or(Error::<T>::Overflow)?;
		let mut delegation = existing.unwrap_or_default();
		delegation.shares = delegation.shares.checked_add(&shares).ok_or(Error::<T>::Overflow)?;
		delegation.principal =
			delegation.principal.checked_add(&amount).ok_or(Error::<T>::Overflow)?;

		let pool_account = Self::pool_account(node);
		if maybe_pool.is_none() {
			frame_system::Pallet::<T>::inc_providers(&pool_account);
		}
		let moved = T::Currency::transfer_and_hold(
			&HoldReason::Delegation.into(),
			who,
			&pool_account,
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		);
		if moved.is_err() {
			if maybe_pool.is_none() {
				let _ = frame_system::Pallet::<T>::dec_providers(&pool_account);
			}
			return Err(Error::<T>::InsufficientBalance.into());
		}
		if existing.is_none() {
			DelegationCount::<T>::mutate(who, |c| *c = c.saturating_add(1));
		}
		Delegations::<T>::insert(who, node, delegation);
		Pools::<T>::insert(node, pool);
		Self::deposit_event(Event::Delegated {
			delegator: who.clone(),
			node: node.clone(),
			amount,
			shares,
		});
		Ok(())
	}

	/// Undelegate `amount` of value from `who`'s position in `node`'s pool.
	pub fn do_undelegate(
		who: &T::AccountId,
		node: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut delegation = Delegations::<T>::get(who, node).ok_or(Error::<T>::NoDelegation)?;
		let mut pool = Pools::<T>::get(node).ok_or(Error::<T>::NoDelegation)?;
		let value = Self::active_value(&pool, delegation.shares);
		// Shares to remove: enough for `amount` (rounded up, in the pool's favour), or all of
		// them when the rest would fall below the minimum delegation.
		let mut shares = if amount >= value || pool.active_stake.is_zero() {
			delegation.shares
		} else {
			mul_div(amount, pool.active_shares, pool.active_stake, Rounding::Up)
				.ok_or(Error::<T>::Overflow)?
				.min(delegation.shares)
		};
		let rest = Self::active_value(&pool, delegation.shares.saturating_sub(shares));
		if rest < T::MinDelegation::get() {
			shares = delegation.shares;
		}
		let removed = Self::active_value(&pool, shares);
		// The removed value joins the unbonding side as unbonding shares.
		let unbonding_shares = if pool.unbonding_shares.is_zero() {
			removed
		} else {
			ensure!(!pool.unbonding_stake.is_zero(), Error::<T>::PoolDepleted);
			mul_div(removed, pool.unbonding_shares, pool.unbonding_stake, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		let unlock_at = Self::unlock_block()?;
		let mut chunks = Unbonding::<T>::get(who);
		if !unbonding_shares.is_zero() {
			Self::push_chunk(
				&mut chunks,
				ChunkKind::Delegation(node.clone()),
				unbonding_shares,
				unlock_at,
			)?;
		}

		let principal_removed = if shares == delegation.shares {
			delegation.principal
		} else {
			mul_div(delegation.principal, shares, delegation.shares, Rounding::Up)
				.ok_or(Error::<T>::Overflow)?
				.min(delegation.principal)
		};
		delegation.shares = delegation.shares.saturating_sub(shares);
		delegation.principal = delegation.principal.saturating_sub(principal_removed);
		pool.active_shares = pool.active_shares.saturating_sub(shares);
		pool.active_stake = pool.active_stake.saturating_sub(removed);
		if unbonding_shares.is_zero() {
			// Nothing of value left (a fully slashed position): the stake stays as dust.
			pool.active_stake = pool.active_stake.saturating_add(removed);
		} else {
			pool.unbonding_shares = pool.unbonding_shares.saturating_add(unbonding_shares);
			pool.unbonding_stake = pool.unbonding_stake.saturating_add(removed);
		}
		if delegation.shares.is_zero() {
			Delegations::<T>::remove(who, node);
			DelegationCount::<T>::mutate(who, |c| *c = c.saturating_sub(1));
		} else {
			Delegations::<T>::insert(who, node, delegation);
		}
		Self::put_chunks(who, chunks);
		Self::put_pool(node, pool);
		Self::deposit_event(Event::Undelegated {
			delegator: who.clone(),
			node: node.clone(),
			amount: removed,
			unlock_at,
		});
		Ok(())
	}

	/// Pay `who` the rewards accrued on its delegation to `node`.
	pub fn do_claim_rewards(who: &T::AccountId, node: &T::AccountId) -> DispatchResult {
		let mut delegation = Delegations::<T>::get(who, node).ok_or(Error::<T>::NoDelegation)?;
		let mut pool = Pools::<T>::get(node).ok_or(Error::<T>::NoDelegation)?;
		let value = Self::active_value(&pool, delegation.shares);
		let reward = value.checked_sub(&delegation.principal).unwrap_or_default();
		ensure!(!reward.is_zero() && !pool.active_stake.is_zero(), Error::<T>::NothingToClaim);
		let shares = mul_div(reward, pool.active_shares, pool.active_stake, Rounding::Up)
			.ok_or(Error::<T>::Overflow)?
			.min(delegation.shares);
		let paid = Self::active_value(&pool, shares);
		ensure!(!paid.is_zero() && shares < delegation.shares, Error::<T>::NothingToClaim);
		Self::pay_from_pool(node, who, paid)?;
		pool.active_shares = pool.active_shares.saturating_sub(shares);
		pool.active_stake = pool.active_stake.saturating_sub(paid);
		delegation.shares = delegation.shares.saturating_sub(shares);
		Delegations::<T>::insert(who, node, delegation);
		Self::put_pool(node, pool);
		Self::deposit_event(Event::RewardsClaimed {
			delegator: who.clone(),
			node: node.clone(),
			amount: paid,
		});
		Ok(())
	}

	/// Keep `who`'s accrued rewards on `node` staked as principal.
	pub fn do_compound(who: &T::AccountId, node: &T::AccountId) -> DispatchResult {
		let mut delegation = Delegations::<T>::get(who, node).ok_or(Error::<T>::NoDelegation)?;
		let pool = Pools::<T>::get(node).ok_or(Error::<T>::NoDelegation)?;
		let value = Self::active_value(&pool, delegation.shares);
		let reward = value.checked_sub(&delegation.principal).unwrap_or_default();
		ensure!(!reward.is_zero(), Error::<T>::NothingToClaim);
		delegation.principal = value;
		Delegations::<T>::insert(who, node, delegation);
		Self::deposit_event(Event::RewardsCompounded {
			delegator: who.clone(),
			node: node.clone(),
			amount: reward,
		});
		Ok(())
	}

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

	/// Whether `who` is capable in `domain`.
	pub fn is_capable(who: &T::AccountId, domain: DomainId) -> bool {
		matches!(Capabilities::<T>::get(who, domain), Some(CapabilityStatus::Capable { .. }))
	}

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
		for (d, who, ()) in DomainNodes::<T>::iter() {
			ensure!(
				Nodes::<T>::get(&who).is_some_and(|n| n.domains.contains(&d)),
				"domain index holds a node that does not declare the domain"
			);
		}
		for (d, c) in DomainNodeCount::<T>::iter() {
			ensure!(members.get(&d).copied().unwrap_or_default() == c, "domain node count is off");
			ensure!(c <= T::MaxNodesPerDomain::get(), "domain over MaxNodesPerDomain");
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
					ChunkKind::Delegation(node) => {
						let s = unbonding_shares.entry(node).or_default();
						*s = s.saturating_add(c.value);
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
			if held != pool.active_stake.saturating_add(pool.unbonding_stake) {
				#[cfg(test)]
				std::eprintln!("pool of {node:?}: held {held:?}, pool {pool:?}");
				return Err("held Delegation != pool active + unbonding stake".into());
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
				pool.unbonding_stake.is_zero() || !pool.unbonding_shares.is_zero(),
				"unbonding stake without shares"
			);
		}
		ensure!(
			active_shares.keys().chain(unbonding_shares.keys()).all(Pools::<T>::contains_key),
			"shares in a pool that does not exist"
		);
		Ok(())
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

	fn nodes_in_domain(domain: DomainId, limit: u32) -> Vec<T::AccountId> {
		DomainNodes::<T>::iter_key_prefix(domain).take(limit as usize).collect()
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
		Capabilities::<T>::get(who, domain)
	}

	fn stake_of(who: &T::AccountId) -> BalanceOf<T> {
		let Some(node) = Nodes::<T>::get(who) else { return Zero::zero() };
		let delegated = Pools::<T>::get(who).map(|p| p.active_stake).unwrap_or_default();
		node.bond.saturating_add(delegated)
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
			let mut pool = Pools::<T>::get(who).unwrap_or_default();
			let now = frame_system::Pallet::<T>::block_number();
			let split = Self::split_reward(
				amount,
				node.bond,
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
				pool.active_stake = pool
					.active_stake
					.checked_add(&split.to_delegators)
					.ok_or(Error::<T>::Overflow)?;
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

		// The delegation pool, active and unbonding, in O(1).
		let mut delegated = BalanceOf::<T>::zero();
		if let Some(mut pool) = Pools::<T>::get(who) {
			let a = cut(pool.active_stake);
			let u = cut(pool.unbonding_stake);
			pool.active_stake = pool.active_stake.saturating_sub(a);
			pool.unbonding_stake = pool.unbonding_stake.saturating_sub(u);
			delegated = a.saturating_add(u);
			let (c, missing) = T::Currency::slash(
				&HoldReason::Delegation.into(),
				&Self::pool_account(who),
				delegated,
			);
			if !missing.is_zero() {
				log::error!(target: LOG_TARGET, "slash of {who:?}'s pool: {missing:?} not held");
			}
			credit.subsume(c);
			Pools::<T>::insert(who, pool);
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
}
