//! Attacks from `AUDIT.md` on the staking pallet, each shown succeeding on the code before its
//! fix (the figures in the doc comments) and failing after.

use super::{free, register_provider};
use crate::{mock::*, traits::NodeRegistry, ChunkKind, Nodes, SlashReason, Unbonding};
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
