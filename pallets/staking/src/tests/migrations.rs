//! Storage migrations: state written by the previous layout is translated, nothing is lost,
//! the version is set, and a second run does nothing.
use super::{free, register_provider};
use crate::{
	migrations::v1::{v0, MigrateV0ToV1},
	mock::*,
	traits::NodeRegistry,
	ChunkKind, NextUnbondingEpoch, Pallet, Pool, Pools, Unbonding, UnlockChunk,
};
use frame::{
	deps::frame_support::{storage::unhashed, traits::OnRuntimeUpgrade},
	testing_prelude::*,
};

/// Rewrite the pools and chunk lists in the version 0 layout, as a `spec_version` 1 runtime
/// stored them; `frozen` pools get the unbonding shares that version 0 kept after a slash
/// to zero (the H4 state).
fn write_v0(frozen: &[(AccountId, Balance)]) {
	for (node, p) in Pools::<Test>::iter().collect::<Vec<_>>() {
		let extra = frozen.iter().find(|(n, _)| *n == node).map_or(0, |(_, s)| *s);
		let old = v0::Pool {
			active_stake: p.active_stake,
			active_shares: p.active_shares,
			unbonding_stake: p.unbonding_stake,
			unbonding_shares: p.unbonding_shares + extra,
		};
		unhashed::put(&Pools::<Test>::hashed_key_for(node), &old);
	}
	for (who, chunks) in Unbonding::<Test>::iter().collect::<Vec<_>>() {
		let old: Vec<v0::UnlockChunk<AccountId, Balance, u64>> = chunks
			.into_iter()
			.map(|c| v0::UnlockChunk {
				kind: match c.kind {
					ChunkKind::Bond => v0::ChunkKind::Bond,
					ChunkKind::Delegation { node, .. } => v0::ChunkKind::Delegation(node),
				},
				value: c.value,
				unlock_at: c.unlock_at,
			})
			.collect();
		unhashed::put(&Unbonding::<Test>::hashed_key_for(who), &old);
	}
	NextUnbondingEpoch::<Test>::kill();
	StorageVersion::new(0).put::<Pallet<Test>>();
}

#[test]
fn v0_to_v1_keeps_every_pool_and_chunk_and_sets_the_version() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		register_provider(5, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 1, 50));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 5, 40));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 30));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 5, 15));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 20));
		Staking::slash(&1, Perbill::from_percent(10), crate::SlashReason::Governance);
		let pools: Vec<(AccountId, Pool<Balance>)> = Pools::<Test>::iter().collect();
		let views = (Staking::unbonding_views(1), Staking::unbonding_views(2));
		write_v0(&[]);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 0);

		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		// Two pools and two accounts' chunk lists read and written, the counter, and the
		// storage version (read and written by `VersionedMigration`), with their proof.
		assert_eq!(
			weight.ref_time(),
			<Test as frame_system::Config>::DbWeight::get().reads_writes(6, 6).ref_time()
		);
		assert!(weight.proof_size() > 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		// Stake and shares unchanged; every pool and chunk in epoch 0; the counter above it.
		for (node, p) in pools {
			assert_eq!(Pools::<Test>::get(node), Some(Pool { unbonding_epoch: 0, ..p }));
		}
		assert_eq!(NextUnbondingEpoch::<Test>::get(), 1);
		assert_eq!(Unbonding::<Test>::get(2).len(), 2);
		assert!(Unbonding::<Test>::get(2)
			.iter()
			.all(|c| matches!(c.kind, ChunkKind::Delegation { epoch: 0, .. })));
		assert_eq!(
			Unbonding::<Test>::get(1).to_vec(),
			vec![UnlockChunk { kind: ChunkKind::Bond, value: 18, unlock_at: 1 + UNBONDING }]
		);
		// Every chunk is worth what it was worth before.
		assert_eq!((Staking::unbonding_views(1), Staking::unbonding_views(2)), views);
		// A second run is a no-op.
		let state = (Pools::<Test>::iter().collect::<Vec<_>>(), Unbonding::<Test>::get(2));
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!((Pools::<Test>::iter().collect::<Vec<_>>(), Unbonding::<Test>::get(2)), state);
		// And the money comes out: 27 of 30 (10 % slashed) and 15.
		run_to_block(1 + UNBONDING);
		let before = free(2);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		assert_eq!(free(2), before + 27 + 15);
	});
}

