//! The chain specs built into the node.

use polkadot_sdk::{
	polkadot_omni_node_lib::chain_spec::{
		ChainSpec, DiskChainSpecLoader, Extensions, GenericChainSpec, LoadSpec,
	},
	sc_chain_spec::ChainType,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};

/// The relay chain test networks attach to.
const RELAY_CHAIN: &str = "rococo-local";

/// Resolves `dev` and `local` to built-in specs and anything else to a chain-spec file.
pub struct LlmnetSpecLoader;

fn properties() -> polkadot_sdk::sc_chain_spec::Properties {
	let mut p = polkadot_sdk::sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), llmnet_runtime::TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), llmnet_runtime::TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn built_in(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<Box<dyn ChainSpec>, String> {
	let wasm = llmnet_runtime::WASM_BINARY
		.ok_or("the runtime wasm was not built (was SKIP_WASM_BUILD set?)")?;
	Ok(Box::new(
		GenericChainSpec::builder(
			wasm,
			Extensions::new(RELAY_CHAIN.into(), llmnet_runtime::PARACHAIN_ID),
		)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_protocol_id("llmnet")
		.with_properties(properties())
		.build(),
	))
}

impl LoadSpec for LlmnetSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		match id {
			"" | "dev" | "llmnet-dev" => built_in(
				"LLM-Net Development",
				"llmnet_dev",
				ChainType::Development,
				DEV_RUNTIME_PRESET,
			),
			"local" | "llmnet-local" => built_in(
				"LLM-Net Local Testnet",
				"llmnet_local",
				ChainType::Local,
				LOCAL_TESTNET_RUNTIME_PRESET,
			),
			path => DiskChainSpecLoader.load_spec(path),
		}
	}
}
