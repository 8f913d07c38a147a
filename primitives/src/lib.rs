//! # LLM-Net primitives
//!
//! The ids, shared enums and cross-pallet traits of the LLM-Net pallets (see the README). The
//! consumers (query contracts, validation) depend on these traits, not on the pallets that
//! implement them.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod schedule;

use alloc::vec::Vec;

/// The form in which two short answers count as the same: ASCII letters lower-cased,
/// whitespace runs collapsed to one space, leading and trailing whitespace and trailing full
/// stops dropped ("42", " 42.", "42 . " are one answer; "4.2", "4 2" and "42" are three). Query
/// candidates are merged by it, calibration answers and benchmark items graded by it.
pub fn canonical_answer(raw: &[u8]) -> Vec<u8> {
	let mut out: Vec<u8> = Vec::with_capacity(raw.len());
	for word in raw.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
		if !out.is_empty() {
			out.push(b' ');
		}
		out.extend(word.iter().map(|b| b.to_ascii_lowercase()));
	}
	while out.last().is_some_and(|b| *b == b'.' || b.is_ascii_whitespace()) {
		out.pop();
	}
	out
}
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{arithmetic::Perbill, prelude::*};
use scale_info::TypeInfo;

/// Identifier of an LLM domain (`math`, `code`, ...) in the staking registry.
pub type DomainId = u32;
/// Identifier of a query contract.
pub type QueryId = u64;
/// Identifier of a validation task.
pub type TaskId = u32;

/// A protocol role a node can hold (PROTOCOL section 1).
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
pub enum Role {
	/// A respondent.
	Provider,
	/// A coordinator.
	Coordinator,
	/// A quality validator.
	Validator,
}

/// The result of a provider's proof of capability in a domain.
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
pub enum CapabilityStatus<BlockNumber> {
	/// Passed calibration (or granted by the capability origin) at this block.
	Capable {
		/// When.
		since: BlockNumber,
	},
	/// Failed calibration; may retry from `retry_after`.
	Failed {
		/// First block of a new attempt.
		retry_after: BlockNumber,
	},
}

/// Why a node is slashed (recorded in the `Slashed` event).
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
pub enum SlashReason {
	/// Missed a commit or reveal deadline of a query it was selected for.
	MissedDeadline,
	/// A challenge against its work was upheld.
	ChallengeUpheld,
	/// Its challenge was rejected.
	ChallengeRejected,
	/// Decided by governance.
	Governance,
}

/// What a reputation score measures.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ReputationKind {
	/// Quality of the account's answers (its Bradley-Terry score relative to the best).
	Answer,
	/// Agreement of the account's judgements with the consensus.
	Judgement,
}

/// The split of one reward payment.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RewardSplit<Balance> {
	/// Paid to the node's free balance (commission plus its own-bond share).
	pub to_node: Balance,
	/// Added to the node's delegation pool (shared by its delegators).
	pub to_delegators: Balance,
}

/// What a slash took.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SlashOutcome<Balance> {
	/// From the node's own bond and own unbonding chunks.
	pub own: Balance,
	/// From its delegation pool (active and unbonding).
	pub delegated: Balance,
}

/// The staking registry as other pallets see it (implemented by `pallet-llmnet-staking`).
pub trait NodeRegistry<AccountId, Balance, BlockNumber> {
	/// Whether `who` may act as `role` in `domain` now: registered with that role, declaring
	/// the active domain, bonded at least the role's minimum and, for providers, capable in
	/// the domain.
	fn is_eligible(who: &AccountId, role: Role, domain: DomainId) -> bool;

	/// Whether `domain` exists and accepts new queries.
	fn is_active_domain(domain: DomainId) -> bool;

	/// The name of `domain` (empty if unknown).
	fn domain_name(domain: DomainId) -> Vec<u8>;

	/// The model name `who` registered with (empty if not registered).
	fn model_of(who: &AccountId) -> Vec<u8>;

	/// `n` distinct nodes declaring `domain`, every set of `n` equally likely given `seed`
	/// (all of them when the domain has at most `n`), in an order drawn from `seed`: a
	/// uniform sample of the whole domain, which no choice of keys can bias, for selection
	/// pools and committees (the caller filters it with [`Self::is_eligible`]). Costs one
	/// read per node drawn.
	fn sample_domain(domain: DomainId, n: u32, seed: [u8; 16]) -> Vec<AccountId>;

	/// Total active stake behind `who`: own bond plus active delegations (zero if not
	/// registered).
	fn stake_of(who: &AccountId) -> Balance;

