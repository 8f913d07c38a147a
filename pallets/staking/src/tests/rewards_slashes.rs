use super::{free, register_provider};
use crate::{mock::*, traits::NodeRegistry, Error, Event, Nodes, Pools, SlashReason, Unbonding};
use frame::{prelude::*, testing_prelude::*};

#[test]
fn reward_splits_by_commission_and_own_bond_ratio() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 300);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		run_to_block(1 + COMMISSION_DELAY);
		// R = 1000, sigma = 0.2, t = 300, d = 100: node 200 + 0.8 * 750 = 800, delegators 200.
		let before = free(1);
		let split = Staking::reward(&PAYER, &1, 1000).unwrap();
		assert_eq!((split.to_node, split.to_delegators), (800, 200));
		assert_eq!(free(1), before + 800);
		assert_eq!(Pools::<Test>::get(1).unwrap().active_stake, 300);
		System::assert_last_event(
			Event::Rewarded { node: 1, to_node: 800, to_delegators: 200 }.into(),
		);
	});
}

#[test]
fn reward_without_delegators_goes_to_the_node_and_rounding_never_overpays() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 100);
		let split = Staking::reward(&PAYER, &1, 7).unwrap();
		assert_eq!((split.to_node, split.to_delegators), (7, 0));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 200));
		let payer_before = free(PAYER);
		let split = Staking::reward(&PAYER, &1, 10).unwrap();
		// 10 * 100/300 = 3.33 -> 3; 10 * 200/300 = 6.67 -> 6: one unit of dust stays with the payer.
		assert_eq!((split.to_node, split.to_delegators), (3, 6));
		assert_eq!(free(PAYER), payer_before - 9);
	});
}

#[test]
fn cannot_reward_an_unregistered_node_or_with_no_funds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::reward(&PAYER, &1, 10), Error::<Test>::NotRegistered);
		register_provider(1, vec![0], 100);
		assert!(Staking::reward(&9, &1, ENDOWMENT + 1).is_err());
	});
}

/// A reward is one step: when the payer can pay the node's part but not the delegators' part,
/// nothing moves (before the fix the node kept its part while the call reported an error, so the
/// caller counted nothing paid).
#[test]
fn a_reward_that_fails_half_way_moves_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 100);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		// Split 50 / 50; payer 9 holds ENDOWMENT and must keep the existential deposit, so
		// the node's half goes through and the delegators' half cannot.
		let (node_before, payer_before) = (free(1), free(9));
		assert!(Staking::reward(&9, &1, ENDOWMENT).is_err());
		assert_eq!(free(1), node_before, "the node's part was rolled back");
		assert_eq!(free(9), payer_before, "the payer keeps everything");
		assert_eq!(Pools::<Test>::get(1).unwrap().active_stake, 100);
		assert_noop!(
			Staking::reward(&9, &1, ENDOWMENT),
			frame::deps::sp_runtime::TokenError::FundsUnavailable
		);
	});
}

#[test]
fn slash_cuts_own_bond_chunks_and_pool_by_the_same_fraction() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 200);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 100));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 50));
		let out = Staking::slash(&1, Perbill::from_percent(10), SlashReason::MissedDeadline);
		assert_eq!((out.own, out.delegated), (20, 10));
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 90);
		assert_eq!(Unbonding::<Test>::get(1)[0].value, 90);
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.active_stake, pool.unbonding_stake), (45, 45));
		assert_eq!(SLASHED.with(|s| *s.borrow()), 30);
		System::assert_last_event(
			Event::Slashed {
				node: 1,
				reason: SlashReason::MissedDeadline,
				fraction: Perbill::from_percent(10),
				own: 20,
				delegated: 10,
			}
			.into(),
		);
		// The delegator's unbonding chunk now pays 45.
		run_to_block(1 + UNBONDING);
		let before = free(2);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), before + 45);
	});
}

#[test]
fn slash_rounds_up_but_never_exceeds_the_stake() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 101);
		let out = Staking::slash(&1, Perbill::from_percent(1), SlashReason::Governance);
		assert_eq!(out.own, 2, "1 % of 101 rounds up to 2");
		let out = Staking::slash(&1, Perbill::one(), SlashReason::Governance);
		assert_eq!(out.own, 99);
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 0);
		let out = Staking::slash(&5, Perbill::one(), SlashReason::Governance);
		assert_eq!((out.own, out.delegated), (0, 0), "slashing a stranger takes nothing");
	});
}
