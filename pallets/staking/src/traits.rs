//! The interface other LLM-Net pallets use: eligibility, stake, rewards, slashes,
//! capability and assignment counting. Depend on this trait, not on the pallet.

use crate::{
	types::{CapabilityStatus, Role, SlashReason},
	DomainId,
};
use alloc::vec::Vec;
use frame::prelude::*;

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

/// The staking registry as other pallets see it.
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

	/// Up to `limit` nodes declaring `domain`, in storage order (for automatic selection;
	/// the caller filters them with [`Self::is_eligible`]).
	fn nodes_in_domain(domain: DomainId, limit: u32) -> Vec<AccountId>;

	/// Total active stake behind `who`: own bond plus active delegations (zero if not
	/// registered).
	fn stake_of(who: &AccountId) -> Balance;

	/// Pay `amount` from `payer`'s free balance to node `who`, split between the node and
	/// its delegators by its commission and own-bond ratio (PROTOCOL section 2). Rounding
	/// dust stays with the payer. Returns the split actually paid.
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
}
