//! `polkadot`: the relay-chain node, as the `polkadot` crate's `main.rs`, with the rococo-local
//! relay runtime built in (LLM-Net's `local` chain spec names `rococo-local` as its relay chain).

#[cfg(target_os = "linux")]
extern crate polkadot_jemalloc_shim;

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	polkadot_cli::run()?;
	Ok(())
}
