//! # LLM-Net reputation pallet
//!
//! Numeric and text reputation of LLM-Net nodes (PROTOCOL section 3).
//!
//! ## Overview
//!
//! - **Numeric**: per `(account, domain, kind)` with kind [`ReputationKind::Answer`] (quality
//!   of its answers) or [`ReputationKind::Judgement`] (agreement of its judgements with the
//!   consensus), an exponential moving average `R <- alpha * R + (1 - alpha) * x` with `x`
//!   in [0, 1], kept as [`Perbill`]. Newcomers start at [`Config::InitialReputation`]. The
//!   observation count and the block of the last update are kept. Inactivity decays a score
//!   toward the initial value **lazily on read** (each [`Config::DecayPeriod`] keeps
//!   [`Config::DecayKeep`] of the deviation): no per-block loop.
//! - **Text**: peer feedback stays text (LLM-Net section 3.3). Each account keeps a bounded
//!   ring of its latest [`Config::MaxFeedback`] entries `{ from, query, domain, text, block }`;
//!   every entry is also in an event, so the whole history lives in the chain.
//! - **Who writes**: only trusted code, through [`Reputation`] (the query-contracts pallet
//!   records outcomes and feedback of finished queries); self-feedback is rejected.
//!   [`Config::ForceOrigin`] can correct a score or clear abusive feedback.
//!
//! ## Invariants (checked by `try_state`, after every unit test)
//! - Every stored score is in [0, 1] (by type) and has at least one observation or was forced.
//! - No feedback ring is longer than `MaxFeedback` or holds self-feedback or empty text.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{
	arithmetic::Perbill,
	prelude::*,
	traits::{SaturatedConversion, Saturating, Zero},
};
use scale_info::TypeInfo;

pub use llmnet_primitives::{DomainId, QueryId, Reputation, ReputationKind};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::llmnet-reputation";

/// A stored score.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ReputationRecord<BlockNumber> {
	/// The EMA as of `last_update`.
	pub value: Perbill,
	/// Number of observations folded in.
	pub observations: u32,
	/// Block of the last observation (decay runs from here).
	pub last_update: BlockNumber,
}

/// One piece of text feedback.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxLen))]
pub struct FeedbackEntry<AccountId, BlockNumber, MaxLen: Get<u32>> {
	/// Its author (a co-participant of the query).
	pub from: AccountId,
	/// The query it is about.
	pub query: QueryId,
	/// The query's domain.
	pub domain: DomainId,
	/// The feedback (UTF-8 by convention).
	pub text: BoundedVec<u8, MaxLen>,
	/// When it was recorded.
	pub block: BlockNumber,
}

// FRAME's pallet macros expand to `expect` calls (storage and metadata plumbing); our own
// code in this module does not use `expect`, and the logic lives outside it.
#[allow(clippy::expect_used)]
#[frame::pallet]
pub mod pallet {
	use super::*;

	/// A feedback entry of a runtime.
	pub type FeedbackEntryOf<T> = FeedbackEntry<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxFeedbackLen,
	>;
	/// The feedback ring of an account.
	pub type FeedbackRing<T> = BoundedVec<FeedbackEntryOf<T>, <T as Config>::MaxFeedback>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Weight of the old value in the EMA (PROTOCOL default 0.8).
		#[pallet::constant]
		type Alpha: Get<Perbill>;
		/// Score of an account with no observations (default 0.5).
		#[pallet::constant]
		type InitialReputation: Get<Perbill>;
		/// Blocks of inactivity per decay step; 0 disables decay.
		#[pallet::constant]
		type DecayPeriod: Get<BlockNumberFor<Self>>;
		/// Share of the deviation from the initial value kept per decay step.
		#[pallet::constant]
		type DecayKeep: Get<Perbill>;
		/// Feedback entries kept per account (older ones leave the ring; events keep them).
		#[pallet::constant]
		type MaxFeedback: Get<u32>;
		/// Maximum length of one feedback text, in bytes.
		#[pallet::constant]
		type MaxFeedbackLen: Get<u32>;
		/// Origin that may correct scores and clear feedback (governance).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The storage layout version (0: the layout of runtime `spec_version` 1). A layout
	/// change bumps it and adds a `VersionedMigration` (see `pallet_llmnet_staking::migrations`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Scores by domain, kind and account (domain first, so a domain's leaderboard is one
	/// prefix).
	#[pallet::storage]
	pub type Reputations<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, DomainId>,
			NMapKey<Twox64Concat, ReputationKind>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		ReputationRecord<BlockNumberFor<T>>,
	>;

