//! Genesis presets: `development` (one dev collator, Alice as sudo, dev accounts endowed,
//! the LLM domains registered) and `local_testnet` (Alice and Bob as collators).

use crate::{
	AccountId, Balance, BalancesConfig, CollatorSelectionConfig, LlmnetStakingConfig,
	ParachainInfoConfig, PolkadotXcmConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SudoConfig, EXISTENTIAL_DEPOSIT, UNIT,
};
use alloc::{string::String, vec, vec::Vec};
use pallet_llmnet_staking::Roles;
use polkadot_sdk::{staging_xcm as xcm, *};

use cumulus_primitives_core::ParaId;
use frame_support::build_struct_json_patch;
use parachains_common::AuraId;
use serde_json::Value;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

/// The XCM version assumed for other chains until they tell theirs.
const SAFE_XCM_VERSION: u32 = xcm::prelude::XCM_VERSION;
/// The parachain id of LLM-Net test networks.
pub const PARACHAIN_ID: u32 = 1000;
/// What each dev account holds at genesis: one million LLMN.
pub const DEV_ENDOWMENT: u128 = 1_000_000 * UNIT;
/// The LLM domains every test network starts with (ids 0, 1, 2, ...).
pub const GENESIS_DOMAINS: [&str; 6] = ["math", "code", "medicine", "law", "science", "general"];

fn session_keys(aura: AuraId) -> SessionKeys {
	SessionKeys { aura }
}

/// A node registered at genesis: account, roles, domain ids, model name, bond.
type GenesisNode = (AccountId, Roles, Vec<u32>, Vec<u8>, Balance);

/// The dev providers: Bob..Ferdie, 1,000 LLMN bonded each, capable in their domains
/// (`math` 0, `code` 1, `medicine` 2, `law` 3, `science` 4, `general` 5).
fn dev_providers() -> Vec<GenesisNode> {
	let p = Roles::PROVIDER;
	let pc = Roles::PROVIDER_COORDINATOR;
	let pv = Roles { provider: true, coordinator: false, validator: true };
	let bond = 1_000 * UNIT;
	vec![
		(Sr25519Keyring::Bob.to_account_id(), pc, vec![0, 1, 5], b"sim-persona-0.9".to_vec(), bond),
		(
			Sr25519Keyring::Charlie.to_account_id(),
			p,
			vec![0, 2, 5],
			b"sim-persona-0.7".to_vec(),
			bond,
		),
		(Sr25519Keyring::Dave.to_account_id(), p, vec![1, 3, 5], b"sim-persona-0.5".to_vec(), bond),
		(
			Sr25519Keyring::Eve.to_account_id(),
			pv,
			vec![2, 3, 4, 5],
			b"sim-persona-0.3".to_vec(),
			bond,
		),
		(
			Sr25519Keyring::Ferdie.to_account_id(),
			p,
			vec![0, 4, 5],
			b"sim-persona-0.1".to_vec(),
			bond,
		),
	]
}

fn testnet_genesis(
	invulnerables: Vec<(AccountId, AuraId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	id: ParaId,
	providers: Vec<GenesisNode>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, DEV_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		parachain_info: ParachainInfoConfig { parachain_id: id },
		collator_selection: CollatorSelectionConfig {
			invulnerables: invulnerables.iter().cloned().map(|(acc, _)| acc).collect::<Vec<_>>(),
			candidacy_bond: EXISTENTIAL_DEPOSIT * 16,
		},
		session: SessionConfig {
			keys: invulnerables
				.into_iter()
				.map(|(acc, aura)| (acc.clone(), acc, session_keys(aura)))
				.collect::<Vec<_>>(),
		},
		polkadot_xcm: PolkadotXcmConfig { safe_xcm_version: Some(SAFE_XCM_VERSION) },
		sudo: SudoConfig { key: Some(root) },
		llmnet_staking: LlmnetStakingConfig {
			domains: GENESIS_DOMAINS.iter().map(|d| d.as_bytes().to_vec()).collect::<Vec<_>>(),
			nodes: providers,
		},
	})
}

fn collator(k: Sr25519Keyring) -> (AccountId, AuraId) {
	(k.to_account_id(), k.public().into())
}

fn local_testnet_genesis() -> Value {
	testnet_genesis(
		vec![collator(Sr25519Keyring::Alice), collator(Sr25519Keyring::Bob)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		PARACHAIN_ID.into(),
		Vec::new(),
	)
}

fn development_config_genesis() -> Value {
	// A dev node seals alone with Alice's key (`--dev` seeds `//Alice`).
	testnet_genesis(
		vec![collator(Sr25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		PARACHAIN_ID.into(),
		dev_providers(),
	)
}

/// The JSON patch of preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
