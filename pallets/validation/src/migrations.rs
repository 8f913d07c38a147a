//! Storage migrations of the validation pallet.
//!
//! | version | layout change | migration |
//! |---|---|---|
//! | 0 | the layout of runtime `spec_version` 3 and before | |
//! | 1 | challenges: each vote's side and stake (`Vote`), the electorate (AUDIT C1, H1) | [`v1::MigrateV0ToV1`] |
//!
//! Each migration is a [`VersionedMigration`]: it runs only when the on-chain version is its
//! `FROM` and sets the on-chain version to its `TO`. The translation reads and writes every
//! open challenge (at most `MaxSubmissions` per open task) in one block.

use frame::deps::frame_support::migrations::VersionedMigration;

/// Version 0 to 1: challenge votes with side and stake, and the electorate.
pub mod v1 {
	use super::*;
	use crate::{pallet::*, types::*};
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, hashing::H256, prelude::*,
		runtime::prelude::Weight,
	};

	/// The layout before version 1.
	pub mod v0 {
		use super::*;

		/// `Challenge` before version 1: voters without side or stake, no electorate.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		#[scale_info(skip_type_params(MaxUriLen, MaxReasonLen, MaxVoters))]
		pub struct Challenge<
			AccountId,
			Balance,
			MaxUriLen: Get<u32>,
			MaxReasonLen: Get<u32>,
			MaxVoters: Get<u32>,
		> {
			/// Who challenged.
			pub challenger: AccountId,
			/// The bond.
			pub bond: Balance,
			/// Why.
			pub reason: BoundedVec<u8, MaxReasonLen>,
			/// The node's proof.
			pub proof: Option<(H256, BoundedVec<u8, MaxUriLen>)>,
			/// Stake voting to uphold.
			pub uphold: Balance,
			/// Stake voting to reject.
			pub reject: Balance,
			/// Who voted.
			pub voters: BoundedVec<AccountId, MaxVoters>,
		}

		/// A challenge as version 0 stored it.
		pub type ChallengeOf<T> = Challenge<
			<T as frame_system::Config>::AccountId,
			BalanceOf<T>,
			<T as Config>::MaxUriLen,
			<T as Config>::MaxReasonLen,
			<T as Config>::MaxVoters,
		>;
	}

	/// Challenges of version 0 keep their tallies as cast: each voter becomes a vote of stake
	/// zero (nothing to take back at the close) and the electorate is zero (no quorum), so a
	/// challenge open at the upgrade ends by the rule it was made under.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count: u64 = 0;
			Challenges::<T>::translate::<v0::ChallengeOf<T>, _>(|_, _, old| {
				count.saturating_inc();
				let voters: Vec<Vote<T::AccountId, BalanceOf<T>>> = old
					.voters
					.into_iter()
					.map(|voter| Vote { voter, uphold: false, stake: Zero::zero() })
					.collect();
				Some(Challenge {
					challenger: old.challenger,
					bond: old.bond,
					reason: old.reason,
					proof: old.proof,
					uphold: old.uphold,
					reject: old.reject,
					// Same length and bound as before.
					voters: voters.try_into().ok()?,
					electorate: Zero::zero(),
				})
			});
			// Proof: each challenge at its largest, with its key (32-byte prefix, two
			// 8-byte hashes and the ids).
			let per = 54u64.saturating_add(v0::ChallengeOf::<T>::max_encoded_len() as u64);
			T::DbWeight::get()
				.reads_writes(count, count)
				.saturating_add(Weight::from_parts(0, per.saturating_mul(count)))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			let tallies: Tallies<T> = v0_challenges::<T>()
				.map(|(id, i, c)| (id, i, c.uphold, c.reject, c.voters.len() as u32))
				.collect();
			Ok(tallies.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let tallies: Tallies<T> =
				Decode::decode(&mut &state[..]).map_err(|_| "v1: pre_upgrade state")?;
			ensure!(Challenges::<T>::iter().count() == tallies.len(), "v1: a challenge was lost");
			for (id, i, uphold, reject, voters) in tallies {
				let c = Challenges::<T>::get(id, i).ok_or("v1: a challenge was lost")?;
				ensure!(
					(c.uphold, c.reject, c.voters.len() as u32) == (uphold, reject, voters),
					"v1: a tally changed"
				);
			}
			Ok(())
		}
	}

	/// Every challenge's uphold and reject tallies and number of voters before the migration.
	#[cfg(feature = "try-runtime")]
	type Tallies<T> = Vec<(TaskId, SubmissionIndex, BalanceOf<T>, BalanceOf<T>, u32)>;

	/// Challenges as version 0 stored them (for the try-runtime checks).
	#[cfg(feature = "try-runtime")]
	fn v0_challenges<T: Config>(
	) -> impl Iterator<Item = (TaskId, SubmissionIndex, v0::ChallengeOf<T>)> {
		use frame::deps::frame_support::storage::unhashed;
		Challenges::<T>::iter_keys().filter_map(|(id, i)| {
			unhashed::get::<v0::ChallengeOf<T>>(&Challenges::<T>::hashed_key_for(id, i))
				.map(|c| (id, i, c))
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
