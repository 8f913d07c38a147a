//! Start and stop a real `llmnet-node`.

use crate::{rpc::Rpc, Result};
use serde_json::json;
use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	thread::sleep,
	time::{Duration, Instant},
};

/// Path of the node binary: `$LLMNET_NODE`, else `$CARGO_TARGET_DIR/release/llmnet-node`,
/// else `target/release/llmnet-node` at the workspace root.
pub fn node_binary() -> PathBuf {
	if let Ok(p) = std::env::var("LLMNET_NODE") {
		return PathBuf::from(p);
	}
	let target = std::env::var("CARGO_TARGET_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
	target.join("release/llmnet-node")
}

/// A free TCP port on localhost.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the OS hands out a free port")
}

/// A running node, killed on drop.
pub struct Node {
	child: Child,
	/// Its RPC client.
	pub rpc: Rpc,
	/// The RPC port.
	pub rpc_port: u16,
	/// Its base path (removed on drop).
	pub base_path: PathBuf,
	/// Its log file.
	pub log_path: PathBuf,
	/// The arguments it was started with (for `restart`).
	args: Vec<String>,
}

impl Node {
	/// Start `llmnet-node --dev` with `extra` arguments and a block every `block_ms` ms, then
	/// wait until its RPC answers. Fails with the log tail if it exits or does not answer.
	pub fn dev(block_ms: u64, extra: &[&str]) -> Result<Self> {
		let bin = node_binary();
		if !bin.exists() {
			return Err(format!(
				"node binary {} not found: build it with `cargo build --release -p llmnet-node` \
				 or set LLMNET_NODE",
				bin.display()
			));
		}
		let rpc_port = free_port();
		let p2p_port = free_port();
		let dir =
			std::env::temp_dir().join(format!("llmnet-e2e-{}-{rpc_port}", std::process::id()));
		std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
		let log_path = dir.join("node.log");
		let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
		let block_time = block_ms.to_string();
		let rpc_port_s = rpc_port.to_string();
		let p2p_port_s = p2p_port.to_string();
		let base = dir.join("base");
		let mut args = vec![
			"--dev",
			"--dev-block-time",
			&block_time,
			"--base-path",
			base.to_str().unwrap_or_default(),
			"--rpc-port",
			&rpc_port_s,
			"--port",
			&p2p_port_s,
			"--no-prometheus",
			"--no-telemetry",
			"--no-mdns",
			"--rpc-methods",
			"unsafe",
		];
		args.extend_from_slice(extra);
		let args: Vec<String> = args.into_iter().map(str::to_string).collect();
		let child = Command::new(&bin)
			.args(&args)
			.stdout(Stdio::null())
			.stderr(Stdio::from(log))
			.spawn()
			.map_err(|e| format!("starting {}: {e}", bin.display()))?;
		let mut node =
			Node { child, rpc: Rpc::new(rpc_port), rpc_port, base_path: dir, log_path, args };
		node.wait_rpc(Duration::from_secs(120))?;
		Ok(node)
	}

	/// Kill the node (SIGKILL, no clean shutdown) and start it again with the same arguments,
	/// base path (database, keystore, offchain storage) and ports; the log is appended to.
	pub fn restart(&mut self) -> Result<()> {
		self.stop();
		let log = std::fs::OpenOptions::new()
			.append(true)
			.open(&self.log_path)
			.map_err(|e| e.to_string())?;
		let bin = node_binary();
		self.child = Command::new(&bin)
			.args(&self.args)
			.stdout(Stdio::null())
			.stderr(Stdio::from(log))
			.spawn()
			.map_err(|e| format!("restarting {}: {e}", bin.display()))?;
		self.wait_rpc(Duration::from_secs(120))
	}

	fn wait_rpc(&mut self, timeout: Duration) -> Result<()> {
		let start = Instant::now();
		loop {
			if let Ok(Some(status)) = self.child.try_wait() {
				return Err(format!("node exited with {status}\n{}", self.log_tail(60)));
			}
			if self.rpc.call("system_health", json!([])).is_ok() {
				return Ok(());
			}
			if start.elapsed() > timeout {
				return Err(format!("node RPC not up after {timeout:?}\n{}", self.log_tail(60)));
			}
			sleep(Duration::from_millis(250));
		}
	}

	/// The best block number.
	pub fn best_number(&self) -> Result<u64> {
		self.rpc.best_number()
	}

	/// The finalized block number.
	pub fn finalized_number(&self) -> Result<u64> {
		self.rpc.finalized_number()
	}

	/// Wait until the best block is at least `n`; fails with the log tail on timeout.
	pub fn wait_for_block(&mut self, n: u64, timeout: Duration) -> Result<u64> {
		let start = Instant::now();
		loop {
			if let Ok(Some(status)) = self.child.try_wait() {
				return Err(format!("node exited with {status}\n{}", self.log_tail(60)));
			}
			if let Ok(best) = self.best_number() {
				if best >= n {
					return Ok(best);
				}
			}
			if start.elapsed() > timeout {
				return Err(format!(
					"no block #{n} after {timeout:?} (best: {:?})\n{}",
					self.best_number(),
					self.log_tail(60)
				));
			}
			sleep(Duration::from_millis(200));
		}
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
		let all: Vec<_> = log.lines().collect();
		let from = all.len().saturating_sub(lines);
		format!(
			"--- last {} lines of {} ---\n{}",
			all.len() - from,
			self.log_path.display(),
			all[from..].join("\n")
		)
	}

	/// Resident memory of the node process in KiB (from `/proc`), if available.
	pub fn rss_kib(&self) -> Option<u64> {
		let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
		status
			.lines()
			.find(|l| l.starts_with("VmRSS:"))
			.and_then(|l| l.split_whitespace().nth(1))
			.and_then(|v| v.parse().ok())
	}

	/// Stop the node (SIGKILL) and wait for it.
	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
		if std::env::var("LLMNET_KEEP_NODE_DIR").is_err() {
			let _ = std::fs::remove_dir_all(&self.base_path);
		}
	}
}
