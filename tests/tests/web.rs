//! End-to-end: the web app (`web/`) in a real browser, and the requester command line
//! (`scripts/llmnet`). This test starts what a person would run
//! next to it (a dev node with off-chain workers, the simulator personas 0.9 .. 0.1 as the five
//! providers' LLMs), then runs the app's Playwright tests (`web/e2e/app.spec.ts`: ask as Alice
//! and watch the query settle, the leaderboard, a delegation, a precise error), which drive
//! Debian's `chromium`. Needs `npm ci` in `web/` and chromium (`./scripts/setup.sh` installs
//! both); it fails, rather than skips, when they are missing.

use llmnet_e2e::providers;
use std::{path::PathBuf, process::Command};

/// The checkout's `web/` (`$LLMNET_ROOT/web` when set: a test binary reused from another clone
/// keeps its build-time manifest path).
fn web_dir() -> PathBuf {
	std::env::var("LLMNET_ROOT")
		.map(PathBuf::from)
		.unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."))
		.join("web")
}

#[test]
fn the_web_app_in_a_browser() {
	let web = web_dir();
	assert!(
		web.join("node_modules/@playwright/test").exists(),
		"{}: run `npm ci` there (./scripts/setup.sh does)",
		web.display()
	);
	let net = providers::SimNode::start(&[]).with_personas();
	let node = &net.node;
	let status = Command::new("npx")
		.args(["playwright", "test"])
		.current_dir(&web)
		.env("LLMNET_RPC", format!("ws://127.0.0.1:{}", node.rpc_port))
		.env("LLMNET_WEB_PORT", llmnet_e2e::node::free_port().to_string())
		.status()
		.expect("npx runs (node and npm installed)");
	assert!(
		status.success(),
		"the browser tests failed (screenshots and traces in {}/test-results)\n{}",
		web.display(),
		node.log_tail(40)
	);

	// The requester command line on the same chain: submits as Bob, follows, prints.
	let rpc = format!("ws://127.0.0.1:{}", node.rpc_port);
	let llmnet = web.join("../scripts/llmnet");
	let out = Command::new(&llmnet)
		.args(["query", "What is 6 x 7?", "--domain", "general", "--budget", "100"])
		.args(["--account", "//Bob", "--respondents", "4", "--rpc", &rpc])
		.output()
		.expect("scripts/llmnet runs");
	let stdout = String::from_utf8_lossy(&out.stdout);
	let stderr = String::from_utf8_lossy(&out.stderr);
	println!("{stderr}{stdout}");
	assert!(out.status.success(), "llmnet query failed\n{stderr}{stdout}");
	for line in ["phase: Settled", "consensus: 42", "candidates (Bradley-Terry share):", "payouts:"]
	{
		assert!(stdout.contains(line), "no {line:?} in llmnet's report:\n{stdout}");
	}
	// Its JSON form, read back by id.
	let id = stderr
		.lines()
		.find_map(|l| l.strip_prefix("query ").and_then(|r| r.split(' ').next()))
		.and_then(|n| n.parse::<u64>().ok())
		.unwrap_or_else(|| panic!("no query id in {stderr}"));
	let show = Command::new(&llmnet)
		.args(["show", &id.to_string(), "--json", "--rpc", &rpc])
		.output()
		.expect("scripts/llmnet runs");
	let json: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap_or_else(|e| {
		panic!("llmnet show --json: {e}: {}", String::from_utf8_lossy(&show.stdout))
	});
	assert_eq!(json["id"], id);
	assert!(json["transcript"]["judgements"].as_array().is_some_and(|j| !j.is_empty()), "{json}");
	// A bad flag is refused with the flag's name, before anything is signed.
	let bad = Command::new(&llmnet)
		.args(["query", "x", "--budget", "ten", "--rpc", &rpc])
		.output()
		.expect("scripts/llmnet runs");
	assert!(!bad.status.success());
	assert!(String::from_utf8_lossy(&bad.stderr).contains("--budget"));
}