	/// The latest feedback received by each account, oldest first.
	#[pallet::storage]
	pub type Feedback<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, FeedbackRing<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An observation was folded into a score.
		ReputationUpdated {
			/// The account.
			who: T::AccountId,
			/// The domain.
			domain: DomainId,
			/// Answer or Judgement.
			kind: ReputationKind,
			/// The observation `x`.
			observation: Perbill,
			/// The (decayed) score before.
			old: Perbill,
			/// The score now.
			new: Perbill,
			/// Observations so far.
			observations: u32,
		},
		/// Text feedback was recorded.
		FeedbackRecorded {
			/// The author.
			from: T::AccountId,
			/// The account it is about.
			to: T::AccountId,
			/// The query.
			query: QueryId,
			/// The domain.
			domain: DomainId,
			/// The text.
			text: BoundedVec<u8, T::MaxFeedbackLen>,
		},
		/// A score was set by the force origin.
		ReputationForced {
			/// The account.
			who: T::AccountId,
			/// The domain.
			domain: DomainId,
			/// The kind.
			kind: ReputationKind,
			/// The value set.
			value: Perbill,
		},
		/// An account's stored feedback was cleared by the force origin.
		FeedbackCleared {
			/// The account.
			who: T::AccountId,
			/// Entries removed.
			removed: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An account cannot give feedback on itself.
		SelfFeedback,
		/// Feedback text must not be empty.
		EmptyFeedback,
		/// Feedback text is longer than `MaxFeedbackLen` bytes.
		FeedbackTooLong,
		/// The account has no stored feedback.
		NoFeedback,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxFeedback::get() > 0, "MaxFeedback must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set a score directly (governance correction). The observation count is kept.
		///
		/// - Origin: `ForceOrigin`.
		/// - Event: `ReputationForced`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::force_set_reputation())]
		pub fn force_set_reputation(
			origin: OriginFor<T>,
			who: T::AccountId,
			domain: DomainId,
			kind: ReputationKind,
			value: Perbill,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			Reputations::<T>::mutate((domain, kind, &who), |r| {
				let observations = r.map(|r| r.observations).unwrap_or_default();
				*r = Some(ReputationRecord { value, observations, last_update: now });
			});
			Self::deposit_event(Event::ReputationForced { who, domain, kind, value });
			Ok(())
		}

		/// Remove all stored feedback of `who` (it stays in past events).
		///
		/// - Origin: `ForceOrigin`.
		/// - Errors: `NoFeedback`.
		/// - Event: `FeedbackCleared`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::clear_feedback())]
		pub fn clear_feedback(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			let ring = Feedback::<T>::take(&who);
			ensure!(!ring.is_empty(), Error::<T>::NoFeedback);
			Self::deposit_event(Event::FeedbackCleared { who, removed: ring.len() as u32 });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// `record` as seen at block `now`: decayed toward the initial value.
		pub fn decayed(
			record: &ReputationRecord<BlockNumberFor<T>>,
			now: BlockNumberFor<T>,
		) -> Perbill {
			let period = T::DecayPeriod::get();
			if period.is_zero() {
				return record.value;
			}
			let idle = now.saturating_sub(record.last_update);
			let steps: u32 =
				idle.checked_div(&period).unwrap_or_default().saturated_into::<u32>().min(10_000);
			if steps == 0 {
				return record.value;
			}
			let keep = T::DecayKeep::get().saturating_pow(steps as usize);
			let initial = T::InitialReputation::get();
			if record.value >= initial {
				initial.saturating_add(keep.saturating_mul(record.value.saturating_sub(initial)))
			} else {
				initial.saturating_sub(keep.saturating_mul(initial.saturating_sub(record.value)))
			}
		}

		/// `alpha * old + (1 - alpha) * x`, rounded down; always in [0, 1].
		pub fn ema(alpha: Perbill, old: Perbill, x: Perbill) -> Perbill {
			let a = u64::from(alpha.deconstruct());
			let one = u64::from(Perbill::one().deconstruct());
			let v = a
				.saturating_mul(u64::from(old.deconstruct()))
				.saturating_add(one.saturating_sub(a).saturating_mul(u64::from(x.deconstruct())))
				.checked_div(one)
				.unwrap_or_default();
			Perbill::from_parts(v.min(one) as u32)
		}

		/// Storage invariants (see the crate docs).
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			let now = frame_system::Pallet::<T>::block_number();
			for ((_d, _k, _who), r) in Reputations::<T>::iter() {
				ensure!(r.value <= Perbill::one(), "score above 1");
				ensure!(r.last_update <= now, "score updated in the future");
			}
			for (who, ring) in Feedback::<T>::iter() {
				ensure!(!ring.is_empty(), "empty feedback ring stored");
				ensure!(ring.len() as u32 <= T::MaxFeedback::get(), "ring over MaxFeedback");
				for e in ring.iter() {
					ensure!(e.from != who, "self-feedback stored");
					ensure!(!e.text.is_empty(), "empty feedback stored");
				}
				ensure!(
					ring.windows(2).all(|w| matches!(w, [a, b] if a.block <= b.block)),
					"ring out of order"
				);
			}
			Ok(())
		}
	}

