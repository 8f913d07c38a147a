//! End-to-end on a real network: the relay chain (rococo-local validators alice and bob), the
//! LLM-Net parachain with collators `collator-alice` and `collator-bob`, and three provider
//! nodes that are not collators, each hosting only its own operator's provider keys and
//! pointed at its own simulator. Started by `scripts/test-network.sh` (zombienet); ignored by
//! a plain `cargo test`.
//!
//! One test, in the order a deployer meets things:
//! 1. the parachain is onboarded at genesis; its blocks are backed and included by the relay
//!    chain, and the head the relay chain finalized is a block of the parachain;
//! 2. the operators register their providers (bonds from their own accounts), the deployer
//!    (sudo) marks them capable, each operator's node gets its keys and endpoint;
//! 3. the deployer upgrades the runtime the network was launched with (the released
//!    `spec_version` 1, `runtime/releases/`) to this tree's, with a delegation pool and an
//!    undelegation on chain for the staking migrations to translate: try-runtime against the
//!    live state first, then `authorize_upgrade` (sudo) + `apply_authorized_upgrade`; a Debate
//!    query created before the upgrade settles after it;
//! 4. the query market's draws come from the relay chain's randomness (read from the relay
//!    state proof); a Swarm query and a Debate query answered, judged and validated from three nodes settle
//!    with no manual step, and every node reports the same outcome at the same block;
//! 5. a collator is killed: the other keeps producing blocks; restarted, it syncs and authors
//!    again;
//! 6. a provider node is killed mid-query: the query still ends, and the node catches up when
//!    it is restarted.

use codec::{Compact, Encode};
use llmnet_e2e::{
	chain::Chain,
	demo::{self, Options},
	keys::DevKey,
	network::{self, NetNode, COLLATORS, PARA_ID, PROVIDER_NODES, RELAY},
	providers,
	rpc::Rpc,
};
use serde_json::json;
use std::{
	collections::BTreeSet,
	thread::sleep,
	time::{Duration, Instant},
};

const UNIT: u128 = 1_000_000_000_000;
const T: Duration = Duration::from_secs(90);

/// A hosted account: name, simulator persona, validator only.
type Hosted = (&'static str, &'static str, bool);

/// One operator's node (index into `PROVIDER_NODES`) and the accounts it hosts.
const OPERATORS: [(usize, &[Hosted]); 3] = [
	(0, &[("Net9", "sim-persona-0.9", false), ("Net7", "sim-persona-0.7", false)]),
	(1, &[("Net5", "sim-persona-0.5", false), ("Net3", "sim-persona-0.3", false)]),
	(2, &[("Net1", "sim-persona-0.1", false), ("NetV", "sim-persona-0.9", true)]),
];

fn step(msg: &str) {
	eprintln!("\n=== {msg}");
}

fn hex(b: &[u8]) -> String {
	format!("0x{}", hex::encode(b))
}

fn finalized_hash(rpc: &Rpc) -> String {
	rpc.call("chain_getFinalizedHead", json!([])).unwrap().as_str().unwrap().to_string()
}

fn has_block(rpc: &Rpc, hash: &str) -> bool {
	rpc.call("chain_getHeader", json!([hash])).map(|h| !h.is_null()).unwrap_or(false)
}

/// Sudo `call` as Alice; fails unless `Sudo::Sudid` reports success.
fn sudo(chain: &Chain, inner: Vec<u8>) {
	let alice = DevKey::alice();
	let inc =
		chain.sign_and_submit(&alice, &chain.call("Sudo", "sudo", &inner).unwrap(), T).unwrap();
	let sudid = inc.event("Sudo", "Sudid").expect("Sudid");
	let ok = sudid.field("sudo_result").and_then(|r| r.variant_name()) == Some("Ok");
	assert!(ok, "sudo call failed: {sudid:?}");
}

