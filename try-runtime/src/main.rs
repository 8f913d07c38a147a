//! `llmnet-try-runtime URI`: try-runtime's `on-runtime-upgrade` check of this runtime against
//! the live state of the node at `URI` (a WebSocket RPC endpoint, e.g. `ws://127.0.0.1:9911`).
//!
//! It downloads the state at the node's finalized block (`frame-remote-externalities`, the
//! library behind `try-runtime-cli`), then, natively with this crate's runtime built with the
//! `try-runtime` feature:
//! 1. checks that this runtime's `spec_version` is above the one that last upgraded the chain;
//! 2. runs `Executive::try_runtime_upgrade(All)`: every migration's `pre_upgrade`,
//!    `on_runtime_upgrade` and `post_upgrade`, every pallet's in-code `StorageVersion` against
//!    the on-chain one, the whole state decoded with the new types, and every pallet's
//!    `try_state`;
//! 3. checks that the migrations' weight fits in a block.
//!
//! Exit status 0 when every check passes. Logs with `RUST_LOG` (default `info`).

use llmnet_runtime::{Block, Executive, Runtime, VERSION};
use polkadot_sdk::{
	frame_remote_externalities::{Builder, Mode, OnlineConfig},
	frame_support::weights::Weight,
	frame_try_runtime::UpgradeCheckSelect,
	sp_tracing,
};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
	if std::env::var("RUST_LOG").is_err() {
		std::env::set_var("RUST_LOG", "info");
	}
	sp_tracing::try_init_simple();
	let Some(uri) = std::env::args().nth(1) else {
		eprintln!("usage: llmnet-try-runtime ws://HOST:PORT");
		return ExitCode::from(2);
	};
	match check(uri).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("try-runtime: FAILED: {e}");
			ExitCode::FAILURE
		}
	}
}

async fn check(uri: String) -> Result<(), String> {
	let mut ext = Builder::<Block>::new()
		.mode(Mode::Online(OnlineConfig::from(uri.clone())))
		.build()
		.await
		.map_err(|e| format!("state of {uri}: {e}"))?;
	let at = ext.header.clone();
	ext.execute_with(|| {
		let last = polkadot_sdk::frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.ok_or("the chain has no LastRuntimeUpgrade")?;
		let on_chain = last.spec_version.0;
		println!(
			"try-runtime: live state of {uri} at #{} (spec_version {on_chain}); this runtime: \
			 spec_version {}",
			at.number, VERSION.spec_version
		);
		if VERSION.spec_version <= on_chain {
			return Err(format!(
				"spec_version {} is not above the chain's {on_chain}: the upgrade would not run \
				 the migrations",
				VERSION.spec_version
			));
		}
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.map_err(|e| format!("on_runtime_upgrade checks: {e:?}"))?;
		let max: Weight =
			<Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get().max_block;
		println!(
			"try-runtime: migrations, storage versions, state decoding and try_state passed; \
			 upgrade weight {} ps / {} bytes (block limit {} ps / {} bytes)",
			weight.ref_time(),
			weight.proof_size(),
			max.ref_time(),
			max.proof_size()
		);
		if weight.any_gt(max) {
			return Err("the migrations do not fit in one block".into());
		}
		Ok(())
	})
}
