//! Share-based delegation: pool values, delegate, undelegate, claim and compound.

use crate::{pallet::*, types::*};
use frame::{
	arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Perbill, Rounding},
	prelude::*,
	traits::{
		fungible::MutateHold as _,
		tokens::{Fortitude, Precision, Preservation},
		UniqueSaturatedInto,
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
	/// Value of `shares` active shares of `pool` (rounded down).
	pub fn active_value(pool: &Pool<BalanceOf<T>>, shares: BalanceOf<T>) -> BalanceOf<T> {
		share_value(shares, pool.active_shares, pool.active_stake)
	}

	/// Value of `shares` unbonding shares of `pool`'s current epoch (rounded down).
	pub fn unbonding_value(pool: &Pool<BalanceOf<T>>, shares: BalanceOf<T>) -> BalanceOf<T> {
		share_value(shares, pool.unbonding_shares, pool.unbonding_stake)
	}

	/// Value of an undelegation chunk: `shares` of `node`'s unbonding side of `epoch`; zero
	/// when that epoch is over or the pool is gone.
	pub fn chunk_value(node: &T::AccountId, epoch: u32, shares: BalanceOf<T>) -> BalanceOf<T> {
		Self::pool_in_epoch(node, epoch)
			.map_or_else(Zero::zero, |p| Self::unbonding_value(&p, shares))
	}

	/// `node`'s pool, if its unbonding side is still in `epoch` (the pool a chunk of that
	/// epoch has a claim on).
	pub(crate) fn pool_in_epoch(node: &T::AccountId, epoch: u32) -> Option<Pool<BalanceOf<T>>> {
		Pools::<T>::get(node).filter(|p| p.unbonding_epoch == epoch)
	}

	/// What of `vesting` = `(amount, vested up to, end)` has vested at `now` (linearly).
	pub(crate) fn vested_at(
		(amount, last, end): (BalanceOf<T>, BlockNumberFor<T>, BlockNumberFor<T>),
		now: BlockNumberFor<T>,
	) -> BalanceOf<T> {
		if now >= end || end <= last {
			return amount;
		}
		let elapsed: u64 = now.saturating_sub(last).unique_saturated_into();
		let total: u64 = end.saturating_sub(last).unique_saturated_into();
		Perbill::from_rational(elapsed, total).mul_floor(amount)
	}

	/// `node`'s pool with what has vested of its rewards by now counted as active stake (for
	/// views; [`Self::accrue`] writes it).
	pub fn accrued_pool(node: &T::AccountId) -> Pool<BalanceOf<T>> {
		let mut pool = Pools::<T>::get(node).unwrap_or_default();
		if let Some(v) = PoolVesting::<T>::get(node) {
			if !pool.active_shares.is_zero() {
				let now = frame_system::Pallet::<T>::block_number();
				pool.active_stake = pool.active_stake.saturating_add(Self::vested_at(v, now));
			}
		}
		pool
	}

	/// Move what has vested of `node`'s pool rewards into its active stake (AUDIT M2); with
	/// no active shares left to earn it, it goes to the node. Called before anything reads or
	/// changes the pool's share price.
	pub(crate) fn accrue(node: &T::AccountId) -> DispatchResult {
		let Some(vesting) = PoolVesting::<T>::get(node) else {
			return Ok(());
		};
		let (amount, last, end) = vesting;
		let now = frame_system::Pallet::<T>::block_number();
		if now <= last {
			return Ok(());
		}
		let vested = Self::vested_at(vesting, now);
		let rest = amount.saturating_sub(vested);
		if rest.is_zero() {
			PoolVesting::<T>::remove(node);
		} else {
			PoolVesting::<T>::insert(node, (rest, now, end));
		}
		if vested.is_zero() {
			return Ok(());
		}
		match Pools::<T>::get(node) {
			Some(mut pool) if !pool.active_shares.is_zero() => {
				pool.active_stake =
					pool.active_stake.checked_add(&vested).ok_or(Error::<T>::Overflow)?;
				Pools::<T>::insert(node, pool);
				Ok(())
			}
			_ => Self::pay_from_pool(node, node, vested),
		}
	}

	/// Add `amount` (already held on the pool account) to `node`'s delegators' rewards: vesting
	/// over [`Config::RewardVesting`] from now, with what is still vesting (accrued first).
	pub(crate) fn vest_reward(
		node: &T::AccountId,
		pool: &mut Pool<BalanceOf<T>>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let period = T::RewardVesting::get();
		if period.is_zero() {
			pool.active_stake =
				pool.active_stake.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			return Ok(());
		}
		let now = frame_system::Pallet::<T>::block_number();
		let unvested = PoolVesting::<T>::get(node).map_or_else(Zero::zero, |(a, _, _)| a);
		let total = unvested.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		PoolVesting::<T>::insert(node, (total, now, now.saturating_add(period)));
		Ok(())
	}

	/// Take the next unbonding epoch from the pallet-wide counter.
	pub(crate) fn next_unbonding_epoch() -> Result<u32, DispatchError> {
		NextUnbondingEpoch::<T>::try_mutate(|next| {
			let epoch = *next;
			*next = next.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Ok(epoch)
		})
	}

	/// Retire `pool`'s unbonding side (its shares become worthless) and start a new epoch.
	/// Called when the side's stake has been slashed to zero.
	pub(crate) fn new_unbonding_epoch(pool: &mut Pool<BalanceOf<T>>) -> DispatchResult {
		pool.unbonding_epoch = Self::next_unbonding_epoch()?;
		pool.unbonding_shares = Zero::zero();
		Ok(())
	}

	/// Delegate `amount` from `who` to `node`.
	pub fn do_delegate(
		who: &T::AccountId,
		node: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(who != node, Error::<T>::SelfDelegation);
		ensure!(Nodes::<T>::contains_key(node), Error::<T>::NotRegistered);
		Self::accrue(node)?;
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
		let mut pool = match maybe_pool {
			Some(pool) => pool,
			None => Pool { unbonding_epoch: Self::next_unbonding_epoch()?, ..Default::default() },
		};
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
		Self::accrue(node)?;
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
		// The removed value joins the unbonding side as unbonding shares. A side with shares
		// but no stake left (only reachable from state written before storage version 1, see
		// `migrations::v1`) starts a new epoch first, so it cannot block undelegation.
		if pool.unbonding_stake.is_zero() && !pool.unbonding_shares.is_zero() {
			Self::new_unbonding_epoch(&mut pool)?;
		}
		let unbonding_shares = if pool.unbonding_shares.is_zero() {
			removed
		} else {
			mul_div(removed, pool.unbonding_shares, pool.unbonding_stake, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		let unlock_at = Self::unlock_block()?;
		let mut chunks = Unbonding::<T>::get(who);
		if !unbonding_shares.is_zero() {
			Self::push_chunk(
				&mut chunks,
				ChunkKind::Delegation { node: node.clone(), epoch: pool.unbonding_epoch },
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
		Self::accrue(node)?;
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
		Self::accrue(node)?;
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
}