/// Step 1: Onboarded at genesis; blocks backed, included and finalized by the relay chain.
fn parachain_is_finalized_by_the_relay_chain() {
	step("1. the parachain is onboarded at genesis and finalized by the relay chain");
	let relay = RELAY[0].rpc();
	let relay_chain = Chain::connect(&relay).unwrap();
	let collator = COLLATORS[0].rpc();
	let t0 = Instant::now();
	let (best, fin) = network::wait_heights(
		&collator,
		"parachain finalized block 3",
		Duration::from_secs(600),
		|_, f| f >= 3,
	)
	.unwrap_or_else(|e| panic!("{e}\n{}", network::log_tail(COLLATORS[0].name, 30)));
	eprintln!(
		"parachain best {best}, finalized {fin} ({:.0} s after the test started)",
		t0.elapsed().as_secs_f64()
	);

	// The head the relay chain finalized for para 1000 is a block of the parachain.
	let relay_fin = finalized_hash(&relay);
	let (n, hash) = network::relay_para_head(&relay_chain, PARA_ID, &relay_fin)
		.unwrap()
		.expect("the relay chain holds a head for para 1000 (onboarded at genesis)");
	let para_hash = collator.call("chain_getBlockHash", json!([n])).unwrap();
	assert_eq!(
		para_hash.as_str(),
		Some(hash.as_str()),
		"relay-finalized head #{n} is not the parachain's block #{n}"
	);
	assert!(n >= 2, "relay finalized only parachain block #{n}");
	eprintln!("relay finalized block {relay_fin} holds parachain head #{n} {hash}");

	// Candidates of the parachain are backed and included in relay blocks.
	let rbest = relay.best_number().unwrap();
	let (mut backed, mut included) = (0, 0);
	for b in rbest.saturating_sub(20)..=rbest {
		let h = relay.call("chain_getBlockHash", json!([b])).unwrap();
		for (_, pallet, ev) in relay_chain.events(h.as_str().unwrap()).unwrap() {
			if pallet == "ParaInclusion" {
				match ev.variant_name() {
					Some("CandidateBacked") => backed += 1,
					Some("CandidateIncluded") => included += 1,
					_ => {}
				}
			}
		}
	}
	eprintln!("last 20 relay blocks: {backed} candidates backed, {included} included");
	assert!(
		backed > 0 && included > 0,
		"no parachain candidate backed ({backed}) or included ({included})"
	);
}

/// Step 2: providers registered by their operators, made capable by the deployer, configured
/// on their own nodes only.
fn operators_bring_their_providers(chain: &Chain, sims: &[String]) {
	step("2. operators register providers; the deployer makes them capable; each node gets its own keys");
	let alice = DevKey::alice();
	// Fund the operators' accounts (on a real network they would buy or be sent tokens).
	let mut nonce = chain.nonce(&alice.account()).unwrap();
	let mut last = Vec::new();
	for (_, provs) in OPERATORS {
		for (name, _, _) in provs {
			let mut args = vec![0u8];
			args.extend(DevKey::new(name).account());
			Compact(2_000 * UNIT).encode_to(&mut args);
			let xt = chain
				.sign(&alice, &chain.call("Balances", "transfer_keep_alive", &args).unwrap(), nonce)
				.unwrap();
			chain.submit(&xt).unwrap();
			nonce += 1;
			last = xt;
		}
	}
	assert!(chain.wait_included(&last, T).unwrap().succeeded());

	for (node, provs) in OPERATORS {
		let rpc = PROVIDER_NODES[node].rpc();
		for (name, persona, validator_only) in provs {
			let key = DevKey::new(name);
			// register(roles, domains, model, description, bond): signed by the operator.
			let roles = if *validator_only { (false, false, true) } else { (true, false, false) };
			let mut args = roles.encode();
			vec![providers::GENERAL].encode_to(&mut args);
			persona.as_bytes().to_vec().encode_to(&mut args);
			format!("run by the operator of {}", PROVIDER_NODES[node].name)
				.into_bytes()
				.encode_to(&mut args);
			(1_000 * UNIT).encode_to(&mut args);
			// (Already registered when the test runs again on a kept network.)
			if bond_of(chain, &key.account()) == 0 {
				let inc = chain
					.sign_and_submit(
						&key,
						&chain.call("LlmnetStaking", "register", &args).unwrap(),
						T,
					)
					.unwrap();
				assert!(
					inc.event("LlmnetStaking", "NodeRegistered").is_some(),
					"{name} not registered: {:?}",
					inc.events
				);
			}
			// set_capability(who, domain, capable) by the deployer (sudo).
			let mut cap = key.account().to_vec();
			providers::GENERAL.encode_to(&mut cap);
			true.encode_to(&mut cap);
			sudo(chain, chain.call("LlmnetStaking", "set_capability", &cap).unwrap());
			// The key and the endpoint go into this operator's node only.
			providers::configure(&rpc, name, &sims[node], persona, 30_000).unwrap();
			eprintln!(
				"{name} ({persona}) registered, capable in `general`, hosted by {}",
				PROVIDER_NODES[node].name
			);
		}
	}
	// No node holds a key of another node's operator (author_hasKey on every parachain node).
	for (i, n) in network::para_nodes().iter().enumerate() {
		for (node, provs) in OPERATORS {
			for (name, _, _) in provs {
				let has = n
					.rpc()
					.call("author_hasKey", json!([hex(&DevKey::new(name).account()), "llmn"]))
					.unwrap();
				let expected = i >= COLLATORS.len() && i - COLLATORS.len() == node;
				assert_eq!(has.as_bool(), Some(expected), "{} holds {name}'s key: {has}", n.name);
			}
		}
	}
}

