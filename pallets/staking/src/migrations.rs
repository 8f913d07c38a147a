//! Storage migrations of the staking pallet.
//!
//! | version | layout change | migration |
//! |---|---|---|
//! | 0 | the layout of runtime `spec_version` 1 (no `StorageVersion` declared) | |
//! | 1 | unbonding epochs: `Pool::unbonding_epoch`, `ChunkKind::Delegation { node, epoch }`, `NextUnbondingEpoch` (AUDIT H4) | [`v1::MigrateV0ToV1`] |
//! | 2 | each domain's nodes as a dense list: `DomainNodes` values are places in `DomainNodeAt` (issue 16) | [`v2::MigrateV1ToV2`] |
//!
//! Each migration is a [`VersionedMigration`]: it runs only when the on-chain version is its
//! `FROM`, and sets the on-chain version to its `TO`, so listing it in the runtime's
//! `Migrations` is safe across any number of upgrades. The translation is a single-block one:
//! it reads and writes every pool (at most one per registered node) and every account with
//! unbonding chunks, which is small on a testnet; its weight is returned to the executive.

use frame::deps::frame_support::migrations::VersionedMigration;

/// Version 0 to 1: unbonding epochs.
pub mod v1 {
	use super::*;
	use crate::{pallet::*, types::*};
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, prelude::*,
		runtime::prelude::Weight,
	};

	/// The layout before version 1.
	pub mod v0 {
		use super::*;

		/// `Pool` before unbonding epochs.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct Pool<Balance> {
			/// Value of the active shares.
			pub active_stake: Balance,
			/// Active shares of all delegators.
			pub active_shares: Balance,
			/// Value of the unbonding shares.
			pub unbonding_stake: Balance,
			/// Unbonding shares held by undelegation chunks.
			pub unbonding_shares: Balance,
		}

		/// `ChunkKind` before unbonding epochs.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub enum ChunkKind<AccountId> {
			/// Own bond.
			Bond,
			/// Undelegated from the pool of this node.
			Delegation(AccountId),
		}

		/// `UnlockChunk` before unbonding epochs.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct UnlockChunk<AccountId, Balance, BlockNumber> {
			/// Own bond or delegation.
			pub kind: ChunkKind<AccountId>,
			/// A balance or unbonding shares.
			pub value: Balance,
			/// First block at which it can be withdrawn.
			pub unlock_at: BlockNumber,
		}

		/// An account's chunk list before version 1.
		pub type ChunksOf<T> = BoundedVec<
			UnlockChunk<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
			<T as Config>::MaxUnlockChunks,
		>;
	}

	/// Pools of version 0 get epoch 0, and undelegation chunks the epoch of their pool; the
	/// counter starts above every epoch in use. A pool already in the H4 state (unbonding
	/// shares without stake, which version 0 allowed) gets a new epoch of its own, which
	/// makes the stranded shares worthless and unfreezes the pool.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads: u64 = 1;
			let mut writes: u64 = 1;
			let mut next: u32 = 1;
			// Proof size: each entry read, at its largest, with its key (32-byte storage
			// prefix, 16-byte Blake2 hash, the account).
			let key = 48u64.saturating_add(T::AccountId::max_encoded_len() as u64);
			let pool_proof = key.saturating_add(Pool::<BalanceOf<T>>::max_encoded_len() as u64);
			let chunks_proof = key.saturating_add(ChunksOf::<T>::max_encoded_len() as u64);
			let mut proof: u64 = 0;
			Pools::<T>::translate::<v0::Pool<BalanceOf<T>>, _>(|_, old| {
				reads.saturating_inc();
				writes.saturating_inc();
				proof = proof.saturating_add(pool_proof);
				let frozen = old.unbonding_stake.is_zero() && !old.unbonding_shares.is_zero();
				let unbonding_epoch = if frozen {
					let epoch = next;
					next.saturating_inc();
					epoch
				} else {
					0
				};
				Some(Pool {
					active_stake: old.active_stake,
					active_shares: old.active_shares,
					unbonding_stake: old.unbonding_stake,
					unbonding_shares: if frozen { Zero::zero() } else { old.unbonding_shares },
					unbonding_epoch,
				})
			});
			Unbonding::<T>::translate::<v0::ChunksOf<T>, _>(|_, old| {
				reads.saturating_inc();
				writes.saturating_inc();
				proof = proof.saturating_add(chunks_proof);
				let chunks: Vec<UnlockChunkOf<T>> = old
					.into_iter()
					.map(|c| UnlockChunk {
						kind: match c.kind {
							v0::ChunkKind::Bond => ChunkKind::Bond,
							v0::ChunkKind::Delegation(node) => {
								ChunkKind::Delegation { node, epoch: 0 }
							}
						},
						value: c.value,
						unlock_at: c.unlock_at,
					})
					.collect();
				// Same length and bound as before.
				ChunksOf::<T>::try_from(chunks).ok()
			});
			NextUnbondingEpoch::<T>::put(next);
			T::DbWeight::get()
				.reads_writes(reads, writes)
				.saturating_add(Weight::from_parts(0, proof))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			// What must survive: every pool's stake and active shares, every chunk's value.
			let pools: Pools0<T> = v0_pools::<T>()
				.map(|(node, p)| (node, p.active_stake, p.active_shares, p.unbonding_stake))
				.collect();
			let chunks: Chunks0<T> = v0_chunks::<T>()
				.map(|(who, c)| (who, c.len() as u32, total_value(c.iter().map(|c| c.value))))
				.collect();
			log::info!(
				target: crate::LOG_TARGET,
				"v1 pre_upgrade: {} pools, {} accounts with chunks",
				pools.len(),
				chunks.len()
			);
			Ok((pools, chunks).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let (pools, chunks): (Pools0<T>, Chunks0<T>) =
				Decode::decode(&mut &state[..]).map_err(|_| "v1: pre_upgrade state")?;
			ensure!(Pools::<T>::iter().count() == pools.len(), "v1: a pool was lost");
			for (node, active_stake, active_shares, unbonding_stake) in pools {
				let p = Pools::<T>::get(&node).ok_or("v1: a pool was lost")?;
				ensure!(
					(p.active_stake, p.active_shares, p.unbonding_stake)
						== (active_stake, active_shares, unbonding_stake),
					"v1: a pool's stake or shares changed"
				);
				ensure!(p.unbonding_epoch < NextUnbondingEpoch::<T>::get(), "v1: epoch unset");
			}
			ensure!(Unbonding::<T>::iter().count() == chunks.len(), "v1: a chunk list was lost");
			for (who, len, total) in chunks {
				let c = Unbonding::<T>::get(&who);
				ensure!(c.len() as u32 == len, "v1: chunks were lost");
				ensure!(total_value(c.iter().map(|c| c.value)) == total, "v1: value");
			}
			log::info!(target: crate::LOG_TARGET, "v1 post_upgrade: pools and chunks kept");
			Ok(())
		}
	}

	/// Every pool's stake, active shares and unbonding stake before the migration.
	#[cfg(feature = "try-runtime")]
	type Pools0<T> =
		Vec<(<T as frame_system::Config>::AccountId, BalanceOf<T>, BalanceOf<T>, BalanceOf<T>)>;

	/// Every account's number of chunks and their total value before the migration.
	#[cfg(feature = "try-runtime")]
	type Chunks0<T> = Vec<(<T as frame_system::Config>::AccountId, u32, BalanceOf<T>)>;

	/// The sum of chunk values (for the try-runtime checks).
	#[cfg(feature = "try-runtime")]
	fn total_value<B: Zero + Saturating>(values: impl Iterator<Item = B>) -> B {
		values.fold(Zero::zero(), |a, v| a.saturating_add(v))
	}

	/// Pools as version 0 stored them (for the try-runtime checks).
	#[cfg(feature = "try-runtime")]
	fn v0_pools<T: Config>() -> impl Iterator<Item = (T::AccountId, v0::Pool<BalanceOf<T>>)> {
		use frame::deps::frame_support::storage::unhashed;
		Pools::<T>::iter_keys().filter_map(|node| {
			unhashed::get::<v0::Pool<BalanceOf<T>>>(&Pools::<T>::hashed_key_for(&node))
				.map(|p| (node, p))
		})
	}

	/// Chunk lists as version 0 stored them (for the try-runtime checks).
	#[cfg(feature = "try-runtime")]
	fn v0_chunks<T: Config>() -> impl Iterator<Item = (T::AccountId, v0::ChunksOf<T>)> {
		use frame::deps::frame_support::storage::unhashed;
		Unbonding::<T>::iter_keys().filter_map(|who| {
			unhashed::get::<v0::ChunksOf<T>>(&Unbonding::<T>::hashed_key_for(&who))
				.map(|c| (who, c))
		})
	}

	/// The migration from version 0 to 1, for the runtime's `Migrations`.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 1 to 2: each domain's nodes as a dense list (`DomainNodeAt`), for uniform draws
