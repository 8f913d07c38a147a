//! Attacks from `AUDIT.md` on the staking pallet, each shown succeeding on the code before its
//! fix (the figures in the doc comments) and failing after.

use super::{free, register_provider};
use crate::{
	mock::*, traits::NodeRegistry, ChunkKind, FreshBond, Nodes, PoolVesting, Pools, SlashReason,
	Unbonding,
};
use frame::{prelude::*, testing_prelude::*};

/// AUDIT M1: stake left before a slash. A node selected for work (bond 5,000) unbonded down
/// to the minimum (100) and withdrew the 4,900 after `UnbondingPeriod` while the work was still
/// open; the slash for that work then cut 1 % of 100 (1) instead of 1 % of 5,000 (50).
/// Before the fix: `withdraw_unbonded` paid 4,900 and the slash took 1. After: a node's own
/// unbonding chunks stay held, and slashable, until its live assignments close.
#[test]
fn m1_a_node_with_live_work_keeps_its_unbonded_stake_at_stake() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 5_000);
		assert_ok!(Staking::assignment_opened(&1));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 4_900));
		run_to_block(1 + UNBONDING + 1);
		let before = free(1);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), before, "nothing of the bond leaves while the work is open");
		let out = Staking::slash(&1, Perbill::from_percent(1), SlashReason::MissedDeadline);
		assert_eq!(out.own, 1 + 49, "1 % of the bond and of the unbonding chunk");
		assert_eq!(Unbonding::<Test>::get(1)[0].value, 4_900 - 49);
		assert_eq!(Unbonding::<Test>::get(1)[0].kind, ChunkKind::Bond);
		// The work closes: the matured chunk is paid.
		Staking::assignment_closed(&1);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), before + 4_851);
		assert!(Unbonding::<Test>::get(1).is_empty());
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 99);
	});
}

/// M1, delegators: their undelegations are not held back by the node's work (a node that always
/// has work would otherwise keep its delegators for ever); they are covered by time instead:
/// `UnbondingPeriod` outlasts every slashable window (the pallets' `integrity_test`s).
#[test]
fn m1_delegators_withdraw_after_the_period_whatever_the_node_does() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 500);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 300));
		assert_ok!(Staking::assignment_opened(&1));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 300));
		run_to_block(1 + UNBONDING + 1);
		let before = free(2);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), before + 300);
		Staking::assignment_closed(&1);
	});
}

/// AUDIT M2: just-in-time delegation skimmed a payout. Node 1 (bond 1,000) has had delegator
/// 2 (1,000) for a long time; a whale (3) delegates 8,000 in the block before a 1,000 reward
/// and undelegates in the block after. Before the fix the whale's position was worth 8,000
/// plus 8/9 of the delegators' part of the reward (the run on 0a2f6c1 printed it), and
/// delegator 2 got 1/9. Now delegators' rewards vest into the pool over `RewardVesting`
/// blocks: a position earns what vests while it is held, so the whale leaves with its 8,000
/// and the long-standing delegator earns the reward as it vests.
#[test]
fn m2_just_in_time_delegation_earns_nothing_of_a_payout() {
	ExtBuilder::default().build_and_execute(|| {
		RewardVesting::set(100);
		register_provider(1, vec![0], 1_000);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 1_000));
		run_to_block(50);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 1, 8_000));
		let split = Staking::reward(&PAYER, &1, 1_000).unwrap();
		let whale = Staking::delegation_views(3)[0].value;
		println!("M2: split {split:?}, whale's position right after the payout: {whale}");
		assert!(split.to_delegators > 0);
		assert_eq!(whale, 8_000, "the whale's position has gained nothing");
		run_to_block(51);
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(3), 1, 8_000));
		let chunk: u128 = Staking::unbonding_views(3).iter().map(|c| c.value).sum();
		assert!(chunk <= 8_000 + split.to_delegators / 100, "whale took {chunk}");
		// The long-standing delegator earns the rest as it vests.
		run_to_block(200);
		let value = Staking::delegation_views(2)[0].value;
		assert!(value >= 1_000 + split.to_delegators * 98 / 100, "delegator 2: {value}");
	});
}