/// The node (index into PROVIDER_NODES) hosting `account`.
fn host_of(account: &[u8; 32]) -> Option<usize> {
	OPERATORS
		.iter()
		.find(|(_, provs)| provs.iter().any(|(n, _, _)| DevKey::new(n).account() == *account))
		.map(|(node, _)| *node)
}

/// The same raw answers of `calls` (runtime API function, SCALE args) at block `at` from
/// every parachain node.
fn same_on_every_node(at: &str, calls: &[(&str, Vec<u8>)]) {
	for n in network::para_nodes() {
		let rpc = n.rpc();
		let start = Instant::now();
		while !has_block(&rpc, at) {
			assert!(start.elapsed() < T, "{} does not have block {at}", n.name);
			sleep(Duration::from_secs(1));
		}
	}
	for (f, args) in calls {
		let answers: BTreeSet<Vec<u8>> = network::para_nodes()
			.iter()
			.map(|n| {
				n.rpc().state_call(f, args, Some(at)).unwrap_or_else(|e| panic!("{}: {e}", n.name))
			})
			.collect();
		assert_eq!(answers.len(), 1, "{f} differs between nodes at {at}");
	}
}

/// Step 3: A Swarm and a Debate query settle from three nodes; every node agrees.
fn queries_settle_across_nodes(chain: &Chain) {
	step("4. a Swarm and a Debate query settle; every node reports the same");
	let mut swarm = Options::new("What is 6 x 7?");
	swarm.validators = 1;
	swarm.phase_len = 20;
	swarm.limit = Duration::from_secs(600);
	let mut debate = Options::new("What is 6 x 7?");
	debate.debate = Some(2);
	// All five answer and debate, and each judges the pairs that do not hold its own answer:
	// with three respondents the two left to judge are the weakest personas, and the fit
	// follows them (docs/protocol-choices.md, "the demo query").
	debate.validators = 1;
	debate.phase_len = 20;
	debate.limit = Duration::from_secs(900);
	for (kind, opts) in [("Swarm", swarm), ("Debate", debate)] {
		let from = chain.best_number().unwrap();
		let o = demo::run(chain, &opts, |l| eprintln!("{l}")).unwrap();
		let to = chain.best_number().unwrap();
		eprintln!("{}", demo::report(&o));
		let phase = providers::phase_name(&o.view);
		assert_eq!(phase, "Settled", "{kind} query {} ended {phase}", o.id);
		assert!(!o.consensus.is_empty(), "{kind} query {} without consensus", o.id);
		let settled_at = o
			.view
			.field("finished")
			.and_then(|v| v.at(0).or(Some(v)))
			.and_then(|v| v.as_u128())
			.unwrap_or(0);
		let created_at = o.view.field("created").and_then(|v| v.as_u128()).unwrap_or(0);
		eprintln!(
			"{kind} query {}: {:.0} s, blocks {from}..{to} (created #{created_at}, settled #{settled_at}), consensus {:?}",
			o.id, o.seconds, o.consensus
		);
		// Who acted sits on three nodes: respondents, judges and the validator.
		let mut actors: Vec<[u8; 32]> = o.answers.iter().map(|(a, _)| *a).collect();
		actors.extend(o.judgements.iter().map(|j| j.judge));
		assert_eq!(o.validations.len(), 1, "{kind}: expected one validator's score");
		actors.extend(o.validations.iter().map(|(v, _)| *v));
		let nodes: BTreeSet<usize> = actors.iter().filter_map(host_of).collect();
		assert_eq!(nodes.len(), 3, "{kind}: actors on nodes {nodes:?}");

		// The same outcome, payouts and reputations from every node at one finalized block.
		let at_rpc = COLLATORS[1].rpc();
		network::wait_heights(&at_rpc, "settlement finalized", T, |_, f| f >= to).unwrap();
		let at = finalized_hash(&at_rpc);
		let mut calls = vec![
			("LlmnetQueryApi_query", o.id.encode()),
			("LlmnetStakingApi_nodes_in_domain", (providers::GENERAL, 0u32, 50u32).encode()),
			("LlmnetReputationApi_leaderboard", (providers::GENERAL, 0u8, 0u32, 50u32).encode()),
		];
		for (_, provs) in OPERATORS {
			for (name, _, _) in provs {
				calls.push(("AccountNonceApi_account_nonce", DevKey::new(name).account().encode()));
			}
		}
		same_on_every_node(&at, &calls);
		eprintln!("{kind}: query, stakes, reputations and nonces identical on all 5 parachain nodes at {at}");
	}
}