	impl<T: Config> Reputation<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
		fn reputation(who: &T::AccountId, domain: DomainId, kind: ReputationKind) -> Perbill {
			let now = frame_system::Pallet::<T>::block_number();
			Reputations::<T>::get((domain, kind, who))
				.map(|r| Self::decayed(&r, now))
				.unwrap_or_else(T::InitialReputation::get)
		}

		fn observations(who: &T::AccountId, domain: DomainId, kind: ReputationKind) -> u32 {
			Reputations::<T>::get((domain, kind, who)).map(|r| r.observations).unwrap_or_default()
		}

		fn record_outcome(
			who: &T::AccountId,
			domain: DomainId,
			kind: ReputationKind,
			x: Perbill,
		) -> Perbill {
			let now = frame_system::Pallet::<T>::block_number();
			let (old, observations) = Reputations::<T>::get((domain, kind, who))
				.map(|r| (Self::decayed(&r, now), r.observations))
				.unwrap_or_else(|| (T::InitialReputation::get(), 0));
			let new = Self::ema(T::Alpha::get(), old, x);
			let observations = observations.saturating_add(1);
			Reputations::<T>::insert(
				(domain, kind, who),
				ReputationRecord { value: new, observations, last_update: now },
			);
			Self::deposit_event(Event::ReputationUpdated {
				who: who.clone(),
				domain,
				kind,
				observation: x,
				old,
				new,
				observations,
			});
			new
		}

		fn recent_feedback(who: &T::AccountId, limit: u32) -> Vec<Vec<u8>> {
			Feedback::<T>::get(who)
				.into_iter()
				.rev()
				.take(limit as usize)
				.map(|e| e.text.into_inner())
				.collect()
		}

		fn record_feedback(
			from: &T::AccountId,
			to: &T::AccountId,
			query: QueryId,
			domain: DomainId,
			text: Vec<u8>,
		) -> DispatchResult {
			ensure!(from != to, Error::<T>::SelfFeedback);
			ensure!(!text.is_empty(), Error::<T>::EmptyFeedback);
			let text: BoundedVec<u8, T::MaxFeedbackLen> =
				text.try_into().map_err(|_| Error::<T>::FeedbackTooLong)?;
			let entry = FeedbackEntry {
				from: from.clone(),
				query,
				domain,
				text: text.clone(),
				block: frame_system::Pallet::<T>::block_number(),
			};
			Feedback::<T>::mutate(to, |ring| {
				// A full ring drops its oldest entry (it stays in the events).
				if ring.is_full() && !ring.is_empty() {
					ring.remove(0);
				}
				let _ =
					ring.try_push(entry).map_err(|_| ()).defensive_proof("a slot was just freed");
			});
			Self::deposit_event(Event::FeedbackRecorded {
				from: from.clone(),
				to: to.clone(),
				query,
				domain,
				text,
			});
			Ok(())
		}
	}
}
