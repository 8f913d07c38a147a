//! `llmnet-node`: the LLM-Net collator and dev node.
//!
//! It is `polkadot-omni-node-lib` with the LLM-Net chain specs built in, so that
//! `llmnet-node --dev` and `llmnet-node --chain local` need no JSON file. Any other `--chain`
//! value is read as a chain-spec file. Everything else (collator mode, dev mode with manual
//! seal, off-chain workers with HTTP, `export-chain-spec`, `chain-spec-builder`, `key`) is the
//! omni node's.

mod chain_spec;

use polkadot_sdk::polkadot_omni_node_lib::{
	extra_subcommand::DefaultExtraSubcommands, run_with_custom_cli,
	runtime::DefaultRuntimeResolver, CliConfig, RunConfig, NODE_VERSION,
};

struct LlmnetCli;

impl CliConfig for LlmnetCli {
	fn impl_version() -> String {
		format!(
			"{}-{}-omni{}",
			env!("CARGO_PKG_VERSION"),
			env!("SUBSTRATE_CLI_COMMIT_HASH"),
			NODE_VERSION
		)
	}

	fn description(executable_name: String) -> String {
		format!(
			"LLM-Net node: a decentralized network of LLM providers.\n\n\
			 Run a local dev chain with `{executable_name} --dev` (or `--chain local`), or pass \
			 `--chain <spec.json>` for any other network."
		)
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/llm-net/llm-net/issues".into()
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	let config =
		RunConfig::new(Box::new(DefaultRuntimeResolver), Box::new(chain_spec::LlmnetSpecLoader));
	Ok(run_with_custom_cli::<LlmnetCli, DefaultExtraSubcommands>(config)?)
}