/// The runtime version at block `hash` (best block when `None`): spec_version.
fn spec_version_at(rpc: &Rpc, hash: Option<&str>) -> u64 {
	let params = match hash {
		Some(h) => json!([h]),
		None => json!([]),
	};
	let v = rpc.call("state_getRuntimeVersion", params).unwrap();
	v["specVersion"].as_u64().unwrap()
}

/// The on-chain `StorageVersion` of `pallet` (0 when never written).
fn storage_version(chain: &Chain, pallet: &str) -> u16 {
	let key = llmnet_e2e::chain::storage_prefix(pallet, ":__STORAGE_VERSION__:");
	let raw = chain.storage(&key, None).unwrap().unwrap_or_default();
	u16::from_le_bytes([raw.first().copied().unwrap_or(0), raw.get(1).copied().unwrap_or(0)])
}

/// Step 3: the deployer upgrades the running network's runtime; the staking migration
/// translates live pools and chunks; a query in flight across the upgrade settles. The new
/// spec_version.
fn the_runtime_is_upgraded_with_a_query_in_flight(chain: &Chain) -> u64 {
	step("3. runtime upgrade: try-runtime on the live state, authorize + apply, a query in flight");
	let wasm_path = std::env::var("LLMNET_UPGRADE_WASM")
		.expect("LLMNET_UPGRADE_WASM: the runtime to upgrade to (scripts/test-network.sh)");
	let try_runtime = std::env::var("LLMNET_TRY_RUNTIME")
		.expect("LLMNET_TRY_RUNTIME: the llmnet-try-runtime binary (scripts/test-network.sh)");
	let rpc = COLLATORS[1].rpc();
	let from_version = spec_version_at(&rpc, None);
	assert_eq!(from_version, 1, "the network must be launched with the released runtime");
	assert_eq!(storage_version(chain, "LlmnetStaking"), 0);

	// State for the migration: Dave delegates to Net9, then undelegates part (a pool with
	// an unbonding side and an undelegation chunk, both in the version 0 layout).
	let dave = DevKey::new("Dave");
	let net9 = DevKey::new("Net9").account();
	let mut args = net9.encode();
	Compact(50 * UNIT).encode_to(&mut args);
	let delegate = chain.call("LlmnetStaking", "delegate", &args).unwrap();
	let mut args = net9.encode();
	Compact(20 * UNIT).encode_to(&mut args);
	let undelegate = chain.call("LlmnetStaking", "undelegate", &args).unwrap();
	for inc in chain.submit_batch(&[(&dave, delegate), (&dave, undelegate)], T).unwrap() {
		assert!(inc.event("System", "ExtrinsicSuccess").is_some(), "{:?}", inc.events);
	}
	// Dave's positions and chunks, and Net9's pool as the node view reports it (not its live
	// assignments: the query below gives it one).
	let views = |c: &Chain| {
		let node = c.runtime_api("LlmnetStakingApi", "node", &net9.encode()).unwrap();
		let pool = ["bond", "delegated", "delegated_unbonding", "delegator_shares"]
			.map(|f| node.at(0).and_then(|n| n.field(f)).and_then(|v| v.as_u128()));
		(
			c.runtime_api("LlmnetStakingApi", "delegations_of", &dave.account().encode()).unwrap(),
			c.runtime_api("LlmnetStakingApi", "unbonding_of", &dave.account().encode()).unwrap(),
			pool,
		)
	};
	let before = views(chain);
	assert!(before.2.iter().all(|v| v.is_some()), "Net9's pool: {:?}", before.2);
	let best = chain.best_number().unwrap();
	network::wait_heights(&rpc, "delegation finalized", T, |_, f| f >= best).unwrap();

	// try-runtime: this tree's runtime and its migrations against the live state.
	let t = Instant::now();
	let out = std::process::Command::new(&try_runtime)
		.arg(format!("ws://127.0.0.1:{}", COLLATORS[1].port))
		.output()
		.unwrap();
	let text =
		format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	let lines: Vec<&str> = text
		.lines()
		.filter(|l| l.contains("try-runtime") || l.contains("_upgrade: ") || l.contains("✅"))
		.collect();
	eprintln!("{}", lines.join("\n"));
	assert!(out.status.success(), "try-runtime failed:\n{text}");
	eprintln!("try-runtime passed in {:.0} s", t.elapsed().as_secs_f64());

	// The deployer's upgrade: scripts/upgrade-runtime.mjs (polkadot.js) authorizes the code
	// hash with sudo, applies the code, and waits for the finalized block that enacts it. Once
	// the code is stored (the relay chain then pre-checks it, about 10 parachain blocks here),
	// a query is created: a five-round Debate, about 20 blocks, so it is in flight when the
	// new runtime takes over.
	let t = Instant::now();
	// The clone the test runs from (`scripts/env.sh` exports it): a test binary reused from
	// a clone elsewhere (one cargo target dir for every clone) keeps its build-time path.
	let root = std::env::var("LLMNET_ROOT")
		.unwrap_or_else(|_| format!("{}/..", env!("CARGO_MANIFEST_DIR")));
	let script = format!("{root}/scripts/upgrade-runtime.mjs");
	let mut child = std::process::Command::new("node")
		.args([&script, "--ws", &format!("ws://127.0.0.1:{}", COLLATORS[1].port)])
		.args(["--wasm", &wasm_path, "--suri", "//Alice"])
		.stdout(std::process::Stdio::piped())
		.spawn()
		.unwrap();
	let stdout = child.stdout.take().unwrap();
	let mut query = None;
	let mut upgraded_at = None;
	for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
		let line = line.unwrap();
		eprintln!("{line}");
		if line.contains("code stored") && query.is_none() {
			let mut opts = Options::new("What is 6 x 7?");
			opts.debate = Some(5);
			opts.validators = 1;
			opts.phase_len = 20;
			let id = opts.create(chain).unwrap();
			let created = chain.best_number().unwrap();
			eprintln!("query {id} created by #{created}");
			query = Some((id, created));
		}
		if let Some(rest) = line.split("enacted in block #").nth(1) {
			upgraded_at = rest.split_whitespace().next().and_then(|n| n.parse::<u64>().ok());
		}
	}
	assert!(child.wait().unwrap().success(), "scripts/upgrade-runtime.mjs failed");
	let (id, created) = query.expect("the script reported the stored code");
	let upgraded_at = upgraded_at.expect("the script names the block that enacted the upgrade");
	// Checked here, not taken from the script: the block before runs the old runtime, the
	// block itself the new one (both finalized).
	let at = |n: u64| {
		let h = rpc.call("chain_getBlockHash", json!([n])).unwrap();
		spec_version_at(&rpc, h.as_str())
	};
	let to_version = at(upgraded_at);
	assert_eq!(at(upgraded_at - 1), from_version);
	assert!(to_version > from_version, "spec_version {from_version} -> {to_version}");
	eprintln!(
		"spec_version {from_version} -> {to_version} at #{upgraded_at}, {:.0} s after the script started",
		t.elapsed().as_secs_f64()
	);

	// The migrations ran: StorageVersion 2 (v1: unbonding epochs; v2: the domains' node lists,
	// which every draw of the query market below reads), every value the same.
	let chain2 = Chain::connect(&rpc).unwrap();
	network::wait_heights(&rpc, "first block of the new runtime", T, |b, _| b > upgraded_at)
		.unwrap();
	assert_eq!(storage_version(&chain2, "LlmnetStaking"), 2, "the staking migrations did not run");
	let after = views(&chain2);
	assert_eq!(after, before, "the migration changed what Dave sees");
	assert!(after.2.iter().all(|v| v.is_some()), "Net9's pool: {:?}", after.2);
	eprintln!(
		"staking StorageVersion 0 -> 2; Dave's delegation, chunk and Net9's pool (bond, \
		 delegated, unbonding, shares {:?}) unchanged",
		after.2
	);

	// The query created before the upgrade settles after it.
	let view = providers::follow(&chain2, id, Duration::from_secs(900), |v| {
		eprintln!("[{:>6.1}s] {}", t.elapsed().as_secs_f64(), providers::phase_name(v))
	})
	.unwrap();
	let phase = providers::phase_name(&view);
	let settled = view
		.field("finished")
		.and_then(|v| v.at(0).or(Some(v)))
		.and_then(|v| v.as_u128())
		.unwrap_or(0) as u64;
	assert_eq!(phase, "Settled", "query {id} across the upgrade ended {phase}");
	assert!(
		created < upgraded_at && upgraded_at < settled,
		"query {id} was not in flight across the upgrade: created #{created}, upgrade \
		 #{upgraded_at}, settled #{settled}"
	);
	eprintln!(
		"query {id}: created #{created}, runtime upgraded #{upgraded_at}, settled #{settled} ({:?})",
		providers::text(
			view.field("consensus").and_then(|c| c.at(0)).and_then(|c| c.field("answer"))
		)
	);
	to_version
}

