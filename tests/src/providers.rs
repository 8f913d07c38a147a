//! Give a node the dev providers' `llmn` keys and LLM endpoints (what
//! `scripts/provider-setup.sh` does for one provider), and a query client.

use crate::{chain::Chain, keys::DevKey, node::Node, rpc::Rpc, value::Value, Result};
use codec::Encode;
use serde_json::json;
use std::{
	thread::sleep,
	time::{Duration, Instant},
};

/// The providers of the development preset and their simulator personas.
pub const PERSONAS: [(&str, &str); 5] = [
	("Bob", "sim-persona-0.9"),
	("Charlie", "sim-persona-0.7"),
	("Dave", "sim-persona-0.5"),
	("Eve", "sim-persona-0.3"),
	("Ferdie", "sim-persona-0.1"),
];

/// Domain `general` of the development preset (all five providers).
pub const GENERAL: u32 = 5;

fn hex(b: &[u8]) -> String {
	format!("0x{}", hex::encode(b))
}

/// SCALE of `llmnet_ocw::EndpointConfig`. Simulator personas are deterministic anyway
/// (temperature 0); real models sample at 0.7 so respondents do not all say the same.
pub fn endpoint(base_url: &str, model: &str, timeout_ms: u64) -> Vec<u8> {
	let temperature_milli: u32 = if model.starts_with("sim-") { 0 } else { 700 };
	(
		base_url.as_bytes().to_vec(),
		model.as_bytes().to_vec(),
		Vec::<u8>::new(),
		timeout_ms,
		256u32,
		temperature_milli,
	)
		.encode()
}

/// Insert the `llmn` key of `//name` and store its endpoint in persistent offchain storage.
pub fn configure(
	rpc: &Rpc,
	name: &str,
	base_url: &str,
	model: &str,
	timeout_ms: u64,
) -> Result<()> {
	let key = DevKey::new(name);
	rpc.call("author_insertKey", json!(["llmn", format!("//{name}"), hex(&key.account())]))?;
	let mut storage_key = b"llmnet::endpoint::".to_vec();
	storage_key.extend_from_slice(&key.account());
	let value = endpoint(base_url, model, timeout_ms);
	rpc.call("offchain_localStorageSet", json!(["PERSISTENT", hex(&storage_key), hex(&value)]))?;
	// The simulator serves task documents from loopback, which validators refuse unless the
	// node's operator allows it.
	let allow = vec![b"127.0.0.1".to_vec()].encode();
	rpc.call(
		"offchain_localStorageSet",
		json!(["PERSISTENT", hex(b"llmnet::spec-hosts"), hex(&allow)]),
	)?;
	Ok(())
}

/// SCALE `QueryParams`: `mode` bytes (`[1]` Swarm, `[2, rounds]` Debate), counts, a
/// selection phase of `selecting` blocks and other phases of `phase` blocks, default shares,
/// proportional payout, Bradley-Terry, threshold 50 %, and a coordinator (`None`: automatic
/// selection at the end of the selection phase).
pub fn params(
	mode: &[u8],
	(respondents, extra, validators): (u8, u8, u8),
	selecting: u32,
	phase: u32,
	coordinator: Option<[u8; 32]>,
) -> Vec<u8> {
	let mut p = mode.to_vec();
	(respondents, extra, validators).encode_to(&mut p);
	selecting.encode_to(&mut p);
	[phase; 5].iter().for_each(|l| l.encode_to(&mut p));
	[50_000_000u32, 100_000_000, 150_000_000, 700_000_000].encode_to(&mut p);
	(0u8, 0u8, 50u8).encode_to(&mut p);
	coordinator.encode_to(&mut p);
	p
}

/// `who` creates a query in `domain`; its id.
pub fn create_query(
	chain: &Chain,
	who: &DevKey,
	domain: u32,
	prompt: &str,
	params: Vec<u8>,
	budget: u128,
) -> Result<u64> {
	let mut args = domain.encode();
	prompt.as_bytes().to_vec().encode_to(&mut args);
	args.extend(params);
	budget.encode_to(&mut args);
	let call = chain.call("LlmnetQueryContracts", "create_query", &args)?;
	// 60 s: five 12 s parachain blocks (one collator may be restarting on the network).
	let inc = chain.sign_and_submit(who, &call, Duration::from_secs(60))?;
	let ev = inc
		.event("LlmnetQueryContracts", "QueryCreated")
		.ok_or_else(|| format!("no QueryCreated: {:?}", inc.events))?;
	ev.field("query").and_then(|v| v.as_u128()).map(|v| v as u64).ok_or("no query id".into())
}

/// The `QueryView` of `id`.
pub fn query_view(chain: &Chain, id: u64) -> Result<Value> {
	let v = chain.runtime_api("LlmnetQueryApi", "query", &id.encode())?;
	v.at(0).cloned().ok_or_else(|| format!("no query {id}"))
}

/// The phase name of a view.
pub fn phase_name(view: &Value) -> String {
	view.field("phase").and_then(|p| p.variant_name()).unwrap_or("?").to_string()
}

