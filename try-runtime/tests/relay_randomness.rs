//! The runtime reads the relay chain's randomness from the verified relay state proof and the
//! query market draws from it (issue 16: randomness no collator can grind).
//!
//! Run natively on the runtime: `SKIP_WASM_BUILD=1 cargo test -p llmnet-try-runtime --test
//! relay_randomness`.

use cumulus_pallet_parachain_system::{OnSystemEvent, RelayChainStateProof};
use cumulus_test_relay_sproof_builder::RelayStateSproofBuilder;
use llmnet_runtime::{configs::NoteRelayRandomness, LlmnetQueryContracts, RuntimeGenesisConfig};
use pallet_llmnet_query_contracts::RelayRandomness;
use polkadot_sdk::{
	cumulus_primitives_core::relay_chain::well_known_keys::CURRENT_BLOCK_RANDOMNESS,
	sp_core::H256,
	sp_io::{self, hashing::blake2_256},
	sp_runtime::{codec::Encode, BuildStorage},
};

fn ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig::default().build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| llmnet_runtime::System::set_block_number(1));
	ext
}

/// A verified proof as parachain-system builds it from a collator's inherent: the relay
/// parent's one-epoch-ago randomness and, when given, its BABE block randomness.
fn proof(epoch: [u8; 32], block: Option<Option<[u8; 32]>>) -> RelayChainStateProof {
	let mut builder = RelayStateSproofBuilder { randomness: H256(epoch), ..Default::default() };
	if let Some(block) = block {
		builder.additional_key_values.push((CURRENT_BLOCK_RANDOMNESS.to_vec(), block.encode()));
	}
	let para_id = builder.para_id;
	let (root, proof) = builder.into_state_root_and_proof();
	RelayChainStateProof::new(para_id, root, proof).expect("the proof matches its root")
}

#[test]
fn the_runtime_notes_the_relay_randomness_of_each_proof_and_draws_from_it() {
	ext().execute_with(|| {
		assert_eq!(RelayRandomness::<llmnet_runtime::Runtime>::get(), None);
		let parent = LlmnetQueryContracts::draw_seed();

		// A real relay chain: both values are in the proof.
		let weight =
			NoteRelayRandomness::on_relay_state_proof(&proof([2; 32], Some(Some([1; 32]))));
		let both = blake2_256(&(Some([1u8; 32]), Some([2u8; 32])).encode());
		assert_eq!(RelayRandomness::<llmnet_runtime::Runtime>::get(), Some(both));
		assert_eq!(LlmnetQueryContracts::draw_seed(), both);
		assert_ne!(both, parent);
		assert!(weight.ref_time() > 0, "the write is accounted");

		// A relay block without a VRF output (`AuthorVrfRandomness` is `None`): the epoch
		// value alone.
		NoteRelayRandomness::on_relay_state_proof(&proof([2; 32], Some(None)));
		let epoch_only = blake2_256(&(None::<[u8; 32]>, Some([2u8; 32])).encode());
		assert_eq!(LlmnetQueryContracts::draw_seed(), epoch_only);

		// The dev node's mocked proof has no block randomness key at all.
		NoteRelayRandomness::on_relay_state_proof(&proof([3; 32], None));
		let dev = blake2_256(&(None::<[u8; 32]>, Some([3u8; 32])).encode());
		assert_eq!(LlmnetQueryContracts::draw_seed(), dev);
	});
}