/// The query market's draws are seeded from the relay chain's randomness, which the runtime
/// reads from each block's verified relay state proof: present on the upgraded runtime, and
/// new with each relay parent (BABE's per-block VRF output), so no collator chooses it.
fn draws_use_the_relay_chains_randomness(chain: &Chain) {
	step("the query market draws from the relay chain's randomness");
	let rpc = &chain.rpc;
	let key = llmnet_e2e::chain::storage_prefix("LlmnetQueryContracts", "RelayRandomness");
	let at = |hash: &str| chain.storage(&key, Some(hash)).unwrap();
	let first = finalized_hash(rpc);
	let start = network::heights(rpc).unwrap().1;
	network::wait_heights(rpc, "two more finalized blocks", T, |_, f| f >= start + 2).unwrap();
	let second = finalized_hash(rpc);
	let (a, b) = (at(&first), at(&second));
	assert_eq!(a.as_ref().map(Vec::len), Some(32), "no relay randomness at {first}: {a:?}");
	assert_eq!(b.as_ref().map(Vec::len), Some(32), "no relay randomness at {second}: {b:?}");
	assert_ne!(a, b, "the relay randomness did not change from {first} to {second}");
	eprintln!("relay randomness {} at {first}, {} at {second}", hex(&a.unwrap()), hex(&b.unwrap()));
}

