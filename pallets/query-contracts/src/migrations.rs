//! Storage migrations of the query-contracts pallet.
//!
//! | version | layout change | migration |
//! |---|---|---|
//! | 0 | the layout of runtime `spec_version` 8 and before | |
//! | 1 | `OpenQueries`, the count of open queries the schedule's capacity bounds (issue 18) | [`v1::MigrateV0ToV1`] |
//! | 2 | `OpenCalls` removed: extra judges are drawn, nobody volunteers (issue 16, spec 12) | [`v2::MigrateV1ToV2`] |
//!
//! Each migration is a [`VersionedMigration`]: it runs only when the on-chain version is its
//! `FROM` and sets the on-chain version to its `TO`. It reads every query record once, in one
//! block (a testnet holds few; reaped queries are gone).

use frame::deps::frame_support::migrations::VersionedMigration;

/// Version 0 to 1: the open-query count, and a deadline slot for every open query.
pub mod v1 {
	use super::*;
	use crate::pallet::*;
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, prelude::*,
		runtime::prelude::Weight, traits::One,
	};

	/// Counts the open queries into `OpenQueries`. An open query whose deadline is not in the
	/// schedule (lost by the spec-8 spill-over bug, or entered when every slot in reach was
	/// full) gets the first slot with room from the next block on, so the chain moves it on
	/// again; a query without room stays as it was (anyone may `advance` it).
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
			let (mut read, mut open, mut healed) = (0u64, 0u32, 0u64);
			let lost: Vec<_> = Queries::<T>::iter()
				.inspect(|_| read.saturating_inc())
				.filter(|(_, q)| !q.phase.is_final())
				.inspect(|_| open.saturating_inc())
				.filter(|(id, q)| !Schedule::<T>::get(q.deadline).contains(id))
				.collect();
			for (id, mut q) in lost {
				if let Ok(at) = Pallet::<T>::schedule(id, next) {
					q.deadline = at;
					Queries::<T>::insert(id, q);
					healed.saturating_inc();
				}
			}
			OpenQueries::<T>::put(open);
			let probes = u64::from(llmnet_primitives::schedule::SCHEDULE_REACH);
			T::DbWeight::get()
				.reads_writes(read.saturating_mul(2), healed.saturating_mul(probes))
				.saturating_add(T::DbWeight::get().writes(1))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			let open = Queries::<T>::iter().filter(|(_, q)| !q.phase.is_final()).count() as u32;
			Ok(open.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let open = u32::decode(&mut &state[..]).map_err(|_| "v1: pre_upgrade state")?;
			ensure!(OpenQueries::<T>::get() == open, "v1: open queries miscounted");
			Ok(())
		}
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

/// Version 1 to 2: the volunteers' index `OpenCalls` goes (extra judges are drawn when judging
/// opens and find their work in `Work`). A query judging at the upgrade keeps the volunteers
/// that committed; its other slots stay empty and its phase ends at its deadline.
pub mod v2 {
	use super::*;
	use crate::{pallet::*, types::QueryId};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::{storage_alias, traits::UncheckedOnRuntimeUpgrade, Twox64Concat},
		prelude::*,
		runtime::prelude::Weight,
	};

	/// The removed index: queries open to volunteers, with their domain.
	#[storage_alias]
	pub(crate) type OpenCalls<T: Config> = StorageMap<Pallet<T>, Twox64Concat, QueryId, u32>;

	/// Removes every `OpenCalls` entry (at most one per open query, so at most
	/// `MaxDuePerBlock x SCHEDULE_REACH`).
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let n = OpenCalls::<T>::drain().count() as u64;
			T::DbWeight::get().reads_writes(n.saturating_add(1), n)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			Ok(Vec::new())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			ensure!(OpenCalls::<T>::iter_keys().next().is_none(), "v2: OpenCalls left");
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
