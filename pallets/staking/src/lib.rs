//! # LLM-Net staking pallet
//!
//! The registry every other LLM-Net pallet stands on (PROTOCOL section 2).
//!
//! ## Overview
//!
//! - **Domains**: the LLM expertise domains (math, code, medicine, law, ...) that nodes declare
//!   and queries are addressed to, created by [`Config::DomainOrigin`] or at genesis. Retired
//!   domains keep their id; ids are never reused.
//! - **Nodes**: accounts registered with roles (provider, coordinator, validator), declared
//!   domains, a model name and description, and a bond held with [`HoldReason::NodeBond`].
//!   Bonds grow with `bond_extra` and leave through at most [`Config::MaxUnlockChunks`]
//!   unbonding chunks released after [`Config::UnbondingPeriod`].
//! - **Commission**: set by the node, capped by [`Config::MaxCommission`]; an increase applies
//!   only after [`Config::CommissionChangeDelay`], a decrease at once.
//! - **Delegation**: share-based pools. A node's pool holds its delegators' funds on a keyless
//!   pool account ([`HoldReason::Delegation`]); delegators own shares. Rewards and slashes
//!   change the pool's stake, so both cost O(1) whatever the number of delegators.
//!   Undelegated funds move to the pool's unbonding side (no rewards, still slashable).
//! - **Capability**: per `(account, domain)` a proof-of-capability status; providers are
//!   eligible in a domain only when capable (if [`Config::RequireCapability`]).
//! - **For other pallets**: [`traits::NodeRegistry`] (eligibility, stake, reward split, slash,
//!   capability, assignment counting).
//!
//! ## Invariants (checked by `try_state`, after every unit test)
//! - Held `NodeBond` of every account = its node bond + its own unbonding chunks.
//! - Held `Delegation` of every pool account = pool active + unbonding stake.
//! - Sum of delegators' shares = pool active shares; sum of undelegation chunk shares of the
//!   pool's current unbonding epoch = pool unbonding shares; a pool with stake has shares, and
//!   its unbonding side has shares exactly when it has stake.
//! - Domain membership index = the domains declared by nodes; counts match.
//! - Domain ids are dense and the name index points back.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod bench_helpers;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod bonding;
mod delegation;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod registry;
pub mod runtime_api;
#[cfg(feature = "std")]
pub mod testing;
#[cfg(test)]
mod tests;
pub mod traits;
pub mod types;
pub mod weights;

pub use llmnet_primitives::DomainId;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::llmnet-staking";

