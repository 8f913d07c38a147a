//! Runtime API of the reputation pallet (`api.call.llmnetReputationApi.*` in polkadot.js).

use crate::{
	pallet::{Config, Feedback, Reputations},
	DomainId, Pallet, QueryId, ReputationKind,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame::{arithmetic::Perbill, prelude::*};
use scale_info::TypeInfo;

/// A score as seen now (decay applied).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ReputationView<BlockNumber> {
	/// The score now.
	pub value: Perbill,
	/// Observations behind it (0: the initial value).
	pub observations: u32,
	/// Block of the last observation, if any.
	pub last_update: Option<BlockNumber>,
}

/// A feedback entry.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct FeedbackView<AccountId, BlockNumber> {
	/// Author.
	pub from: AccountId,
	/// Query.
	pub query: QueryId,
	/// Domain.
	pub domain: DomainId,
	/// Text.
	pub text: Vec<u8>,
	/// Block.
	pub block: BlockNumber,
}

frame::deps::sp_api::decl_runtime_apis! {
	/// Read access to LLM-Net reputations.
	pub trait LlmnetReputationApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The score of `who` in `domain` for `kind`.
		fn reputation(who: AccountId, domain: DomainId, kind: ReputationKind) -> ReputationView<BlockNumber>;
		/// The latest feedback on `who`, newest first.
		fn recent_feedback(who: AccountId) -> Vec<FeedbackView<AccountId, BlockNumber>>;
		/// Scores of a domain and kind, best first (ties: more observations first), from
		/// `offset`, at most `limit`.
		fn leaderboard(domain: DomainId, kind: ReputationKind, offset: u32, limit: u32) -> Vec<(AccountId, ReputationView<BlockNumber>)>;
	}
}

impl<T: Config> Pallet<T> {
	/// The view of one score.
	pub fn reputation_view(
		who: T::AccountId,
		domain: DomainId,
		kind: ReputationKind,
	) -> ReputationView<BlockNumberFor<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		match Reputations::<T>::get((domain, kind, &who)) {
			Some(r) => ReputationView {
				value: Self::decayed(&r, now),
				observations: r.observations,
				last_update: Some(r.last_update),
			},
			None => ReputationView {
				value: T::InitialReputation::get(),
				observations: 0,
				last_update: None,
			},
		}
	}

	/// Feedback on `who`, newest first.
	pub fn feedback_views(who: T::AccountId) -> Vec<FeedbackView<T::AccountId, BlockNumberFor<T>>> {
		Feedback::<T>::get(&who)
			.into_iter()
			.rev()
			.map(|e| FeedbackView {
				from: e.from,
				query: e.query,
				domain: e.domain,
				text: e.text.into_inner(),
				block: e.block,
			})
			.collect()
	}

	/// A domain's leaderboard for `kind`.
	pub fn leaderboard(
		domain: DomainId,
		kind: ReputationKind,
		offset: u32,
		limit: u32,
	) -> Vec<(T::AccountId, ReputationView<BlockNumberFor<T>>)> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut all: Vec<_> = Reputations::<T>::iter_prefix((domain, kind))
			.map(|(who, r)| {
				(
					who,
					ReputationView {
						value: Self::decayed(&r, now),
						observations: r.observations,
						last_update: Some(r.last_update),
					},
				)
			})
			.collect();
		all.sort_by(|a, b| b.1.value.cmp(&a.1.value).then(b.1.observations.cmp(&a.1.observations)));
		all.into_iter().skip(offset as usize).take(limit as usize).collect()
	}
}
