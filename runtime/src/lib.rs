//! # LLM-Net runtime
//!
//! A Cumulus parachain runtime (Aura collators, parachain-system, XCM) hosting the LLM-Net
//! pallets. Layout:
//! - `lib.rs`: types, version, constants and the pallet list;
//! - `configs/`: one file per pallet configuration;
//! - `apis.rs`: the runtime APIs (Substrate, Cumulus and LLM-Net ones for front ends);
//! - `genesis_config_presets.rs`: the `development` and `local_testnet` presets;
//! - `weights/`: block and database weights.

#![cfg_attr(not(feature = "std"), no_std)]
// `frame_support::runtime` expands to deeply nested types.
#![recursion_limit = "256"]
// The pallet list and the API implementations are macro-generated; their arithmetic on
// constants is checked at compile time.
#![allow(clippy::arithmetic_side_effects)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
mod weights;

extern crate alloc;

use alloc::vec::Vec;

use polkadot_sdk::{staging_parachain_info as parachain_info, *};
use smallvec::smallvec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};
use sp_version::RuntimeVersion;

use frame_support::weights::{
	constants::WEIGHT_REF_TIME_PER_SECOND, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
	WeightToFeePolynomial,
};
pub use genesis_config_presets::PARACHAIN_ID;
pub use sp_consensus_aura::sr25519::AuthorityId as AuraId;
pub use sp_runtime::{MultiAddress, Perbill, Permill};

use weights::ExtrinsicBaseWeight;

/// Signature of a transaction (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;
/// An account: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account (LLMN with 12 decimals).
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, in order. Off-chain workers build the same tuple in
/// `configs::offchain`.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// An extrinsic as submitted to the chain.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload signed by a transaction's author.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade. Each is a `VersionedMigration`, so it
/// runs once, on the storage version it migrates from, and stays listed harmlessly after.
type Migrations = (
	pallet_llmnet_staking::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_llmnet_staking::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_llmnet_validation::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_llmnet_validation::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_llmnet_validation::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_llmnet_validation::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_llmnet_query_contracts::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_llmnet_query_contracts::migrations::v2::MigrateV1ToV2<Runtime>,
);

/// Dispatches extrinsics and runs the pallets' hooks.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Converts a weight into a fee: the base extrinsic weight costs a tenth of a milli-LLMN.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = MILLI_UNIT / 10;
		let q = 100 * Balance::from(ExtrinsicBaseWeight::get().ref_time());
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

/// Opaque types for the client, independent of the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
	/// Opaque block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block id.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// Session keys of a collator.
	pub struct SessionKeys {
		/// The Aura block-authoring key.
		pub aura: Aura,
	}
}

/// The runtime version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("llmnet"),
	impl_name: alloc::borrow::Cow::Borrowed("llmnet"),
	authoring_version: 1,
	spec_version: 15,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// Target block time in milliseconds (a collator slot). Dev nodes seal at their own pace
/// (`--dev-block-time`).
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration. Cannot change once the chain runs.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Token symbol.
pub const TOKEN_SYMBOL: &str = "LLMN";
/// Token decimals.
pub const TOKEN_DECIMALS: u8 = 12;
/// One LLMN in plancks.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of an LLMN.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of an LLMN.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Share of the block weight assumed used by `on_initialize` hooks.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(5);
/// Share of the block that `Normal` extrinsics may fill.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per block, and the relay chain's PoV limit.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
	WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2),
	cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64,
);

/// Blocks accepted by the runtime but not yet included in the relay chain.
const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;
/// Parachain blocks processed by the relay chain per relay parent.
const BLOCK_PROCESSING_VELOCITY: u32 = 1;
/// Relay chain slot duration in milliseconds.
const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;

/// Aura consensus hook: async backing with a fixed velocity.
type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	RELAY_CHAIN_SLOT_DURATION_MILLIS,
	BLOCK_PROCESSING_VELOCITY,
	UNINCLUDED_SEGMENT_CAPACITY,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;

	// Money.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Governance.
	#[runtime::pallet_index(15)]
	pub type Sudo = pallet_sudo;

	// Collators. The order of these five matters and must not change.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(21)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(22)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(23)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(24)]
	pub type AuraExt = cumulus_pallet_aura_ext;

	// XCM.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// LLM-Net.
	#[runtime::pallet_index(50)]
	pub type LlmnetStaking = pallet_llmnet_staking;
	#[runtime::pallet_index(51)]
	pub type LlmnetReputation = pallet_llmnet_reputation;
	#[runtime::pallet_index(52)]
	pub type LlmnetQueryContracts = pallet_llmnet_query_contracts;
	#[runtime::pallet_index(53)]
	pub type LlmnetValidation = pallet_llmnet_validation;
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
