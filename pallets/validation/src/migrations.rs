//! Storage migrations of the validation pallet.
//!
//! | version | layout change | migration |
//! |---|---|---|
//! | 0 | the layout of runtime `spec_version` 3 and before | |
//! | 1 | challenges: each vote's side and stake (`Vote`), the electorate (AUDIT C1, H1) | [`v1::MigrateV0ToV1`] |
//! | 2 | submissions: the deposit held; commits: the report bond held; a submission is a live assignment of its node until the task closes (AUDIT M1, M9) | [`v2::MigrateV1ToV2`] |
//! | 3 | `OpenTasks` counted (`CounterForOpenTasks`): at most the schedule's capacity of tasks open (issue 18) | [`v3::MigrateV2ToV3`] |
//! | 4 | challenges: a vote may be sealed (`Vote::sealed`, commit-reveal votes, AUDIT H1); calibration entries: the calibrant deposit held (AUDIT H3) | [`v4::MigrateV3ToV4`] |
//!
//! Each migration is a [`VersionedMigration`]: it runs only when the on-chain version is its
//! `FROM` and sets the on-chain version to its `TO`. The translation reads and writes every
//! open challenge (at most `MaxSubmissions` per open task) in one block.

use frame::deps::frame_support::migrations::VersionedMigration;