// FRAME's pallet macros expand to `expect` calls (storage and metadata plumbing); our own
// code in this module does not use `expect`, and the logic lives outside it.
#[allow(clippy::expect_used)]
#[frame::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame::{
		prelude::*,
		traits::{
			fungible::{self, Inspect as _},
			OnUnbalanced,
		},
	};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A negative imbalance (slashed funds).
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// A registered domain.
	pub type DomainInfoOf<T> = DomainInfo<<T as Config>::MaxDomainNameLen, BlockNumberFor<T>>;
	/// A node record.
	pub type NodeInfoOf<T> = NodeInfo<
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxDomainsPerNode,
		<T as Config>::MaxModelLen,
		<T as Config>::MaxDescriptionLen,
	>;
	/// An unbonding chunk.
	pub type UnlockChunkOf<T> =
		UnlockChunk<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// The unbonding chunks of an account.
	pub type ChunksOf<T> = BoundedVec<UnlockChunkOf<T>, <T as Config>::MaxUnlockChunks>;
	/// Declared domains of a node.
	pub type DomainsOf<T> = BoundedVec<DomainId, <T as Config>::MaxDomainsPerNode>;

	/// A registered domain.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(MaxLen))]
	pub struct DomainInfo<MaxLen: Get<u32>, BlockNumber> {
		/// Human-readable name, unique among registered domains (e.g. `math`).
		pub name: BoundedVec<u8, MaxLen>,
		/// Whether new registrations and queries may use the domain.
		pub active: bool,
		/// Block at which the domain was registered (0 at genesis).
		pub registered_at: BlockNumber,
	}

	/// Reasons this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A node's own bond and its unbonding chunks.
		NodeBond,
		/// Delegated funds, on a node's pool account.
		Delegation,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency bonds and delegations are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::hold::Balanced<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Where slashed funds go (the treasury, or burnt with `()`).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// Derives the pool accounts of nodes.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Origin allowed to register and retire domains.
		type DomainOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Origin allowed to set capability statuses directly (root until proof of capability
		/// runs on chain).
		type CapabilityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Maximum number of domains ever registered (ids are never reused).
		#[pallet::constant]
		type MaxDomains: Get<u32>;
		/// Maximum length of a domain name, in bytes.
		#[pallet::constant]
		type MaxDomainNameLen: Get<u32>;
		/// Maximum number of domains one node declares.
		#[pallet::constant]
		type MaxDomainsPerNode: Get<u32>;
		/// Maximum number of nodes declaring one domain.
		#[pallet::constant]
		type MaxNodesPerDomain: Get<u32>;
		/// Maximum length of a model name, in bytes.
		#[pallet::constant]
		type MaxModelLen: Get<u32>;
		/// Maximum length of a node description, in bytes.
		#[pallet::constant]
		type MaxDescriptionLen: Get<u32>;
		/// Minimum own bond of a provider or coordinator.
		#[pallet::constant]
		type MinProviderBond: Get<BalanceOf<Self>>;
		/// Minimum own bond of a validator.
		#[pallet::constant]
		type MinValidatorBond: Get<BalanceOf<Self>>;
		/// Minimum amount of one delegation (at least the existential deposit).
		#[pallet::constant]
		type MinDelegation: Get<BalanceOf<Self>>;
		/// Maximum number of nodes one account delegates to.
		#[pallet::constant]
		type MaxDelegationsPerDelegator: Get<u32>;
		/// Maximum number of unbonding chunks per account (own bond and undelegations).
		#[pallet::constant]
		type MaxUnlockChunks: Get<u32>;
		/// Blocks between unbonding and withdrawal.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// Highest commission a node may set.
		#[pallet::constant]
		type MaxCommission: Get<Perbill>;
		/// Blocks before a commission increase applies.
		#[pallet::constant]
		type CommissionChangeDelay: Get<BlockNumberFor<Self>>;
		/// Whether providers must be capable in a domain to be eligible there.
		#[pallet::constant]
		type RequireCapability: Get<bool>;
		/// How long a proof of capability lasts: `Capable { since }` reads as no status from
		/// `since + CapabilityValidity` on (AUDIT H2).
		#[pallet::constant]
		type CapabilityValidity: Get<BlockNumberFor<Self>>;
		/// Delegators' rewards vest into their pool linearly over this many blocks (0: at once),
		/// so a position earns what vests while it is held, not a payout it joined just before
		/// (AUDIT M2).
		#[pallet::constant]
		type RewardVesting: Get<BlockNumberFor<Self>>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The storage layout version; [`migrations`] takes older layouts to it.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Registered domains by id.
	#[pallet::storage]
	pub type Domains<T: Config> = StorageMap<_, Twox64Concat, DomainId, DomainInfoOf<T>>;

	/// Reverse index: domain name to id. Holds exactly the names of `Domains`.
	// Blake2: names are chosen by the domain origin, still hashed safely.
	#[pallet::storage]
	pub type DomainIdByName<T: Config> =
		StorageMap<_, Blake2_128Concat, BoundedVec<u8, T::MaxDomainNameLen>, DomainId>;

	/// The id the next registered domain gets; also the number of domains ever registered.
	#[pallet::storage]
	pub type NextDomainId<T: Config> = StorageValue<_, DomainId, ValueQuery>;

	/// Registered nodes.
	#[pallet::storage]
	pub type Nodes<T: Config> = CountedStorageMap<_, Blake2_128Concat, T::AccountId, NodeInfoOf<T>>;

	/// Nodes declaring each domain (an index for front ends), each with its place in the
	/// domain's [`DomainNodeAt`] list.
	#[pallet::storage]
	pub type DomainNodes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DomainId, Blake2_128Concat, T::AccountId, u32>;

	/// The nodes of each domain as a dense list, places `0..DomainNodeCount` (a node leaving
	/// gives its place to the last): a uniform draw over a whole domain reads one entry per
	/// node drawn, wherever its key hashes (committees and selection pools, issue 16).
	#[pallet::storage]
	pub type DomainNodeAt<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DomainId, Twox64Concat, u32, T::AccountId>;

	/// Number of nodes declaring each domain (at most `MaxNodesPerDomain`).
	#[pallet::storage]
	pub type DomainNodeCount<T: Config> = StorageMap<_, Twox64Concat, DomainId, u32, ValueQuery>;

	/// Delegation pools by node.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Pool<BalanceOf<T>>>;

	/// Delegators' rewards of a node's pool not yet vested: `(amount, vested up to, vesting
	/// ends)`. Held on the pool account; moved into the pool's active stake as they vest
	/// (AUDIT M2).
	#[pallet::storage]
	pub type PoolVesting<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		(BalanceOf<T>, BlockNumberFor<T>, BlockNumberFor<T>),
	>;

	/// Stake a node added with `bond_extra` that does not yet count in its reward splits:
	/// `(amount, counted from)`, `RewardVesting` blocks after the last addition (AUDIT M2, the
	/// node's side: bonding just before a payout would move the delegators' share to the
	/// node). Unbonding takes it first; a slash cuts it with the bond.
	#[pallet::storage]
	pub type FreshBond<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BalanceOf<T>, BlockNumberFor<T>)>;

	/// Delegations: delegator, node -> position.
	#[pallet::storage]
	pub type Delegations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Delegation<BalanceOf<T>>,
	>;

	/// Number of nodes each account delegates to.
	#[pallet::storage]
	pub type DelegationCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The next unbonding epoch (see [`Pool::unbonding_epoch`]); epochs are never reused, so a
	/// chunk of a removed pool cannot count in a later pool of the same node.
	#[pallet::storage]
	pub type NextUnbondingEpoch<T> = StorageValue<_, u32, ValueQuery>;

	/// Unbonding chunks of each account.
	#[pallet::storage]
	pub type Unbonding<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ChunksOf<T>, ValueQuery>;

	/// Proof-of-capability status per account and domain.
	#[pallet::storage]
	pub type Capabilities<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DomainId,
		CapabilityStatus<BlockNumberFor<T>>,
	>;

	/// A node registered at genesis.
	pub type GenesisNode<T> =
		(<T as frame_system::Config>::AccountId, Roles, Vec<DomainId>, Vec<u8>, BalanceOf<T>);

	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Domain names registered at genesis, in id order starting at 0.
		pub domains: Vec<Vec<u8>>,
		/// Nodes registered at genesis: account, roles, domains, model, bond. They are marked
		/// capable in their domains.
		pub nodes: Vec<GenesisNode<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for name in &self.domains {
				let registered = BoundedVec::try_from(name.clone())
					.map_err(|_| DispatchError::from(Error::<T>::DomainNameTooLong))
					.and_then(Pallet::<T>::do_register_domain);
				if let Err(e) = registered {
					log::error!(target: LOG_TARGET, "genesis domain {name:?} rejected: {e:?}");
				}
			}
			for (who, roles, domains, model, bond) in &self.nodes {
				let registered = Pallet::<T>::do_register(
					who,
					*roles,
					domains.clone(),
					model.clone(),
					Vec::new(),
					*bond,
				);
				match registered {
					Ok(()) => {
						for d in domains {
							Capabilities::<T>::insert(
								who,
								d,
								CapabilityStatus::Capable { since: Zero::zero() },
							);
						}
					}
					Err(e) => {
						log::error!(target: LOG_TARGET, "genesis node {who:?} rejected: {e:?}")
					}
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A domain was registered.
		DomainRegistered {
			/// Its id.
			domain: DomainId,
			/// Its name.
			name: BoundedVec<u8, T::MaxDomainNameLen>,
		},
		/// A domain was retired: no new registrations or queries may use it.
		DomainRetired {
			/// Its id.
			domain: DomainId,
		},
		/// A node registered.
		NodeRegistered {
			/// The node.
			node: T::AccountId,
			/// Its roles.
			roles: Roles,
			/// Its domains.
			domains: DomainsOf<T>,
			/// Its initial bond.
			bond: BalanceOf<T>,
		},
		/// A node changed its roles, domains, model or description.
		ProfileUpdated {
			/// The node.
			node: T::AccountId,
			/// Its roles now.
			roles: Roles,
			/// Its domains now.
			domains: DomainsOf<T>,
		},
		/// A node added to its bond.
		Bonded {
			/// The node.
			node: T::AccountId,
			/// Amount added.
			amount: BalanceOf<T>,
		},
		/// Own bond entered unbonding.
		Unbonded {
			/// The node.
			node: T::AccountId,
			/// Amount.
			amount: BalanceOf<T>,
			/// Withdrawable from this block.
			unlock_at: BlockNumberFor<T>,
		},
		/// Matured chunks were paid out.
		Withdrawn {
			/// The account paid.
			who: T::AccountId,
			/// Total released.
			amount: BalanceOf<T>,
		},
		/// A node deregistered; its whole bond is unbonding.
		NodeDeregistered {
			/// The node.
			node: T::AccountId,
		},
		/// A commission change was requested.
		CommissionSet {
			/// The node.
			node: T::AccountId,
			/// The new commission.
			commission: Perbill,
			/// From which block it applies.
			effective_at: BlockNumberFor<T>,
		},
		/// Funds were delegated to a node.
		Delegated {
			/// The delegator.
			delegator: T::AccountId,
			/// The node.
			node: T::AccountId,
			/// Amount delegated.
			amount: BalanceOf<T>,
			/// Pool shares received.
			shares: BalanceOf<T>,
		},
		/// Delegated funds entered unbonding.
		Undelegated {
			/// The delegator.
			delegator: T::AccountId,
			/// The node.
			node: T::AccountId,
			/// Value moved out of the active pool.
			amount: BalanceOf<T>,
			/// Withdrawable from this block.
			unlock_at: BlockNumberFor<T>,
		},
		/// A delegator took its accrued rewards.
		RewardsClaimed {
			/// The delegator.
			delegator: T::AccountId,
			/// The node.
			node: T::AccountId,
			/// Amount paid.
			amount: BalanceOf<T>,
		},
		/// A delegator kept its accrued rewards staked as principal.
		RewardsCompounded {
			/// The delegator.
			delegator: T::AccountId,
			/// The node.
			node: T::AccountId,
			/// Reward value added to principal.
			amount: BalanceOf<T>,
		},
		/// A node was rewarded.
		Rewarded {
			/// The node.
			node: T::AccountId,
			/// To the node's free balance.
			to_node: BalanceOf<T>,
			/// To its delegation pool.
			to_delegators: BalanceOf<T>,
		},
		/// A node was slashed.
		Slashed {
			/// The node.
			node: T::AccountId,
			/// Why.
			reason: SlashReason,
			/// Fraction slashed.
			fraction: Perbill,
			/// Taken from its own bond and chunks.
			own: BalanceOf<T>,
			/// Taken from its delegation pool.
			delegated: BalanceOf<T>,
		},
		/// A capability status was set.
		CapabilitySet {
			/// The account.
			who: T::AccountId,
			/// The domain.
			domain: DomainId,
			/// The status.
			status: CapabilityStatus<BlockNumberFor<T>>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain name is empty; give a name such as `math`.
		EmptyDomainName,
		/// The domain name is longer than `MaxDomainNameLen` bytes.
		DomainNameTooLong,
		/// A domain with this name already exists (retired names stay taken).
		DuplicateDomainName,
		/// `MaxDomains` domains have already been registered.
		TooManyDomains,
		/// No domain has this id.
		UnknownDomain,
		/// The domain is retired; declare an active one.
		DomainRetired,
		/// The domain is already retired.
		DomainAlreadyRetired,
		/// The account is already a registered node.
		AlreadyRegistered,
		/// The account is not a registered node.
		NotRegistered,
		/// At least one role is needed.
		NoRoles,
		/// Providers and coordinators must declare at least one domain.
		NoDomains,
		/// More domains than `MaxDomainsPerNode`.
		TooManyNodeDomains,
		/// A domain is listed twice.
		DuplicateDomain,
		/// The domain already has `MaxNodesPerDomain` nodes.
		DomainFull,
		/// The model name is longer than `MaxModelLen` bytes.
		ModelTooLong,
		/// The description is longer than `MaxDescriptionLen` bytes.
		DescriptionTooLong,
		/// The bond is below the minimum of the node's roles.
		BondTooLow,
		/// Amounts must be non-zero.
		ZeroAmount,
		/// Not enough free balance.
		InsufficientBalance,
		/// The account already has `MaxUnlockChunks` unbonding chunks; withdraw matured ones
		/// or wait.
		TooManyChunks,
		/// The node still has open assignments; deregister when they close.
		HasLiveAssignments,
		/// The commission is above `MaxCommission`.
		CommissionTooHigh,
		/// The delegation is below `MinDelegation`.
		DelegationTooLow,
		/// The account already delegates to `MaxDelegationsPerDelegator` nodes.
		TooManyDelegations,
		/// No delegation from this account to this node.
		NoDelegation,
		/// Nodes cannot delegate to themselves; use `bond_extra`.
		SelfDelegation,
		/// The pool lost all its stake to slashes; it accepts no new delegations.
		PoolDepleted,
		/// There is no reward to claim or compound.
		NothingToClaim,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxUnlockChunks::get() > 0, "MaxUnlockChunks must be positive");
			assert!(T::MaxDomainsPerNode::get() > 0, "MaxDomainsPerNode must be positive");
			assert!(
				T::MinDelegation::get() >= T::Currency::minimum_balance(),
				"MinDelegation must be at least the existential deposit"
			);
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
		/// Register a new LLM domain.
		///
		/// - Origin: `DomainOrigin`.
		/// - Errors: `EmptyDomainName`, `DuplicateDomainName`, `TooManyDomains`. A name longer
		///   than `MaxDomainNameLen` does not decode (AUDIT M5).
		/// - Event: `DomainRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_domain())]
		pub fn register_domain(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxDomainNameLen>,
		) -> DispatchResult {
			T::DomainOrigin::ensure_origin(origin)?;
			Self::do_register_domain(name).map(|_| ())
		}

		/// Retire a domain: it stays readable but accepts no new nodes or queries.
		///
		/// - Origin: `DomainOrigin`.
		/// - Errors: `UnknownDomain`, `DomainAlreadyRetired`.
		/// - Event: `DomainRetired`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_domain())]
		pub fn retire_domain(origin: OriginFor<T>, domain: DomainId) -> DispatchResult {
			T::DomainOrigin::ensure_origin(origin)?;
			Domains::<T>::try_mutate(domain, |maybe| {
				let info = maybe.as_mut().ok_or(Error::<T>::UnknownDomain)?;
				ensure!(info.active, Error::<T>::DomainAlreadyRetired);
				info.active = false;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::DomainRetired { domain });
			Ok(())
		}

		/// Register the caller as a node with `roles`, `domains`, a model name, a description
		/// and a `bond` held from its free balance.
		///
		/// - Origin: signed, not yet registered.
		/// - Errors: `AlreadyRegistered`, `NoRoles`, `NoDomains`, `DuplicateDomain`,
		///   `UnknownDomain`, `DomainRetired`, `DomainFull`, `BondTooLow`,
		///   `InsufficientBalance`. Domains beyond `MaxDomainsPerNode`, a model beyond
		///   `MaxModelLen` or a description beyond `MaxDescriptionLen` do not decode (AUDIT M5).
		/// - Event: `NodeRegistered`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register(domains.len() as u32))]
		pub fn register(
			origin: OriginFor<T>,
			roles: Roles,
			domains: DomainsOf<T>,
			model: BoundedVec<u8, T::MaxModelLen>,
			description: BoundedVec<u8, T::MaxDescriptionLen>,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(
				&who,
				roles,
				domains.into_inner(),
				model.into_inner(),
				description.into_inner(),
				bond,
			)
		}

		/// Change the caller's roles, domains, model and description. A new model clears the
		/// caller's proofs of capability (a failed status stays until its cool-down ends).
		///
		/// - Origin: a registered node.
		/// - Errors: as `register` (without the balance ones), plus `NotRegistered`, and
		///   `BondTooLow` if the new roles need a larger bond.
		/// - Event: `ProfileUpdated`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_profile(T::MaxDomainsPerNode::get()).saturating_add(
			// A model change clears the capability of the old and new domains (not in the
			// benchmark: an estimate of one read and one write each).
			T::DbWeight::get().reads_writes(
				u64::from(T::MaxDomainsPerNode::get()).saturating_mul(2),
				u64::from(T::MaxDomainsPerNode::get()).saturating_mul(2),
			)
		))]
		pub fn update_profile(
			origin: OriginFor<T>,
			roles: Roles,
			domains: DomainsOf<T>,
			model: BoundedVec<u8, T::MaxModelLen>,
			description: BoundedVec<u8, T::MaxDescriptionLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_profile(
				&who,
				roles,
				domains.into_inner(),
				model.into_inner(),
				description.into_inner(),
			)
		}

		/// Add `amount` from the caller's free balance to its bond.
		///
		/// - Origin: a registered node.
		/// - Errors: `NotRegistered`, `ZeroAmount`, `InsufficientBalance`.
		/// - Event: `Bonded`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(&who, amount)
		}

		/// Start unbonding `amount` of the caller's bond; it stays held (and slashable) until
		/// `UnbondingPeriod` has passed and the node has no live assignments, then
		/// `withdraw_unbonded` releases it.
		///
		/// - Origin: a registered node.
		/// - Errors: `NotRegistered`, `ZeroAmount`, `BondTooLow` (the rest would be below the
		///   roles' minimum; deregister to leave entirely), `TooManyChunks`.
		/// - Event: `Unbonded`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(&who, amount)
		}

		/// Pay out every matured unbonding chunk of the caller (own bond and undelegations).
		/// A node's own bond chunks wait, still held and slashable, until it has no live
		/// assignments (AUDIT M1).
		///
		/// - Origin: signed.
		/// - Errors: none when nothing is matured (a no-op emitting nothing).
		/// - Event: `Withdrawn` when something was paid.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded(T::MaxUnlockChunks::get()))]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(&who).map(|_| ())
		}

		/// Leave the registry: the whole bond starts unbonding and the node stops being
		/// eligible. Its delegators keep their positions and can undelegate.
		///
		/// - Origin: a registered node.
		/// - Errors: `NotRegistered`, `HasLiveAssignments`, `TooManyChunks`.
		/// - Event: `NodeDeregistered` (and `Unbonded`).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::deregister(T::MaxDomainsPerNode::get()))]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(&who)
		}

		/// Set the caller's commission. A decrease applies at once; an increase after
		/// `CommissionChangeDelay` blocks.
		///
		/// - Origin: a registered node.
		/// - Errors: `NotRegistered`, `CommissionTooHigh`.
		/// - Event: `CommissionSet`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_commission())]
		pub fn set_commission(origin: OriginFor<T>, commission: Perbill) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_commission(&who, commission)
		}

		/// Delegate `amount` of the caller's free balance to `node`'s pool.
		///
		/// - Origin: signed, not `node` itself.
		/// - Errors: `NotRegistered`, `SelfDelegation`, `DelegationTooLow`,
		///   `TooManyDelegations`, `PoolDepleted`, `InsufficientBalance`.
		/// - Event: `Delegated`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::delegate())]
		pub fn delegate(
			origin: OriginFor<T>,
			node: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(&who, &node, amount)
		}

		/// Undelegate `amount` (of value, capped at the position) from `node`'s pool; it
		/// unbonds for `UnbondingPeriod`. A remainder below `MinDelegation` is undelegated too.
		///
		/// - Origin: a delegator of `node`.
		/// - Errors: `NoDelegation`, `ZeroAmount`, `TooManyChunks`.
		/// - Event: `Undelegated`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::undelegate())]
		pub fn undelegate(
			origin: OriginFor<T>,
			node: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_undelegate(&who, &node, amount)
		}

		/// Pay the caller the rewards accrued on its delegation to `node` (its value above
		/// principal) at once, without unbonding.
		///
		/// - Origin: a delegator of `node`.
		/// - Errors: `NoDelegation`, `NothingToClaim`.
		/// - Event: `RewardsClaimed`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>, node: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_rewards(&who, &node)
		}

		/// Keep the rewards accrued on the caller's delegation to `node` staked: they become
		/// principal and are no longer claimable.
		///
		/// - Origin: a delegator of `node`.
		/// - Errors: `NoDelegation`, `NothingToClaim`.
		/// - Event: `RewardsCompounded`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::compound())]
		pub fn compound(origin: OriginFor<T>, node: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_compound(&who, &node)
		}

		/// Set (`capable = true`) or clear the capability of `who` in `domain`.
		///
		/// - Origin: `CapabilityOrigin`.
		/// - Errors: `UnknownDomain`.
		/// - Event: `CapabilitySet`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_capability())]
		pub fn set_capability(
			origin: OriginFor<T>,
			who: T::AccountId,
			domain: DomainId,
			capable: bool,
		) -> DispatchResult {
			T::CapabilityOrigin::ensure_origin(origin)?;
			ensure!(Domains::<T>::contains_key(domain), Error::<T>::UnknownDomain);
			let now = frame_system::Pallet::<T>::block_number();
			let status = if capable {
				CapabilityStatus::Capable { since: now }
			} else {
				CapabilityStatus::Failed { retry_after: now }
			};
			Self::do_set_capability(&who, domain, status);
			Ok(())
		}
	}
}
