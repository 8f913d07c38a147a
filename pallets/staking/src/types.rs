//! Types of the staking pallet.

use crate::DomainId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
pub use llmnet_primitives::{CapabilityStatus, Role, SlashReason};
use scale_info::TypeInfo;

/// The protocol roles a node can hold (PROTOCOL section 1). A node may hold several.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	frame::derive::Serialize,
	frame::derive::Deserialize,
)]
#[serde(crate = "frame::derive::serde")]
pub struct Roles {
	/// Answers, debates and judges queries (a respondent).
	pub provider: bool,
	/// Proposes respondent sets for queries.
	pub coordinator: bool,
	/// Scores answers and tasks and votes on challenges (not a block author).
	pub validator: bool,
}

impl Roles {
	/// Only the provider role.
	pub const PROVIDER: Self = Self { provider: true, coordinator: false, validator: false };
	/// Provider and coordinator.
	pub const PROVIDER_COORDINATOR: Self =
		Self { provider: true, coordinator: true, validator: false };
	/// Only the validator role.
	pub const VALIDATOR: Self = Self { provider: false, coordinator: false, validator: true };

	/// Whether no role is set.
	pub fn is_empty(&self) -> bool {
		!(self.provider || self.coordinator || self.validator)
	}

	/// Whether `role` is among these roles.
	pub fn has(&self, role: Role) -> bool {
		match role {
			Role::Provider => self.provider,
			Role::Coordinator => self.coordinator,
			Role::Validator => self.validator,
		}
	}
}

/// A pending commission increase.
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
pub struct PendingCommission<BlockNumber> {
	/// The new commission.
	pub commission: Perbill,
	/// The block from which it applies.
	pub effective_at: BlockNumber,
}

/// A registered node (provider, coordinator and/or validator).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxDomains, MaxModelLen, MaxDescriptionLen))]
pub struct NodeInfo<
	Balance,
	BlockNumber,
	MaxDomains: Get<u32>,
	MaxModelLen: Get<u32>,
	MaxDescriptionLen: Get<u32>,
> {
	/// Its roles.
	pub roles: Roles,
	/// The domains it serves (sorted, unique).
	pub domains: BoundedVec<DomainId, MaxDomains>,
	/// The model it runs (free text, e.g. `llama-3.1-8b-instruct`).
	pub model: BoundedVec<u8, MaxModelLen>,
	/// What it is good at, for requesters and coordinators.
	pub description: BoundedVec<u8, MaxDescriptionLen>,
	/// Its own active bond, held on its account.
	pub bond: Balance,
	/// Its commission on delegators' share of rewards (AIArena's sigma).
	pub commission: Perbill,
	/// A commission increase waiting for `CommissionChangeDelay`.
	pub pending_commission: Option<PendingCommission<BlockNumber>>,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Open assignments (queries, tasks) in other pallets; deregistration waits for zero.
	pub live_assignments: u32,
}

/// The delegation pool of a node: share accounting that makes rewards and slashes O(1).
///
/// Active stake earns rewards; unbonding stake (undelegated, waiting for the unbonding
/// period) earns nothing but can still be slashed. Both are held on the pool's account.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Pool<Balance> {
	/// Value of the active shares.
	pub active_stake: Balance,
	/// Active shares of all delegators.
	pub active_shares: Balance,
	/// Value of the unbonding shares.
	pub unbonding_stake: Balance,
	/// Unbonding shares held by undelegation chunks of the current epoch.
	pub unbonding_shares: Balance,
	/// The unbonding side's epoch, from the pallet-wide counter [`crate::NextUnbondingEpoch`]:
	/// a new pool and an unbonding side slashed to zero stake start a new one, and chunks of
	/// an older epoch are worth nothing (so a slashed-out side cannot freeze the pool, AUDIT H4).
	pub unbonding_epoch: u32,
}

/// A delegator's position in a node's pool.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Delegation<Balance> {
	/// Active shares of the pool.
	pub shares: Balance,
	/// The value counted as principal: what was delegated, plus compounded rewards, minus
	/// what was undelegated or claimed. Value above it is claimable reward.
	pub principal: Balance,
}

/// What an unbonding chunk holds.
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
pub enum ChunkKind<AccountId> {
	/// Part of the account's own bond (`value` is a balance held on the account).
	Bond,
	/// Undelegated from the pool of `node` (`value` is unbonding shares of that pool, of the
	/// pool's unbonding `epoch`; worth nothing once the pool has moved to another epoch).
	Delegation {
		/// The node whose pool the shares are of.
		node: AccountId,
		/// The pool's unbonding epoch when the chunk was made.
		epoch: u32,
	},
}

/// Funds on their way out, released at `unlock_at`.
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
pub struct UnlockChunk<AccountId, Balance, BlockNumber> {
	/// Own bond or delegation.
	pub kind: ChunkKind<AccountId>,
	/// A balance (own bond) or unbonding shares (delegation).
	pub value: Balance,
	/// First block at which it can be withdrawn.
	pub unlock_at: BlockNumber,
}
