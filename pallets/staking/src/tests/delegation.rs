use super::{free, register_provider};
use crate::{
	mock::*, traits::NodeRegistry, ChunkKind, DelegationCount, Delegations, Error, Event, Pools,
	Unbonding,
};
use frame::testing_prelude::*;

#[test]
fn delegate_works_and_mints_shares_one_to_one_in_a_new_pool() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 40));
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.active_stake, pool.active_shares), (40, 40));
		let d = Delegations::<Test>::get(2, 1).unwrap();
		assert_eq!((d.shares, d.principal), (40, 40));
		assert_eq!(free(2), ENDOWMENT - 40);
		assert_eq!(DelegationCount::<Test>::get(2), 1);
		assert_eq!(Staking::stake_of(&1), 190);
		System::assert_last_event(
			Event::Delegated { delegator: 2, node: 1, amount: 40, shares: 40 }.into(),
		);
		// The pool account holds the funds.
		use frame::traits::fungible::InspectHold;
		assert_eq!(
			Balances::balance_on_hold(
				&crate::HoldReason::Delegation.into(),
				&Staking::pool_account(&1)
			),
			40
		);
	});
}

#[test]
fn cannot_delegate_wrongly() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(2), 1, 40),
			Error::<Test>::NotRegistered
		);
		register_provider(1, vec![0], 150);
		register_provider(3, vec![0], 150);
		register_provider(4, vec![0], 150);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(1), 1, 40),
			Error::<Test>::SelfDelegation
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(2), 1, 9),
			Error::<Test>::DelegationTooLow
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(2), 1, ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 40));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 3, 40));
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(2), 4, 40),
			Error::<Test>::TooManyDelegations
		);
		// Adding to an existing position is not a new delegation.
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 10));
		// A pool slashed to nothing takes no new delegations.
		Staking::slash(&3, Perbill::one(), crate::SlashReason::Governance);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(5), 3, 40),
			Error::<Test>::PoolDepleted
		);
	});
}

#[test]
fn undelegate_unbonds_and_withdraw_pays_out() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 30));
		System::assert_last_event(
			Event::Undelegated { delegator: 2, node: 1, amount: 30, unlock_at: 1 + UNBONDING }
				.into(),
		);
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.active_stake, pool.unbonding_stake, pool.unbonding_shares), (70, 30, 30));
		assert_eq!(Delegations::<Test>::get(2, 1).unwrap().principal, 70);
		let chunks = Unbonding::<Test>::get(2);
		assert_eq!(chunks[0].kind, ChunkKind::Delegation { node: 1, epoch: 0 });
		run_to_block(1 + UNBONDING);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), ENDOWMENT - 70);
		// Undelegating all removes the position and, once withdrawn, the pool.
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 1_000));
		assert!(Delegations::<Test>::get(2, 1).is_none());
		assert_eq!(DelegationCount::<Test>::get(2), 0);
		run_to_block(1 + 2 * UNBONDING);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), ENDOWMENT);
		assert!(Pools::<Test>::get(1).is_none());
		assert_eq!(System::providers(&Staking::pool_account(&1)), 0);
	});
}

#[test]
fn undelegate_takes_everything_when_the_rest_would_be_dust() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 15));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 6));
		assert!(Delegations::<Test>::get(2, 1).is_none(), "9 left would be below MinDelegation");
	});
}

#[test]
fn cannot_undelegate_wrongly() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_noop!(
			Staking::undelegate(RuntimeOrigin::signed(2), 1, 5),
			Error::<Test>::NoDelegation
		);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_noop!(
			Staking::undelegate(RuntimeOrigin::signed(2), 1, 0),
			Error::<Test>::ZeroAmount
		);
		for b in 1..=3 {
			run_to_block(b);
			assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 10));
		}
		run_to_block(4);
		assert_noop!(
			Staking::undelegate(RuntimeOrigin::signed(2), 1, 10),
			Error::<Test>::TooManyChunks
		);
	});
}

