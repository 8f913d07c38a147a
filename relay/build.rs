//! Exposes `SUBSTRATE_CLI_COMMIT_HASH` (the workers report it; the node checks it matches its own)
//! and rebuilds when the git head changes, as the `polkadot` crate's build script does.

use polkadot_sdk::substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	generate_cargo_keys();
	rerun_if_git_head_changed();
}