/// The Aura authority that authored block `hash` (slot from the pre-runtime digest).
fn author_slot(rpc: &Rpc, hash: &str) -> Option<u64> {
	let header = rpc.call("chain_getHeader", json!([hash])).ok()?;
	for log in header["digest"]["logs"].as_array()? {
		let raw = llmnet_e2e::rpc::decode_hex(log.as_str()?).ok()?;
		// DigestItem::PreRuntime = 6, engine id b"aura", then Vec<u8> holding the u64 slot.
		if raw.first() == Some(&6) && raw.get(1..5) == Some(b"aura") {
			let slot: [u8; 8] = raw.get(6..14)?.try_into().ok()?;
			return Some(u64::from_le_bytes(slot));
		}
	}
	None
}

/// Step 4: A collator killed: the other keeps going; restarted, it syncs and authors again.
fn a_collator_crashes_and_comes_back(chain: &Chain) {
	step("5. collator-alice is killed; collator-bob goes on; collator-alice restarts, syncs, authors");
	let alice_rpc = COLLATORS[0].rpc();
	let bob_rpc = COLLATORS[1].rpc();
	// Which Aura authority index is collator-alice's key (it is in its keystore only).
	let authorities_key = llmnet_e2e::chain::storage_prefix("Aura", "Authorities");
	let raw = chain.storage(&authorities_key, None).unwrap().expect("Aura authorities");
	let authorities = <Vec<[u8; 32]> as codec::Decode>::decode(&mut &raw[..]).unwrap();
	let mine: Vec<usize> = authorities
		.iter()
		.enumerate()
		.filter(|(_, k)| {
			alice_rpc.call("author_hasKey", json!([hex(&k[..]), "aura"])).unwrap().as_bool()
				== Some(true)
		})
		.map(|(i, _)| i)
		.collect();
	assert_eq!(
		mine.len(),
		1,
		"collator-alice holds {} of {} Aura keys",
		mine.len(),
		authorities.len()
	);
	let mine = mine[0];

	let killed = network::kill(COLLATORS[0].name).unwrap();
	let (b0, f0) = network::heights(&bob_rpc).unwrap();
	let t0 = Instant::now();
	let (b1, f1) = network::wait_heights(
		&bob_rpc,
		"3 blocks without collator-alice",
		Duration::from_secs(180),
		|b, f| b >= b0 + 3 && f > f0,
	)
	.unwrap_or_else(|e| panic!("{e}\n{}", network::log_tail(COLLATORS[1].name, 30)));
	eprintln!("collator-alice down: collator-bob went from best {b0}/finalized {f0} to {b1}/{f1} in {:.0} s", t0.elapsed().as_secs_f64());

	let t1 = Instant::now();
	network::restart(COLLATORS[0].name, &killed, &alice_rpc).unwrap();
	let target = network::heights(&bob_rpc).unwrap().0;
	network::wait_heights(&alice_rpc, "collator-alice synced", Duration::from_secs(300), |b, _| {
		b >= target
	})
	.unwrap_or_else(|e| panic!("{e}\n{}", network::log_tail(COLLATORS[0].name, 30)));
	eprintln!(
		"collator-alice restarted and synced to #{target} in {:.0} s",
		t1.elapsed().as_secs_f64()
	);
	// It authors again: a finalized block after the restart in one of its slots.
	let start = Instant::now();
	let n_auth = authorities.len() as u64;
	loop {
		let (_, fin) = network::heights(&bob_rpc).unwrap();
		let authored = (target + 1..=fin).find(|n| {
			let h = bob_rpc.call("chain_getBlockHash", json!([n])).unwrap();
			author_slot(&bob_rpc, h.as_str().unwrap_or_default()).map(|s| s % n_auth)
				== Some(mine as u64)
		});
		if let Some(n) = authored {
			eprintln!(
				"collator-alice authored finalized block #{n} after its restart ({:.0} s)",
				t1.elapsed().as_secs_f64()
			);
			break;
		}
		assert!(
			start.elapsed() < Duration::from_secs(300),
			"collator-alice authored nothing after restart\n{}",
			network::log_tail(COLLATORS[0].name, 40)
		);
		sleep(Duration::from_secs(3));
	}
}