#[test]
fn v0_to_v1_unfreezes_a_pool_left_in_the_h4_state() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 1, 100));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 1, 50));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(3), 1, 1));
		Staking::slash(&1, Perbill::from_percent(1), crate::SlashReason::Governance);
		// Version 0 kept the attacker's unbonding share with no stake behind it.
		write_v0(&[(1, 1)]);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!((pool.unbonding_stake, pool.unbonding_shares), (0, 0));
		assert_eq!(pool.unbonding_epoch, 1, "a fresh epoch: the stranded share is worth 0");
		assert_eq!(NextUnbondingEpoch::<Test>::get(), 2);
		assert_eq!(Staking::unbonding_views(3)[0].value, 0);
		// The other delegator can leave.
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(2), 1, 1_000));
	});
}

/// Rewrite every domain membership in the version 1 layout (`DomainNodes` values `()`, no
/// `DomainNodeAt` list), as runtimes before issue 16's samples stored them.
fn write_v1() {
	for (d, who) in crate::DomainNodes::<Test>::iter_keys().collect::<Vec<_>>() {
		unhashed::put(&crate::DomainNodes::<Test>::hashed_key_for(d, who), &());
	}
	let _ = crate::DomainNodeAt::<Test>::clear(u32::MAX, None);
	StorageVersion::new(1).put::<Pallet<Test>>();
}

#[test]
fn v1_to_v2_lists_every_domain_member_once_and_sets_the_version() {
	use crate::{migrations::v2::MigrateV1ToV2, DomainNodeAt, DomainNodeCount, DomainNodes};
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0, 1], 150);
		register_provider(2, vec![0], 150);
		register_provider(3, vec![1, 0], 150);
		register_provider(4, vec![1], 150);
		let members: Vec<(u32, AccountId)> = DomainNodes::<Test>::iter_keys().collect();
		write_v1();
		assert_eq!(DomainNodeAt::<Test>::iter().count(), 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);

		let weight = MigrateV1ToV2::<Test>::on_runtime_upgrade();
		// Six memberships read and written twice, two counters, and the storage version.
		assert_eq!(
			weight.ref_time(),
			<Test as frame_system::Config>::DbWeight::get().reads_writes(7, 15).ref_time()
		);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		// Each domain's list holds its members at places 0..count, in hash order.
		for d in [0u32, 1] {
			let order: Vec<AccountId> = DomainNodes::<Test>::iter_key_prefix(d).collect();
			assert_eq!(DomainNodeCount::<Test>::get(d), 3);
			for (place, who) in order.iter().enumerate() {
				assert_eq!(DomainNodes::<Test>::get(d, who), Some(place as u32));
				assert_eq!(DomainNodeAt::<Test>::get(d, place as u32), Some(*who));
			}
		}
		let mut now: Vec<(u32, AccountId)> = DomainNodes::<Test>::iter_keys().collect();
		let mut before = members;
		now.sort();
		before.sort();
		assert_eq!(now, before);
		// The whole domain is sampled; a second run is a no-op.
		let mut all = <Staking as NodeRegistry<_, _, _>>::sample_domain(0, 10, [7; 16]);
		all.sort();
		assert_eq!(all, vec![1, 2, 3]);
		let state: Vec<(u32, u32, AccountId)> = DomainNodeAt::<Test>::iter().collect();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(DomainNodeAt::<Test>::iter().collect::<Vec<_>>(), state);
		// Leaving and joining keep the lists dense (checked by `try_state` at the end).
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(1)));
		register_provider(5, vec![0], 150);
	});
}
