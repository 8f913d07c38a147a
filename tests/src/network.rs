//! The test network of `scripts/test-network.sh` (`zombienet/llmnet-network.toml`, started by
//! the zombienet CLI): its nodes by name and RPC port, what the relay chain says about the
//! parachain, and killing and restarting a node's process as an operator's crash and restart
//! would (SIGKILL, then the same command line, base path, keystore and ports).

use crate::{
	chain::{storage_prefix, twox_64, Chain},
	keys::blake2_256,
	rpc::Rpc,
	Result,
};
use codec::{Compact, Decode, Encode};
use serde_json::json;
use std::{
	path::PathBuf,
	process::{Command, Stdio},
	thread::sleep,
	time::{Duration, Instant},
};

/// The parachain id of the network.
pub const PARA_ID: u32 = 1000;

/// A node of the network: its zombienet name and RPC port.
#[derive(Clone, Copy, Debug)]
pub struct NetNode {
	/// The name zombienet gave it (`--name`).
	pub name: &'static str,
	/// Its RPC port on localhost.
	pub port: u16,
}

impl NetNode {
	/// An RPC client for it.
	pub fn rpc(&self) -> Rpc {
		Rpc::new(self.port)
	}
}

/// The relay chain validators.
pub const RELAY: [NetNode; 2] =
	[NetNode { name: "alice", port: 9900 }, NetNode { name: "bob", port: 9901 }];
/// The parachain collators.
pub const COLLATORS: [NetNode; 2] =
	[NetNode { name: "collator-alice", port: 9910 }, NetNode { name: "collator-bob", port: 9911 }];
/// The providers' full nodes (not collators), one per operator.
pub const PROVIDER_NODES: [NetNode; 3] = [
	NetNode { name: "provider-1", port: 9920 },
	NetNode { name: "provider-2", port: 9921 },
	NetNode { name: "provider-3", port: 9922 },
];

/// Every parachain node.
pub fn para_nodes() -> Vec<NetNode> {
	COLLATORS.iter().chain(PROVIDER_NODES.iter()).copied().collect()
}

/// The zombienet directory of the running network (`$LLMNET_NETWORK_DIR`): node logs are
/// `<dir>/<name>.log`.
pub fn dir() -> Result<PathBuf> {
	std::env::var_os("LLMNET_NETWORK_DIR").map(PathBuf::from).ok_or_else(|| {
		"LLMNET_NETWORK_DIR is not set: start the network with scripts/test-network.sh".into()
	})
}

/// Best and finalized block numbers of a node.
pub fn heights(rpc: &Rpc) -> Result<(u64, u64)> {
	Ok((rpc.best_number()?, rpc.finalized_number()?))
}

/// Wait until `cond(best, finalized)` holds on `rpc`; the heights then.
pub fn wait_heights(
	rpc: &Rpc,
	what: &str,
	timeout: Duration,
	cond: impl Fn(u64, u64) -> bool,
) -> Result<(u64, u64)> {
	let start = Instant::now();
	let mut last = None;
	loop {
		if let Ok(h) = heights(rpc) {
			if cond(h.0, h.1) {
				return Ok(h);
			}
			last = Some(h);
		}
		if start.elapsed() > timeout {
			return Err(format!("{what}: not after {timeout:?} (last best/finalized {last:?})"));
		}
		sleep(Duration::from_secs(1));
	}
}

/// The parachain head the relay chain holds for `para` at relay block `at`: its number and
/// hash (the parachain block hash is `blake2_256` of the head data, the encoded header).
pub fn relay_para_head(relay: &Chain, para: u32, at: &str) -> Result<Option<(u64, String)>> {
	let mut key = storage_prefix("Paras", "Heads");
	key.extend_from_slice(&twox_64(&para.encode()));
	key.extend_from_slice(&para.encode());
	let Some(raw) = relay.storage(&key, Some(at))? else { return Ok(None) };
	let head = Vec::<u8>::decode(&mut &raw[..]).map_err(|e| format!("HeadData: {e}"))?;
	// Header: parent hash (32 bytes), then the compact block number.
	let mut rest = head.get(32..).ok_or("head data shorter than a header")?;
	let n = Compact::<u32>::decode(&mut rest).map_err(|e| format!("head number: {e}"))?.0;
	Ok(Some((u64::from(n), format!("0x{}", hex::encode(blake2_256(&head))))))
}