#[test]
fn claim_and_compound_rewards() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 100);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_noop!(
			Staking::claim_rewards(RuntimeOrigin::signed(2), 1),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Staking::compound(RuntimeOrigin::signed(2), 1), Error::<Test>::NothingToClaim);
		assert_noop!(
			Staking::claim_rewards(RuntimeOrigin::signed(3), 1),
			Error::<Test>::NoDelegation
		);
		assert_noop!(Staking::compound(RuntimeOrigin::signed(3), 1), Error::<Test>::NoDelegation);
		// 0 % commission, half own bond: delegators get half of 40.
		assert_ok!(Staking::reward(&PAYER, &1, 40));
		assert_eq!(Pools::<Test>::get(1).unwrap().active_stake, 120);
		let before = free(2);
		assert_ok!(Staking::claim_rewards(RuntimeOrigin::signed(2), 1));
		assert_eq!(free(2), before + 20);
		System::assert_last_event(
			Event::RewardsClaimed { delegator: 2, node: 1, amount: 20 }.into(),
		);
		assert_eq!(Staking::delegation_views(2)[0].value, 100);
		assert_ok!(Staking::reward(&PAYER, &1, 40));
		assert_ok!(Staking::compound(RuntimeOrigin::signed(2), 1));
		assert_eq!(Delegations::<Test>::get(2, 1).unwrap().principal, 120);
		System::assert_last_event(
			Event::RewardsCompounded { delegator: 2, node: 1, amount: 20 }.into(),
		);
		assert_noop!(
			Staking::claim_rewards(RuntimeOrigin::signed(2), 1),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn rewards_are_shared_by_shares_and_new_delegators_buy_in_at_the_current_price() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 100);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::reward(&PAYER, &1, 200)); // pool +100: price 2
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 1, 100)); // 50 shares
		assert_eq!(Delegations::<Test>::get(3, 1).unwrap().shares, 50);
		let views2 = Staking::delegation_views(2);
		let views3 = Staking::delegation_views(3);
		assert_eq!((views2[0].value, views3[0].value), (200, 100));
	});
}

/// AUDIT H4: one planck of unbonding dust plus any slash used to freeze every other
/// delegator's undelegation with `PoolDepleted` (unbonding shares left with no stake). The
/// slashed-out unbonding side now starts a new epoch; everyone can still leave, paid in full.
#[test]
fn h4_dust_unbonding_slashed_to_zero_does_not_freeze_undelegation() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::traits::NodeRegistry;
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 1, 50));
		// The attacker unbonds 1 planck; its rest (49) stays above MinDelegation.
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(3), 1, 1));
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.unbonding_stake, pool.unbonding_shares), (1, 1));
		// Any slash (1 %, rounded up) takes the whole unbonding planck.
		Staking::slash(&1, Perbill::from_percent(1), crate::SlashReason::Governance);
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!(pool.unbonding_stake, 0);
		// Another delegator leaves: before the fix, `PoolDepleted`, for ever.
		let value = Staking::active_value(&pool, Delegations::<Test>::get(2, 1).unwrap().shares);
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 1_000));
		run_to_block(1 + UNBONDING);
		let before = free(2);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), before + value, "paid the full value undelegated");
		// The attacker's slashed-out chunk pays nothing and is gone.
		let before = free(3);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(3)));
		assert_eq!(free(3), before);
		assert!(Unbonding::<Test>::get(3).is_empty());
		// The attacker can leave too.
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(3), 1, 1_000));
	});
}

/// A pool emptied by a full slash and removed, then re-created by a new delegation: chunks
/// of the old pool must not count in the new one (epochs are never reused).
#[test]
fn chunks_of_a_removed_pool_do_not_count_in_its_successor() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::traits::NodeRegistry;
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 1_000));
		Staking::slash(&1, Perbill::one(), crate::SlashReason::Governance);
		assert!(Pools::<Test>::get(1).is_none(), "nothing left: the pool is removed");
		// The node bonds again and a new delegator arrives.
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 150));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(4), 1, 50));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(4), 1, 20));
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.unbonding_stake, pool.unbonding_shares), (20, 20));
		assert_eq!(
			Staking::unbonding_views(2).iter().map(|v| v.value).collect::<Vec<_>>(),
			vec![0],
			"the old chunk is worth nothing"
		);
		run_to_block(1 + UNBONDING);
		let before = free(2);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), before, "the old chunk takes nothing from the new pool");
		let before = free(4);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(4)));
		assert_eq!(free(4), before + 20);
	});
}