/// Version 0 to 1: challenge votes with side and stake, and the electorate.
pub mod v1 {
	use super::*;
	use crate::pallet::*;
	#[cfg(feature = "try-runtime")]
	use crate::types::{SubmissionIndex, TaskId};
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
			use frame::deps::frame_support::storage::unhashed;
			// Written in the layout of versions 1 to 3 (`v4::v3`), which version 4's
			// migration translates next: not in today's types.
			let mut count: u64 = 0;
			let keys: Vec<_> = Challenges::<T>::iter_keys().collect();
			for (id, i) in keys {
				let key = Challenges::<T>::hashed_key_for(id, i);
				count.saturating_inc();
				let Some(old) = unhashed::get::<v0::ChallengeOf<T>>(&key) else {
					unhashed::kill(&key);
					continue;
				};
				let voters: Vec<crate::migrations::v4::v3::Vote<T::AccountId, BalanceOf<T>>> = old
					.voters
					.into_iter()
					.map(|voter| crate::migrations::v4::v3::Vote {
						voter,
						uphold: false,
						stake: Zero::zero(),
					})
					.collect();
				let Ok(voters) = voters.try_into() else {
					unhashed::kill(&key);
					continue;
				};
				// Same length and bound as before.
				let new: crate::migrations::v4::v3::ChallengeOf<T> =
					crate::migrations::v4::v3::Challenge {
						challenger: old.challenger,
						bond: old.bond,
						reason: old.reason,
						proof: old.proof,
						uphold: old.uphold,
						reject: old.reject,
						voters,
						electorate: Zero::zero(),
					};
				unhashed::put(&key, &new);
			}
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
			use frame::deps::frame_support::storage::unhashed;
			ensure!(
				Challenges::<T>::iter_keys().count() == tallies.len(),
				"v1: a challenge was lost"
			);
			for (id, i, uphold, reject, voters) in tallies {
				let c = unhashed::get::<crate::migrations::v4::v3::ChallengeOf<T>>(
					&Challenges::<T>::hashed_key_for(id, i),
				)
				.ok_or("v1: a challenge was lost")?;
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

/// Version 1 to 2: submission deposits and report bonds (AUDIT M9), submissions as live
/// assignments (AUDIT M1).
pub mod v2 {
	use super::*;
	use crate::{pallet::*, types::*};
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, hashing::H256, prelude::*,
		runtime::prelude::Weight,
	};
	use llmnet_primitives::NodeRegistry;

	/// The layout before version 2.
	pub mod v1 {
		use super::*;

		/// `Submission` before version 2: no deposit.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		#[scale_info(skip_type_params(MaxUriLen))]
		pub struct Submission<AccountId, Balance, MaxUriLen: Get<u32>> {
			/// The training node.
			pub node: AccountId,
			/// Hash of the artifact.
			pub artifact: H256,
			/// Where to fetch it.
			pub uri: BoundedVec<u8, MaxUriLen>,
			/// The latest aggregate score.
			pub score: Option<Perbill>,
			/// The final round's aggregate score.
			pub final_score: Option<Perbill>,
			/// Paid so far.
			pub earned: Balance,
			/// Vested final reward.
			pub vested: Balance,
		}

		/// A task's submissions as version 1 stored them.
		pub type SubmissionsOf<T> = BoundedVec<
			Submission<
				<T as frame_system::Config>::AccountId,
				BalanceOf<T>,
				<T as Config>::MaxUriLen,
			>,
			<T as Config>::MaxSubmissions,
		>;
	}

	/// Submissions and commits made before the upgrade hold nothing: their deposit and bond are
	/// zero (nothing to release or burn). Every submitter of a task still open becomes a live
	/// assignment of its node, which the task's close ends, as for submissions made after.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut tasks, mut opened, mut commits): (u64, u64, u64) = (0, 0, 0);
			Submissions::<T>::translate::<v1::SubmissionsOf<T>, _>(|id, old| {
				tasks.saturating_inc();
				let open = Tasks::<T>::get(id).is_some_and(|t| t.phase != TaskPhase::Closed);
				let subs: Vec<SubmissionOf<T>> = old
					.into_iter()
					.map(|s| {
						if open {
							opened.saturating_inc();
							if let Err(e) = T::Registry::assignment_opened(&s.node) {
								log::error!(
									target: crate::LOG_TARGET,
									"v2: task {id}: no assignment for {:?}: {e:?}",
									s.node
								);
							}
						}
						Submission {
							node: s.node,
							artifact: s.artifact,
							uri: s.uri,
							score: s.score,
							final_score: s.final_score,
							earned: s.earned,
							vested: s.vested,
							deposit: Zero::zero(),
						}
					})
					.collect();
				// Same length and bound as before.
				subs.try_into().ok()
			});
			Commits::<T>::translate::<(RoundIndex, H256), _>(|_, _, (round, commitment)| {
				commits.saturating_inc();
				Some((round, commitment, Zero::zero()))
			});
			// Per task: its record (read), its submissions at their largest (read and write);
			// per submitter of an open task: its node record (read and write); per commit: one
			// read and write of at most 130 bytes.
			let per_task = 64u64
				.saturating_add(v1::SubmissionsOf::<T>::max_encoded_len() as u64)
				.saturating_add(TaskOf::<T>::max_encoded_len() as u64);
			T::DbWeight::get()
				.reads_writes(
					tasks.saturating_mul(2).saturating_add(opened).saturating_add(commits),
					tasks.saturating_add(opened).saturating_add(commits),
				)
				.saturating_add(Weight::from_parts(
					0,
					per_task
						.saturating_mul(tasks)
						.saturating_add(opened.saturating_mul(512))
						.saturating_add(commits.saturating_mul(130)),
				))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			let counts: Vec<(TaskId, u32)> = Submissions::<T>::iter_keys()
				.map(|id| (id, Submissions::<T>::decode_len(id).unwrap_or(0) as u32))
				.collect();
			Ok(counts.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let counts: Vec<(TaskId, u32)> =
				Decode::decode(&mut &state[..]).map_err(|_| "v2: pre_upgrade state")?;
			for (id, n) in counts {
				let subs = Submissions::<T>::get(id);
				ensure!(subs.len() as u32 == n, "v2: a submission was lost");
				ensure!(subs.iter().all(|s| s.deposit.is_zero()), "v2: a deposit appeared");
			}
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

/// Version 2 to 3: the open-task index counted, and a deadline slot for every open task.
pub mod v3 {
	use super::*;
	use crate::pallet::*;
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, prelude::*,
		runtime::prelude::Weight, traits::One,
	};

	/// Counts the open-task index into its new counter. An open task whose deadline is not in
	/// the schedule (set when every slot in reach was full) gets the first slot with room from
	/// the next block on, so the chain moves it on again.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let open = OpenTasks::<T>::initialize_counter();
			let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
			let lost: Vec<_> = OpenTasks::<T>::iter_keys()
				.filter_map(|id| Tasks::<T>::get(id).map(|t| (id, t)))
				.filter(|(id, t)| !Schedule::<T>::get(t.deadline).contains(id))
				.collect();
			let healed = lost.len() as u64;
			for (id, mut t) in lost {
				if let Ok(at) = Pallet::<T>::schedule(id, next) {
					t.deadline = at;
					Tasks::<T>::insert(id, t);
				}
			}
			let probes = u64::from(llmnet_primitives::schedule::SCHEDULE_REACH);
			let read = u64::from(open).saturating_mul(4);
			T::DbWeight::get().reads_writes(read, healed.saturating_mul(probes).saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			Ok((OpenTasks::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let open = u32::decode(&mut &state[..]).map_err(|_| "v3: pre_upgrade state")?;
			ensure!(OpenTasks::<T>::count() == open, "v3: open tasks miscounted");
			Ok(())
		}
	}

	/// The migration from version 2 to 3, for the runtime's `Migrations`.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 3 to 4: challenge votes may be sealed (commit-reveal votes, AUDIT H1).
pub mod v4 {
	use super::*;
	use crate::{pallet::*, types::*};
	use alloc::vec::Vec;
	use frame::{
		deps::frame_support::traits::UncheckedOnRuntimeUpgrade, hashing::H256, prelude::*,
		runtime::prelude::Weight,
	};

	/// The layout of versions 1 to 3.
	pub mod v3 {
		use super::*;

		/// A vote before version 4: always revealed.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		pub struct Vote<AccountId, Balance> {
			/// The validator.
			pub voter: AccountId,
			/// Whether it voted to uphold.
			pub uphold: bool,
			/// Its stake when it voted.
			pub stake: Balance,
		}

		/// `Challenge` of versions 1 to 3.
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
			/// The votes.
			pub voters: BoundedVec<Vote<AccountId, Balance>, MaxVoters>,
			/// The domain's validator stake when the challenge was made.
			pub electorate: Balance,
		}

		/// A calibration entry before version 4: no deposit.
		#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
		#[scale_info(skip_type_params(MaxQuestions, MaxAnswerLen))]
		pub struct CalibrationEntry<MaxQuestions: Get<u32>, MaxAnswerLen: Get<u32>> {
			/// The commitment.
			pub commitment: H256,
			/// The revealed answers.
			pub answers: Option<BoundedVec<BoundedVec<u8, MaxAnswerLen>, MaxQuestions>>,
		}

		/// A calibration entry as versions 0 to 3 stored it.
		pub type CalibrationEntryOf<T> =
			CalibrationEntry<<T as Config>::MaxQuestions, <T as Config>::MaxCalibrationAnswerLen>;

		/// A challenge as versions 1 to 3 stored it.
		pub type ChallengeOf<T> = Challenge<
			<T as frame_system::Config>::AccountId,
			BalanceOf<T>,
			<T as Config>::MaxUriLen,
			<T as Config>::MaxReasonLen,
			<T as Config>::MaxVoters,
		>;
	}

	/// Every vote cast before version 4 is revealed (`sealed: None`); tallies unchanged.
	/// Calibration entries made before version 4 hold no deposit (`deposit: 0`).
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count: u64 = 0;
			Challenges::<T>::translate::<v3::ChallengeOf<T>, _>(|_, _, old| {
				count.saturating_inc();
				let voters: Vec<Vote<T::AccountId, BalanceOf<T>>> = old
					.voters
					.into_iter()
					.map(|v| Vote {
						voter: v.voter,
						uphold: v.uphold,
						stake: v.stake,
						sealed: None,
					})
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
					electorate: old.electorate,
				})
			});
			let mut entries: u64 = 0;
			CalibrationEntries::<T>::translate::<v3::CalibrationEntryOf<T>, _>(|_, _, old| {
				entries.saturating_inc();
				Some(CalibrationEntry {
					commitment: old.commitment,
					answers: old.answers,
					deposit: Zero::zero(),
				})
			});
			// Proof: each record at its largest, with its key (32-byte prefix, two hashes
			// and the ids; an account id of up to 32 bytes).
			let per = 54u64.saturating_add(v3::ChallengeOf::<T>::max_encoded_len() as u64);
			let per_entry =
				86u64.saturating_add(v3::CalibrationEntryOf::<T>::max_encoded_len() as u64);
			T::DbWeight::get()
				.reads_writes(count.saturating_add(entries), count.saturating_add(entries))
				.saturating_add(Weight::from_parts(0, per.saturating_mul(count)))
				.saturating_add(Weight::from_parts(0, per_entry.saturating_mul(entries)))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
			use frame::deps::frame_support::storage::unhashed;
			let tallies: Tallies<T> = Challenges::<T>::iter_keys()
				.filter_map(|(id, i)| {
					unhashed::get::<v3::ChallengeOf<T>>(&Challenges::<T>::hashed_key_for(id, i))
						.map(|c| (id, i, c.uphold, c.reject, c.voters.len() as u32))
				})
				.collect();
			let entries = CalibrationEntries::<T>::iter_keys().count() as u32;
			Ok((tallies, entries).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			let (tallies, entries): (Tallies<T>, u32) =
				Decode::decode(&mut &state[..]).map_err(|_| "v4: pre_upgrade state")?;
			ensure!(
				CalibrationEntries::<T>::iter().count() == entries as usize,
				"v4: a calibration entry was lost"
			);
			ensure!(Challenges::<T>::iter().count() == tallies.len(), "v4: a challenge was lost");
			for (id, i, uphold, reject, voters) in tallies {
				let c = Challenges::<T>::get(id, i).ok_or("v4: a challenge was lost")?;
				ensure!(
					(c.uphold, c.reject, c.voters.len() as u32) == (uphold, reject, voters),
					"v4: a tally changed"
				);
				ensure!(c.voters.iter().all(|v| v.sealed.is_none()), "v4: a sealed vote");
			}
			Ok(())
		}
	}

	/// Every challenge's uphold and reject tallies and number of voters before the migration.
	#[cfg(feature = "try-runtime")]
	type Tallies<T> = Vec<(TaskId, SubmissionIndex, BalanceOf<T>, BalanceOf<T>, u32)>;

	/// The migration from version 3 to 4, for the runtime's `Migrations`.
	pub type MigrateV3ToV4<T> = VersionedMigration<
		3,
		4,
		InnerMigrateV3ToV4<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