/// over a whole domain.
pub mod v2 {
	use crate::{pallet::*, DomainId};
	use alloc::collections::BTreeMap;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
		prelude::*,
		runtime::prelude::Weight,
	};

	/// Every node of every domain gets the next place of its domain's list, in the order
	/// `DomainNodes` holds them (account-hash order); `DomainNodes` values (`()` before) become
	/// those places and `DomainNodeCount` the list lengths. One block: every entry is read
	/// once and written twice (at most `MaxNodesPerDomain` per domain).
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut next: BTreeMap<DomainId, u32> = BTreeMap::new();
			let mut entries: u64 = 0;
			DomainNodes::<T>::translate::<(), _>(|d, who, ()| {
				entries.saturating_inc();
				let place = next.entry(d).or_default();
				let this = *place;
				*place = place.saturating_add(1);
				DomainNodeAt::<T>::insert(d, this, who);
				Some(this)
			});
			for (d, count) in &next {
				DomainNodeCount::<T>::insert(d, count);
			}
			// Proof: each entry read with its key (8-byte Twox64 and 16-byte Blake2 hashes, the
			// domain id, the account, 32 bytes of prefix).
			let key = 60u64.saturating_add(T::AccountId::max_encoded_len() as u64);
			let domains = next.len() as u64;
			T::DbWeight::get()
				.reads_writes(entries, entries.saturating_mul(2).saturating_add(domains))
				.saturating_add(Weight::from_parts(0, key.saturating_mul(entries)))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			let members: Vec<(DomainId, T::AccountId)> = DomainNodes::<T>::iter_keys().collect();
			log::info!(target: crate::LOG_TARGET, "v2 pre_upgrade: {} domain memberships", members.len());
			Ok(members.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let members: Vec<(DomainId, T::AccountId)> =
				Decode::decode(&mut &state[..]).map_err(|_| "v2: pre_upgrade state")?;
			ensure!(DomainNodes::<T>::iter().count() == members.len(), "v2: a membership was lost");
			for (d, who) in members {
				let place = DomainNodes::<T>::get(d, &who).ok_or("v2: a membership was lost")?;
				ensure!(place < DomainNodeCount::<T>::get(d), "v2: a place past the list");
				ensure!(DomainNodeAt::<T>::get(d, place) == Some(who), "v2: a place holds another");
			}
			ensure!(
				DomainNodeAt::<T>::iter().count() == DomainNodes::<T>::iter().count(),
				"v2: the lists and the memberships differ"
			);
			log::info!(target: crate::LOG_TARGET, "v2 post_upgrade: domain lists dense");
			Ok(())
		}
	}

	/// The migration from version 1 to 2, for the runtime's `Migrations`.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
