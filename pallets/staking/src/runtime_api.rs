//! Runtime API of the staking pallet, for front ends (`api.call.llmnetStakingApi.*` in
//! polkadot.js, decorated from metadata).

use crate::{
	pallet::{BalanceOf, Config, Delegations, Domains, NextDomainId, Nodes, Unbonding},
	types::{CapabilityStatus, ChunkKind, Roles},
	DomainId, DomainNodes, Pallet,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame::prelude::*;
use scale_info::TypeInfo;

/// A domain as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct DomainView {
	/// The domain's id.
	pub id: DomainId,
	/// Its name (UTF-8 by convention).
	pub name: Vec<u8>,
	/// Whether it accepts new registrations and queries.
	pub active: bool,
}

/// A node's public profile, stake and commission.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct NodeView<AccountId, Balance, BlockNumber> {
	/// The node's account.
	pub account: AccountId,
	/// Its roles.
	pub roles: Roles,
	/// Declared domains.
	pub domains: Vec<DomainId>,
	/// Model name.
	pub model: Vec<u8>,
	/// Description.
	pub description: Vec<u8>,
	/// Own active bond.
	pub bond: Balance,
	/// Active delegated stake.
	pub delegated: Balance,
	/// Delegated stake that is unbonding.
	pub delegated_unbonding: Balance,
	/// Number of delegators' active shares.
	pub delegator_shares: Balance,
	/// Commission in force now.
	pub commission: Perbill,
	/// A pending commission increase and the block it applies from.
	pub pending_commission: Option<(Perbill, BlockNumber)>,
	/// Capability status per declared domain.
	pub capabilities: Vec<(DomainId, Option<CapabilityStatus<BlockNumber>>)>,
	/// Open assignments.
	pub live_assignments: u32,
	/// Registration block.
	pub registered_at: BlockNumber,
}

/// A delegator's position.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct DelegationView<AccountId, Balance> {
	/// The node delegated to.
	pub node: AccountId,
	/// Active shares held.
	pub shares: Balance,
	/// Their current value.
	pub value: Balance,
	/// Principal (value above it is claimable reward).
	pub principal: Balance,
}

/// An unbonding chunk with its current value.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct UnbondingView<AccountId, Balance, BlockNumber> {
	/// `None` for own bond, else the node undelegated from.
	pub node: Option<AccountId>,
	/// Current value.
	pub value: Balance,
	/// Withdrawable from this block.
	pub unlock_at: BlockNumber,
}

frame::deps::sp_api::decl_runtime_apis! {
	/// Read access to the LLM-Net registry.
	pub trait LlmnetStakingApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// All registered domains, in id order.
		fn domains() -> Vec<DomainView>;
		/// A node's profile, stake and commission.
		fn node(who: AccountId) -> Option<NodeView<AccountId, Balance, BlockNumber>>;
		/// Nodes of a domain, by total stake (own + delegated) descending, from `offset`, at
		/// most `limit`.
		fn nodes_in_domain(domain: DomainId, offset: u32, limit: u32) -> Vec<NodeView<AccountId, Balance, BlockNumber>>;
		/// A delegator's positions.
		fn delegations_of(delegator: AccountId) -> Vec<DelegationView<AccountId, Balance>>;
		/// An account's unbonding chunks.
		fn unbonding_of(who: AccountId) -> Vec<UnbondingView<AccountId, Balance, BlockNumber>>;
	}
}

impl<T: Config> Pallet<T> {
	/// All registered domains in id order, for the runtime API.
	pub fn domain_views() -> Vec<DomainView> {
		(0..NextDomainId::<T>::get())
			.filter_map(|id| {
				Domains::<T>::get(id).map(|d| DomainView {
					id,
					name: d.name.into_inner(),
					active: d.active,
				})
			})
			.collect()
	}

	/// The view of `who`, if registered.
	pub fn node_view(
		who: T::AccountId,
	) -> Option<NodeView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let node = Nodes::<T>::get(&who)?;
		let pool = Self::accrued_pool(&who);
		let now = frame_system::Pallet::<T>::block_number();
		let commission = Self::effective_commission(&node, now);
		Some(NodeView {
			roles: node.roles,
			capabilities: node
				.domains
				.iter()
				.map(|d| (*d, Self::capability_status(&who, *d)))
				.collect(),
			domains: node.domains.into_inner(),
			model: node.model.clone().into_inner(),
			description: node.description.clone().into_inner(),
			bond: node.bond,
			delegated: pool.active_stake,
			delegated_unbonding: pool.unbonding_stake,
			delegator_shares: pool.active_shares,
			commission,
			pending_commission: node
				.pending_commission
				.filter(|p| p.effective_at > now)
				.map(|p| (p.commission, p.effective_at)),
			live_assignments: node.live_assignments,
			registered_at: node.registered_at,
			account: who,
		})
	}

	/// Nodes of `domain` by stake, paginated.
	pub fn nodes_in_domain(
		domain: DomainId,
		offset: u32,
		limit: u32,
	) -> Vec<NodeView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let mut all: Vec<_> =
			DomainNodes::<T>::iter_key_prefix(domain).filter_map(Self::node_view).collect();
		all.sort_by(|a, b| {
			b.bond.saturating_add(b.delegated).cmp(&a.bond.saturating_add(a.delegated))
		});
		all.into_iter().skip(offset as usize).take(limit as usize).collect()
	}

	/// Positions of `delegator`.
	pub fn delegation_views(
		delegator: T::AccountId,
	) -> Vec<DelegationView<T::AccountId, BalanceOf<T>>> {
		Delegations::<T>::iter_prefix(&delegator)
			.map(|(node, d)| {
				let pool = Self::accrued_pool(&node);
				DelegationView {
					value: Self::active_value(&pool, d.shares),
					shares: d.shares,
					principal: d.principal,
					node,
				}
			})
			.collect()
	}

	/// Unbonding chunks of `who` with their current values.
	pub fn unbonding_views(
		who: T::AccountId,
	) -> Vec<UnbondingView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		Unbonding::<T>::get(&who)
			.into_iter()
			.map(|c| match c.kind {
				ChunkKind::Bond => {
					UnbondingView { node: None, value: c.value, unlock_at: c.unlock_at }
				}
				ChunkKind::Delegation { node, epoch } => {
					let value = Self::chunk_value(&node, epoch, c.value);
					UnbondingView { node: Some(node), value, unlock_at: c.unlock_at }
				}
			})
			.collect()
	}
}
