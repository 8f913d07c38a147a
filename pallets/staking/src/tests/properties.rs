//! Property tests of the money math (proptest, thousands of cases).

use crate::{mock::*, traits::NodeRegistry, Delegations, Pools, SlashReason};
use frame::{prelude::*, testing_prelude::*};
use proptest::prelude::*;

proptest! {
	#![proptest_config(ProptestConfig::with_cases(5_000))]

	/// The split never pays more than the reward, loses at most four units to rounding, and
	/// gives delegators no more than their stake share.
	#[test]
	fn reward_split_never_exceeds_the_reward(
		amount in 0u128..=u64::MAX as u128,
		own in 1u128..=u64::MAX as u128,
		delegated in 0u128..=u64::MAX as u128,
		commission in 0u32..=1_000_000_000,
	) {
		let c = Perbill::from_parts(commission);
		let split = Staking::split_reward(amount, own, delegated, c);
		let paid = split.to_node + split.to_delegators;
		prop_assert!(paid <= amount);
		// Five floors (commission share, two stake shares, two (1 - sigma) products) each
		// lose less than one unit.
		prop_assert!(amount - paid <= 4, "dust {} too large", amount - paid);
		let fair = amount * delegated / (own + delegated).max(1);
		prop_assert!(split.to_delegators <= fair + 1);
		if c == Perbill::one() {
			prop_assert_eq!(split.to_delegators, 0);
		}
	}

	/// A slash takes at most the fraction (rounded up per item) and never more than is there.
	#[test]
	fn slash_never_exceeds_stake(
		bond in 100u128..5_000,
		chunk in 0u128..100,
		delegated in 0u128..3_000,
		undelegated in 0u128..100,
		fraction in 0u32..=1_000_000_000,
	) {
		ExtBuilder::default().build_and_execute(|| {
			super::register_provider(1, vec![0], bond);
			if chunk > 0 && bond - chunk >= MIN_PROVIDER_BOND {
				assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), chunk));
			}
			if delegated >= MIN_DELEGATION {
				assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, delegated));
				if undelegated > 0 {
					assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, undelegated));
				}
			}
			let pool_before = Pools::<Test>::get(1).map(|p| p.active_stake + p.unbonding_stake).unwrap_or(0);
			let f = Perbill::from_parts(fraction);
			let out = Staking::slash(&1, f, SlashReason::Governance);
			assert!(out.own <= bond);
			assert!(out.delegated <= pool_before);
			assert!(out.own <= f.mul_ceil(bond) + 1);
			assert!(out.delegated <= f.mul_ceil(pool_before) + 1);
		});
	}
}

#[derive(Clone, Debug)]
enum Op {
	Delegate(u64, u128),
	Undelegate(u64, u128),
	Reward(u128),
	Slash(u32),
	Claim(u64),
	Compound(u64),
	Withdraw(u64),
	Advance,
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(2u64..=5, 1u128..2_000).prop_map(|(w, a)| Op::Delegate(w, a)),
		(2u64..=5, 1u128..2_000).prop_map(|(w, a)| Op::Undelegate(w, a)),
		(0u128..5_000).prop_map(Op::Reward),
		(0u32..300_000_000).prop_map(Op::Slash),
		(2u64..=5).prop_map(Op::Claim),
		(2u64..=5).prop_map(Op::Compound),
		(2u64..=5).prop_map(Op::Withdraw),
		Just(Op::Advance),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(1_000))]

	/// Random sequences of delegations, rewards, slashes, claims and withdrawals: the
	/// invariants hold after every step, delegators' positions never add up to more than
	/// the pool, and tokens are only ever removed by slashes (never created).
	#[test]
	fn share_pools_conserve_value_and_never_mint(ops in prop::collection::vec(op(), 1..40)) {
		ExtBuilder::default().build_and_execute(|| {
			super::register_provider(1, vec![0], 500);
			assert_ok!(Staking::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(10)));
			let issuance = Balances::total_issuance();
			let mut block = 1;
			for op in ops {
				let _ = match op {
					Op::Delegate(w, a) => Staking::delegate(RuntimeOrigin::signed(w), 1, a),
					Op::Undelegate(w, a) => Staking::undelegate(RuntimeOrigin::signed(w), 1, a),
					Op::Reward(a) => Staking::reward(&PAYER, &1, a).map(|_| ()),
					Op::Slash(p) => {
						Staking::slash(&1, Perbill::from_parts(p), SlashReason::Governance);
						Ok(())
					},
					Op::Claim(w) => Staking::claim_rewards(RuntimeOrigin::signed(w), 1),
					Op::Compound(w) => Staking::compound(RuntimeOrigin::signed(w), 1),
					Op::Withdraw(w) => Staking::withdraw_unbonded(RuntimeOrigin::signed(w)),
					Op::Advance => {
						block += UNBONDING / 2;
						run_to_block(block);
						Ok(())
					},
				};
				Staking::do_try_state().expect("invariants hold after every step");
				let slashed = SLASHED.with(|s| *s.borrow());
				assert_eq!(Balances::total_issuance() + slashed, issuance, "tokens created or lost");
				if let Some(pool) = Pools::<Test>::get(1) {
					let sum: u128 = (2..=5)
						.filter_map(|w| Delegations::<Test>::get(w, 1))
						.map(|d| Staking::active_value(&pool, d.shares))
						.sum();
					assert!(sum <= pool.active_stake, "positions {sum} > pool {}", pool.active_stake);
					assert!(pool.active_stake - sum <= 4, "value lost to rounding: {}", pool.active_stake - sum);
				}
			}
		});
	}
}