	/// Total active stake of the nodes declaring `domain` that are eligible validators there,
	/// reading at most `limit` of the domain's nodes (an electorate for challenge votes).
	fn validator_stake(domain: DomainId, limit: u32) -> Balance;

	/// Pay `amount` from `payer`'s free balance to node `who`, split between the node and
	/// its delegators by its commission and own-bond ratio (PROTOCOL section 2). Rounding
	/// dust stays with the payer. All or nothing: on an error nothing moved. Returns the
	/// split actually paid.
	fn reward(
		payer: &AccountId,
		who: &AccountId,
		amount: Balance,
	) -> Result<RewardSplit<Balance>, DispatchError>;

	/// Slash `fraction` of `who`'s own bond, own unbonding chunks and delegation pool; the
	/// slashed funds go to the `OnSlash` handler.
	fn slash(who: &AccountId, fraction: Perbill, reason: SlashReason) -> SlashOutcome<Balance>;

	/// Whether `who` may take a calibration round in `domain`: a registered provider bonded
	/// at least the provider minimum, declaring the active `domain` (capable or not).
	fn may_calibrate(who: &AccountId, domain: DomainId) -> bool;

	/// The capability status of `who` in `domain` (`None`: never tested).
	fn capability(who: &AccountId, domain: DomainId) -> Option<CapabilityStatus<BlockNumber>>;

	/// Record a capability result of `who` in `domain` (proof of capability).
	fn set_capability(who: &AccountId, domain: DomainId, status: CapabilityStatus<BlockNumber>);

	/// Count one more open assignment of `who` (blocks deregistration).
	fn assignment_opened(who: &AccountId) -> DispatchResult;

	/// Count one assignment of `who` closed.
	fn assignment_closed(who: &AccountId);

	/// How many open assignments of `who` are counted. The query-contracts pallet owns the
	/// count (its `Work` index; its `try_state` checks that the two agree).
	fn live_assignments(who: &AccountId) -> u32;

	/// Whether one of `a` and `b` delegates to the other (an owner relationship visible on
	/// chain: committees exclude validators linked to the requester or the coordinator).
	fn linked(a: &AccountId, b: &AccountId) -> bool;
}

/// Reputation scores and text feedback as other pallets see them (implemented by
/// `pallet-llmnet-reputation`).
pub trait Reputation<AccountId, BlockNumber> {
	/// The current (decayed) score of `who` in `domain` for `kind`.
	fn reputation(who: &AccountId, domain: DomainId, kind: ReputationKind) -> Perbill;
	/// Number of observations behind that score.
	fn observations(who: &AccountId, domain: DomainId, kind: ReputationKind) -> u32;
	/// Fold observation `x` into the score; the new score.
	fn record_outcome(
		who: &AccountId,
		domain: DomainId,
		kind: ReputationKind,
		x: Perbill,
	) -> Perbill;
	/// The texts of the latest `limit` feedback entries on `who`, newest first.
	fn recent_feedback(who: &AccountId, limit: u32) -> Vec<Vec<u8>>;
	/// Record text feedback of `from` on `to` about `query`.
	fn record_feedback(
		from: &AccountId,
		to: &AccountId,
		query: QueryId,
		domain: DomainId,
		text: Vec<u8>,
	) -> DispatchResult;
}

#[cfg(test)]
mod tests {
	use super::canonical_answer;

	#[test]
	fn answers_differing_only_in_case_spacing_or_final_stops_are_one() {
		for a in [&b"42"[..], b" 42", b"42.", b"42 .", b"\t42..\n", b"42...", b"42. ."] {
			assert_eq!(canonical_answer(a), b"42".to_vec(), "{a:?}");
		}
		assert_eq!(canonical_answer(b"The  Answer is\nParis."), b"the answer is paris".to_vec());
		assert_eq!(canonical_answer(b"  Paris. "), b"paris".to_vec());
		assert_eq!(canonical_answer(b"New   York\tCity"), b"new york city".to_vec());
		assert_eq!(canonical_answer(b"4 2"), b"4 2".to_vec());
		assert_ne!(canonical_answer(b"4.2"), canonical_answer(b"42"));
		assert_ne!(canonical_answer(b"4 2"), canonical_answer(b"42"));
		assert_ne!(canonical_answer(b"41"), canonical_answer(b"42"));
		assert_eq!(canonical_answer(b" . "), Vec::<u8>::new());
		assert_eq!(canonical_answer(b"   "), Vec::<u8>::new());
	}
}
