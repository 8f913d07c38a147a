//! `cumulus_pallet_parachain_system` and `staging_parachain_info`.

use crate::{
	ConsensusHook, LlmnetQueryContracts, MessageQueue, Runtime, RuntimeEvent, XcmpQueue,
	MAXIMUM_BLOCK_WEIGHT,
};
use polkadot_sdk::{staging_parachain_info as parachain_info, *};

use cumulus_pallet_parachain_system::{
	OnSystemEvent, RelayChainStateProof, RelayNumberMonotonicallyIncreases,
};
use cumulus_primitives_core::{
	relay_chain::well_known_keys::{CURRENT_BLOCK_RANDOMNESS, ONE_EPOCH_AGO_RANDOMNESS},
	AggregateMessageOrigin, PersistedValidationData,
};
use frame_support::{parameter_types, traits::ConstU32, weights::Weight};

parameter_types! {
	pub const ReservedXcmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	pub const ReservedDmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	pub const RelayOrigin: AggregateMessageOrigin = AggregateMessageOrigin::Parent;
}

impl cumulus_pallet_parachain_system::Config for Runtime {
	type WeightInfo = ();
	type RuntimeEvent = RuntimeEvent;
	type OnSystemEvent = NoteRelayRandomness;
	type SelfParaId = parachain_info::Pallet<Runtime>;
	type OutboundXcmpMessageSource = XcmpQueue;
	type DmpQueue = frame_support::traits::EnqueueWithOrigin<MessageQueue, RelayOrigin>;
	type ReservedDmpWeight = ReservedDmpWeight;
	type XcmpMessageHandler = XcmpQueue;
	type ReservedXcmpWeight = ReservedXcmpWeight;
	type CheckAssociatedRelayNumber = RelayNumberMonotonicallyIncreases;
	type ConsensusHook = ConsensusHook;
	/// Build on the latest relay parent.
	type RelayParentOffset = ConstU32<0>;
	type SchedulingSignatureVerifier = ();
}

impl parachain_info::Config for Runtime {}

/// Hands the query market the relay chain's randomness from each block's relay state proof,
/// which parachain-system has checked against the relay parent's storage root: the relay
/// parent's BABE block randomness (`CURRENT_BLOCK_RANDOMNESS`, the relay block author's VRF
/// output) and its one-epoch-ago randomness, both in every collator's proof (cumulus'
/// parachain-inherent puts them there). On a dev node (`--dev`, manual seal) the proof is
/// mocked: the one-epoch-ago value is the block number, predictable, and only fit for a dev
/// chain. See `pallet_llmnet_query_contracts::Pallet::note_relay_randomness`.
pub struct NoteRelayRandomness;

impl OnSystemEvent for NoteRelayRandomness {
	fn on_validation_data(_: &PersistedValidationData) {}

	fn on_validation_code_applied() {}

	fn on_relay_state_proof(proof: &RelayChainStateProof) -> Weight {
		// BABE's `AuthorVrfRandomness` is an `Option` in relay storage; `Randomness` is not.
		let block = proof
			.read_optional_entry::<Option<[u8; 32]>>(CURRENT_BLOCK_RANDOMNESS)
			.ok()
			.flatten()
			.flatten();
		let epoch = proof.read_optional_entry::<[u8; 32]>(ONE_EPOCH_AGO_RANDOMNESS).ok().flatten();
		LlmnetQueryContracts::note_relay_randomness(block, epoch);
		<Runtime as frame_system::Config>::DbWeight::get().writes(1)
	}
}
