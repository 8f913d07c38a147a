//! Exposes the git commit hash as `SUBSTRATE_CLI_COMMIT_HASH` and rebuilds on git changes.

use polkadot_sdk::substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	generate_cargo_keys();
	rerun_if_git_head_changed();
}