/// The process of the node named `name` (found by its `--name` argument): pid, command line
/// and working directory.
#[derive(Clone, Debug)]
pub struct Process {
	/// Its pid.
	pub pid: u32,
	/// Its executable (absolute: the command line may name it through `PATH`).
	pub exe: PathBuf,
	/// Its command line.
	pub argv: Vec<String>,
	/// Its working directory.
	pub cwd: PathBuf,
}

/// The running process of node `name`, if any.
pub fn process_of(name: &str) -> Result<Option<Process>> {
	let entries = std::fs::read_dir("/proc").map_err(|e| format!("/proc: {e}"))?;
	for entry in entries.flatten() {
		let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
			continue;
		};
		let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else { continue };
		let argv: Vec<String> = raw
			.split(|b| *b == 0)
			.filter(|a| !a.is_empty())
			.map(|a| String::from_utf8_lossy(a).into_owned())
			.collect();
		let named = argv.windows(2).any(|w| w[0] == "--name" && w[1] == name);
		let is_node =
			argv.first().is_some_and(|a| a.ends_with("llmnet-node") || a.ends_with("polkadot"));
		if named && is_node {
			let cwd = std::fs::read_link(entry.path().join("cwd")).unwrap_or_else(|_| "/".into());
			let exe = std::fs::read_link(entry.path().join("exe"))
				.map_err(|e| format!("/proc/{pid}/exe: {e}"))?;
			return Ok(Some(Process { pid, exe, argv, cwd }));
		}
	}
	Ok(None)
}

/// Kill node `name` with SIGKILL (a crash: no clean shutdown) and wait until it is gone; the
/// process as it was, for [`restart`].
pub fn kill(name: &str) -> Result<Process> {
	let p = process_of(name)?.ok_or_else(|| format!("no running process for node {name}"))?;
	let status = Command::new("kill")
		.args(["-9", &p.pid.to_string()])
		.status()
		.map_err(|e| format!("kill: {e}"))?;
	if !status.success() {
		return Err(format!("kill -9 {} ({name}) failed", p.pid));
	}
	let start = Instant::now();
	// A reaped process has no /proc entry; a zombie has an empty command line.
	while std::fs::read(format!("/proc/{}/cmdline", p.pid)).is_ok_and(|c| !c.is_empty()) {
		if start.elapsed() > Duration::from_secs(30) {
			return Err(format!("{name} ({}) still running 30 s after SIGKILL", p.pid));
		}
		sleep(Duration::from_millis(200));
	}
	Ok(p)
}

/// Start a killed node again with its command line and working directory, in its own process
/// group (it outlives the test; `scripts/test-network.sh` stops it), appending to its log
/// `<network dir>/<name>.log`; waits until its RPC answers.
pub fn restart(name: &str, p: &Process, rpc: &Rpc) -> Result<u32> {
	use std::os::unix::process::CommandExt;
	let log_path = dir()?.join(format!("{name}.log"));
	let log = std::fs::OpenOptions::new()
		.create(true)
		.append(true)
		.open(&log_path)
		.map_err(|e| format!("{}: {e}", log_path.display()))?;
	let err = log.try_clone().map_err(|e| e.to_string())?;
	let args = p.argv.get(1..).unwrap_or_default();
	let child = Command::new(&p.exe)
		.args(args)
		.current_dir(&p.cwd)
		.stdin(Stdio::null())
		.stdout(Stdio::from(log))
		.stderr(Stdio::from(err))
		.process_group(0)
		.spawn()
		.map_err(|e| format!("restarting {name}: {e}"))?;
	let start = Instant::now();
	while rpc.call("system_health", json!([])).is_err() {
		if start.elapsed() > Duration::from_secs(120) {
			return Err(format!("{name}: RPC not up 120 s after restart"));
		}
		sleep(Duration::from_millis(500));
	}
	Ok(child.id())
}

/// Resident memory of node `name`'s process in KiB (`VmRSS`).
pub fn rss_kib(name: &str) -> Option<u64> {
	let p = process_of(name).ok()??;
	let status = std::fs::read_to_string(format!("/proc/{}/status", p.pid)).ok()?;
	status
		.lines()
		.find(|l| l.starts_with("VmRSS:"))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
}

/// The last `lines` lines of node `name`'s log.
pub fn log_tail(name: &str, lines: usize) -> String {
	let Ok(path) = dir().map(|d| d.join(format!("{name}.log"))) else { return String::new() };
	let text = std::fs::read_to_string(&path).unwrap_or_default();
	let all: Vec<&str> = text.lines().collect();
	all[all.len().saturating_sub(lines)..].join("\n")
}