/// Follow `id` until it is settled or expired, calling `on_change` with each new view whose
/// phase (or debate round) differs from the last; the final view.
pub fn follow(
	chain: &Chain,
	id: u64,
	limit: Duration,
	mut on_change: impl FnMut(&Value),
) -> Result<Value> {
	let start = Instant::now();
	let mut last = String::new();
	loop {
		let view = query_view(chain, id)?;
		let phase = view.field("phase").map(|p| format!("{p:?}")).unwrap_or_default();
		if phase != last {
			on_change(&view);
			last = phase;
		}
		let name = phase_name(&view);
		if name == "Settled" || name == "Expired" {
			return Ok(view);
		}
		if start.elapsed() > limit {
			return Err(format!("query {id} stuck in {name}"));
		}
		sleep(Duration::from_millis(250));
	}
}

/// Text of a byte field.
pub fn text(v: Option<&Value>) -> String {
	v.and_then(|b| b.as_bytes())
		.map(|b| String::from_utf8_lossy(b).into_owned())
		.unwrap_or_default()
}

/// What a node registers with: provider, trainer and validator roles.
pub type Roles = (bool, bool, bool);
/// The provider role alone.
pub const PROVIDER: Roles = (true, false, false);
/// The validator role alone.
pub const VALIDATOR: Roles = (false, false, true);

/// Governance (`sudo`, signed by `root`) registers domain `name`; its id.
pub fn register_domain(chain: &Chain, root: &DevKey, name: &str) -> Result<u32> {
	let inner =
		chain.call("LlmnetStaking", "register_domain", &name.as_bytes().to_vec().encode())?;
	let inc = chain.sign_and_submit(root, &chain.call("Sudo", "sudo", &inner)?, SUBMIT)?;
	let ev = inc
		.event("LlmnetStaking", "DomainRegistered")
		.ok_or_else(|| format!("no DomainRegistered: {:?}", inc.events))?;
	ev.field("domain").and_then(|v| v.as_u128()).map(|v| v as u32).ok_or("no domain id".into())
}

/// `funder` sends each of `nodes` (dev-key name, model, bond) `funds`, then each registers
/// itself with `roles` in `domain` (all in batches, a block or two each); their keys.
pub fn register_nodes(
	chain: &Chain,
	funder: &DevKey,
	funds: u128,
	roles: Roles,
	domain: u32,
	nodes: &[(&str, &str, u128)],
) -> Result<Vec<DevKey>> {
	let keys: Vec<DevKey> = nodes.iter().map(|(n, _, _)| DevKey::new(n)).collect();
	let mut funding = Vec::new();
	for k in &keys {
		let mut args = vec![0u8];
		args.extend_from_slice(&k.account());
		codec::Compact(funds).encode_to(&mut args);
		funding.push((funder, chain.call("Balances", "transfer_keep_alive", &args)?));
	}
	for inc in chain.submit_batch(&funding, SUBMIT)? {
		if !inc.succeeded() {
			return Err(format!("funding failed: {:?}", inc.events));
		}
	}
	let mut registering = Vec::new();
	for (k, (_, model, bond)) in keys.iter().zip(nodes) {
		let args = (roles, vec![domain], model.as_bytes().to_vec(), b"".to_vec(), *bond).encode();
		registering.push((k, chain.call("LlmnetStaking", "register", &args)?));
	}
	for inc in chain.submit_batch(&registering, SUBMIT)? {
		if inc.event("LlmnetStaking", "NodeRegistered").is_none() {
			return Err(format!("registration failed: {:?}", inc.events));
		}
	}
	Ok(keys)
}

/// How long a set-up transaction may take to land (a few dev blocks).
const SUBMIT: Duration = Duration::from_secs(60);

/// A dev node (1-second blocks, off-chain workers on every block) and the simulator its
/// workers call: where the end-to-end tests of the workers start.
pub struct SimNode {
	/// The simulator's base URL (`http://127.0.0.1:port`).
	pub sim: String,
	/// The node.
	pub node: Node,
}

impl SimNode {
	/// Start the simulator and the node, with `flags` added to the node's command line (log
	/// targets); panics when either fails (a test helper).
	pub fn start(flags: &[&str]) -> SimNode {
		let (addr, _server) = llmnet_sim::spawn("127.0.0.1:0").expect("simulator listens");
		let mut args = vec!["--offchain-worker", "always"];
		args.extend_from_slice(flags);
		let node = Node::dev(1000, &args).unwrap_or_else(|e| panic!("node: {e}"));
		SimNode { sim: format!("http://{addr}"), node }
	}

	/// Give the node the five dev providers' `llmn` keys, each calling its persona
	/// ([`PERSONAS`]).
	pub fn with_personas(self) -> SimNode {
		for (name, model) in PERSONAS {
			configure(&self.node.rpc, name, &self.sim, model, 10_000)
				.unwrap_or_else(|e| panic!("configure {name}: {e}"));
		}
		self
	}

	/// A client of the node; panics with the node's log when it cannot connect.
	pub fn connect(&self) -> Chain<'_> {
		Chain::connect(&self.node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", self.node.log_tail(40)))
	}
}