/// AUDIT M2, the node's side: a node whose pool holds 1,000 of delegators' stake beside its
/// own 1,000 bonds 8,000 more in the block before a 1,000 reward, so the split gives the
/// delegators 1/10 instead of 1/2, and unbonds it again (the bond is its own money, but the
/// delegators' share of the reward is not): on 5366a4f the split was 900 / 100. Now stake the
/// node adds counts in the split only once it has been bonded for `RewardVesting` blocks, the
/// window the delegators' rewards vest over: the same reward splits as if the bond had not
/// moved (500 / 500), and later ones count it.
#[test]
fn m2_a_bond_extra_just_before_a_payout_does_not_move_the_split() {
	ExtBuilder::default().build_and_execute(|| {
		RewardVesting::set(100);
		register_provider(1, vec![0], 1_000);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 1_000));
		run_to_block(50);
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 8_000));
		let split = Staking::reward(&PAYER, &1, 1_000).unwrap();
		println!("M2 (node): split right after bond_extra {split:?}");
		assert_eq!((split.to_node, split.to_delegators), (500, 500));
		// Unbonding takes the fresh stake first: what stays counts as before.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 3_000));
		assert_eq!(FreshBond::<Test>::get(1), Some((5_000, 150)));
		// (The pool's active stake grows as the first reward vests.)
		let counted_as = |own: u128| {
			assert_ok!(Staking::accrue(&1));
			let pool = Pools::<Test>::get(1).unwrap().active_stake;
			Staking::split_reward(1_000, own, pool, Perbill::zero())
		};
		run_to_block(149);
		let expected = counted_as(1_000);
		assert_eq!(Staking::reward(&PAYER, &1, 1_000).unwrap(), expected);
		// Bonded for the whole window: counted, and the record is gone.
		run_to_block(150);
		let expected = counted_as(6_000);
		assert_eq!(Staking::reward(&PAYER, &1, 1_000).unwrap(), expected);
		assert_eq!(FreshBond::<Test>::get(1), None);
	});
}

/// The fresh part of a bond is slashed with it and never exceeds it; deregistering clears it.
#[test]
fn m2_fresh_bond_is_slashed_with_the_bond_and_cleared_on_deregistration() {
	ExtBuilder::default().build_and_execute(|| {
		RewardVesting::set(100);
		register_provider(1, vec![0], 1_000);
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 1_000));
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 1_000));
		assert_eq!(FreshBond::<Test>::get(1), Some((2_000, 101)));
		Staking::slash(&1, Perbill::from_percent(50), SlashReason::MissedDeadline);
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 1_500);
		assert_eq!(FreshBond::<Test>::get(1), Some((1_000, 101)));
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(FreshBond::<Test>::get(1), None);
	});
}

/// M2, the vesting side: rewards still vesting are slashed with the pool, a delegator that
/// leaves takes what vested while it was in, and what nobody is left to earn goes to the node.
#[test]
fn m2_vesting_rewards_are_slashed_with_the_pool_and_orphans_go_to_the_node() {
	ExtBuilder::default().build_and_execute(|| {
		RewardVesting::set(100);
		register_provider(1, vec![0], 1_000);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 1_000));
		let split = Staking::reward(&PAYER, &1, 1_000).unwrap();
		assert_eq!((split.to_node, split.to_delegators), (500, 500));
		assert_eq!(PoolVesting::<Test>::get(1), Some((500, 1, 101)));
		let out = Staking::slash(&1, Perbill::from_percent(10), SlashReason::MissedDeadline);
		assert_eq!((out.own, out.delegated), (100, 100 + 50));
		assert_eq!(PoolVesting::<Test>::get(1), Some((450, 1, 101)));
		// Half way through, delegator 2 leaves with its 900 and half of the 450.
		run_to_block(51);
		assert_eq!(Staking::delegation_views(2)[0].value, 900 + 225);
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 10_000));
		assert_eq!(Staking::unbonding_views(2)[0].value, 1_125);
		assert_eq!(PoolVesting::<Test>::get(1), Some((225, 51, 101)));
		// Nobody is left to earn the other half: it goes to the node when the pool goes.
		let (free_1, free_2) = (free(1), free(2));
		run_to_block(51 + UNBONDING);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), free_2 + 1_125);
		assert_eq!(free(1), free_1 + 225);
		assert_eq!(PoolVesting::<Test>::get(1), None);
		assert_eq!(Pools::<Test>::get(1), None);
	});
}