/// The bond of `who` (`LlmnetStakingApi::node`).
fn bond_of(chain: &Chain, who: &[u8; 32]) -> u128 {
	let v = chain.runtime_api("LlmnetStakingApi", "node", &who.encode()).unwrap();
	v.at(0).and_then(|n| n.field("bond")).and_then(|b| b.as_u128()).unwrap_or(0)
}

/// Step 6: A provider node killed mid-query: the query still ends; the node catches up.
fn a_provider_node_crashes_mid_query(chain: &Chain) {
	step("6. provider-3 is killed mid-query; the query ends; provider-3 catches up");
	let mut opts = Options::new("What is 9 x 9?");
	opts.validators = 1;
	opts.phase_len = 10;
	let net1 = DevKey::new("Net1").account();
	let bond_before = bond_of(chain, &net1);
	let from = chain.best_number().unwrap();
	let id = opts.create(chain).unwrap();
	// Kill provider-3 once respondents are selected.
	let start = Instant::now();
	loop {
		let phase = providers::phase_name(&providers::query_view(chain, id).unwrap());
		if phase != "Selecting" {
			eprintln!("query {id} in {phase}: killing provider-3");
			break;
		}
		assert!(start.elapsed() < T, "query {id} never left Selecting");
		sleep(Duration::from_millis(500));
	}
	let node = PROVIDER_NODES[2];
	let killed = network::kill(node.name).unwrap();
	let view = providers::follow(chain, id, Duration::from_secs(600), |v| {
		eprintln!("[{:>6.1}s] {}", start.elapsed().as_secs_f64(), providers::phase_name(v))
	})
	.unwrap();
	let phase = providers::phase_name(&view);
	assert!(phase == "Settled" || phase == "Expired", "query {id} did not end: {phase}");
	let answered: Vec<[u8; 32]> = view
		.field("respondents")
		.and_then(|r| r.as_seq())
		.unwrap_or_default()
		.iter()
		.filter(|r| !providers::text(r.field("answer").and_then(|a| a.at(0))).is_empty())
		.filter_map(|r| {
			r.field("account")
				.and_then(|a| a.at(0).or(Some(a)))
				.and_then(|a| a.as_bytes())
				.and_then(|b| b.try_into().ok())
		})
		.collect();
	let to = chain.best_number().unwrap();
	let validations = demo::validations(chain, id, from, to).unwrap();
	let bond_after = bond_of(chain, &net1);
	eprintln!(
		"query {id} ended {phase} in {:.0} s (consensus {:?}); Net1 (on provider-3) {} an answer, \
		 its bond {} -> {} LLMN; {} validator score(s)",
		start.elapsed().as_secs_f64(),
		providers::text(
			view.field("consensus").and_then(|c| c.at(0)).and_then(|c| c.field("answer"))
		),
		if answered.contains(&net1) { "revealed" } else { "did not reveal" },
		bond_before as f64 / UNIT as f64,
		bond_after as f64 / UNIT as f64,
		validations.len()
	);
	if !answered.contains(&net1) {
		assert!(bond_after < bond_before, "Net1 missed its reveal and was not slashed");
	}
	let rpc = node.rpc();
	network::restart(node.name, &killed, &rpc).unwrap();
	let target = network::heights(&COLLATORS[1].rpc()).unwrap().1;
	let t = Instant::now();
	network::wait_heights(&rpc, "provider-3 caught up", Duration::from_secs(300), |_, f| {
		f >= target
	})
	.unwrap_or_else(|e| panic!("{e}\n{}", network::log_tail(node.name, 30)));
	eprintln!("provider-3 restarted and finalized #{target} in {:.0} s", t.elapsed().as_secs_f64());
	// Its keys and endpoint survived the crash (keystore and persistent offchain storage).
	let has = rpc.call("author_hasKey", json!([hex(&net1), "llmn"])).unwrap();
	assert_eq!(has.as_bool(), Some(true), "provider-3 lost Net1's key");
}

#[test]
#[ignore = "needs the network of scripts/test-network.sh"]
fn llmnet_on_a_relay_chain_with_providers_on_their_own_nodes() {
	let (sims, _servers): (Vec<String>, Vec<_>) = (0..3)
		.map(|_| {
			let (addr, server) = llmnet_sim::spawn("127.0.0.1:0").expect("simulator listens");
			(format!("http://{addr}"), server)
		})
		.unzip();
	parachain_is_finalized_by_the_relay_chain();
	let rpc = COLLATORS[1].rpc();
	let chain = Chain::connect(&rpc).unwrap();
	operators_bring_their_providers(&chain, &sims);
	let upgraded = the_runtime_is_upgraded_with_a_query_in_flight(&chain);
	// Transactions name the spec_version they were signed for: reconnect for the new one.
	let chain = Chain::connect(&rpc).unwrap();
	assert_eq!(chain.spec_version as u64, upgraded);
	draws_use_the_relay_chains_randomness(&chain);
	queries_settle_across_nodes(&chain);
	a_collator_crashes_and_comes_back(&chain);
	a_provider_node_crashes_mid_query(&chain);
	for n in RELAY.iter().chain(network::para_nodes().iter()) {
		let n: &NetNode = n;
		eprintln!("memory {}: {} MiB", n.name, network::rss_kib(n.name).unwrap_or(0) / 1024);
	}
}
