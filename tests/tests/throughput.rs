//! The throughput benchmark of issue 18, run by `./scripts/bench-throughput.sh` (ignored by a
//! plain `cargo test`: it measures, it asserts only that every query settles). On a dev node
//! with 1-second blocks, the five dev providers' off-chain workers (or `PROVIDERS` of them,
//! the extra ones registered by the benchmark) answering from the simulator personas, it
//! prints:
//! - latency: blocks from `create_query` to settlement of a Swarm query (3 respondents, Bob
//!   coordinating) and of a Debate query (2 rounds), and the phases seen;
//! - throughput: `QUERIES` (default 30) Swarm queries (automatic selection, 3 respondents),
//!   submitted in waves of `WAVE` (default 200: a wave's selection deadlines spill at
//!   `MaxDuePerBlock` per block, and more than 256 in one block would meet `ScheduleFull`),
//!   settled per minute of blocks;
//! - LLM calls per query (the simulator's count of chat completions);
//! - state: bytes under the query-contracts and reputation pallets per settled query, and per
//!   query once reaped.

use codec::Encode;
use llmnet_e2e::{
	chain::{twox_128, Chain},
	keys::DevKey,
	node::Node,
	providers,
	rpc::decode_hex,
};
use serde_json::json;
use std::time::{Duration, Instant};

const UNIT: u128 = 1_000_000_000_000;

/// (keys, bytes of keys and values) under the storage prefix of `pallet`.
fn pallet_state(chain: &Chain, pallet: &str) -> (usize, usize) {
	let prefix = format!("0x{}", hex::encode(twox_128(pallet.as_bytes())));
	let (mut keys, mut bytes) = (0, 0);
	let mut start: Option<String> = None;
	loop {
		let page = chain
			.rpc
			.call("state_getKeysPaged", json!([prefix, 1000, start]))
			.expect("state_getKeysPaged");
		let page: Vec<String> = page
			.as_array()
			.map(|a| a.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
			.unwrap_or_default();
		for key in &page {
			let raw = decode_hex(key).expect("hex key");
			let value = chain.storage(&raw, None).expect("storage").unwrap_or_default();
			keys += 1;
			bytes += raw.len() + value.len();
		}
		if page.len() < 1000 {
			return (keys, bytes);
		}
		start = page.last().cloned();
	}
}

fn state_bytes(chain: &Chain) -> usize {
	pallet_state(chain, "LlmnetQueryContracts").1 + pallet_state(chain, "LlmnetReputation").1
}

/// A block number field of a query view (`finished` is an `Option`).
fn block_of(view: &llmnet_e2e::value::Value, field: &str) -> u64 {
	view.field(field)
		.and_then(|v| v.at(0).or(Some(v)))
		.and_then(|v| v.as_u128())
		.unwrap_or_else(|| panic!("no {field} in {view:?}")) as u64
}

/// Follow query `id` to its end; (blocks from creation to settlement, phases seen).
fn latency(chain: &Chain, node: &Node, id: u64) -> (u64, Vec<String>) {
	let mut phases = Vec::new();
	let view = providers::follow(chain, id, Duration::from_secs(120), |v| {
		phases.push(providers::phase_name(v));
	})
	.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(60)));
	assert_eq!(providers::phase_name(&view), "Settled", "{phases:?}");
	(block_of(&view, "finished") - block_of(&view, "created"), phases)
}

#[test]
#[ignore]
fn throughput() {
	let queries: usize = std::env::var("QUERIES").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
	let net = providers::SimNode::start(&[]).with_personas();
	let (sim, node, chain) = (&net.sim, &net.node, net.connect());
	let alice = DevKey::alice();
	// `PROVIDERS` above the five dev providers: more, registered in `general` (bond 1,000
	// LLMN), their personas cycling 0.9 .. 0.1, their workers on the same node.
	let total: usize =
		std::env::var("PROVIDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(5);
	let names: Vec<String> = (6..=total).map(|i| format!("Provider{i}")).collect();
	let extra: Vec<(&str, &str, u128)> = names
		.iter()
		.enumerate()
		.map(|(i, n)| (n.as_str(), providers::PERSONAS[i % 5].1, 1_000 * UNIT))
		.collect();
	providers::register_nodes(
		&chain,
		&alice,
		5_000 * UNIT,
		providers::PROVIDER,
		providers::GENERAL,
		&extra,
	)
	.unwrap_or_else(|e| panic!("{e}"));
	for (name, model, _) in &extra {
		providers::configure(&node.rpc, name, sim, model, 10_000).unwrap();
	}
	let bob = Some(DevKey::bob().account());

	// Latency.
	let calls0 = llmnet_sim::completions();
	let swarm = providers::params(&[1], (3, 0, 0), 30, 30, bob);
	let id = providers::create_query(
		&chain,
		&alice,
		providers::GENERAL,
		"What is 6 x 7?",
		swarm,
		10 * UNIT,
	)
	.unwrap_or_else(|e| panic!("{e}"));
	let (swarm_blocks, swarm_phases) = latency(&chain, node, id);
	let swarm_calls = llmnet_sim::completions() - calls0;
	let calls0 = llmnet_sim::completions();
	let debate = providers::params(&[2, 2], (3, 0, 0), 30, 30, bob);
	let id = providers::create_query(
		&chain,
		&alice,
		providers::GENERAL,
		"What is 12 x 12?",
		debate,
		10 * UNIT,
	)
	.unwrap_or_else(|e| panic!("{e}"));
	let (debate_blocks, debate_phases) = latency(&chain, node, id);
	let debate_calls = llmnet_sim::completions() - calls0;

	// Throughput: waves of queries submitted at once, automatic selection after 2 blocks; each
	// wave is followed to settlement before the next.
	let before = state_bytes(&chain);
	let calls0 = llmnet_sim::completions();
	let wave: usize = std::env::var("WAVE").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
	let start = Instant::now();
	let mut ids: Vec<u64> = Vec::new();
	let mut first_created = u64::MAX;
	let mut last_finished = 0u64;
	for from in (0..queries).step_by(wave.max(1)) {
		let creates: Vec<Vec<u8>> = (from..queries.min(from + wave))
			.map(|i| {
				let mut args = providers::GENERAL.encode();
				format!("What is {} x {}?", 7 + i, 13 + i % 7).into_bytes().encode_to(&mut args);
				args.extend(providers::params(&[1], (3, 0, 0), 2, 30, None));
				(10 * UNIT).encode_to(&mut args);
				chain.call("LlmnetQueryContracts", "create_query", &args).unwrap()
			})
			.collect();
		let batch: Vec<(&DevKey, Vec<u8>)> = creates.into_iter().map(|c| (&alice, c)).collect();
		let included = chain.submit_batch(&batch, Duration::from_secs(300)).unwrap();
		let wave_ids: Vec<u64> = included
			.iter()
			.map(|inc| {
				let ev = inc.event("LlmnetQueryContracts", "QueryCreated").expect("QueryCreated");
				ev.field("query").and_then(|v| v.as_u128()).unwrap() as u64
			})
			.collect();
		for id in &wave_ids {
			let view = providers::follow(&chain, *id, Duration::from_secs(600), |_| {})
				.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(60)));
			assert_eq!(providers::phase_name(&view), "Settled", "query {id}: {view:?}");
			first_created = first_created.min(block_of(&view, "created"));
			last_finished = last_finished.max(block_of(&view, "finished"));
		}
		ids.extend(wave_ids);
	}
	let secs = start.elapsed().as_secs_f64();
	let blocks = last_finished - first_created;
	let calls = llmnet_sim::completions() - calls0;
	let settled_state = state_bytes(&chain);

	// Reap them all: what a settled query leaves once its requester reaps it.
	let reaps: Vec<(&DevKey, Vec<u8>)> = ids
		.iter()
		.map(|id| (&alice, chain.call("LlmnetQueryContracts", "reap", &id.encode()).unwrap()))
		.collect();
	chain.submit_batch(&reaps, Duration::from_secs(300)).unwrap();
	let reaped_state = state_bytes(&chain);

	let per = |bytes: usize| (bytes as f64 - before as f64) / queries as f64;
	println!("== throughput benchmark (dev node, 1-second blocks, {total} simulator providers) ==");
	println!("latency: Swarm (3 respondents, coordinator) {swarm_blocks} blocks {swarm_phases:?}");
	println!("latency: Debate (2 rounds, 3 respondents) {debate_blocks} blocks {debate_phases:?}");
	println!(
		"throughput: {queries} Swarm queries (automatic selection, 3 respondents, waves of \
		 {wave}) settled in {blocks} blocks, {secs:.1} s: {:.1} queries per minute of 1-second \
		 blocks ({:.1} per minute of wall time)",
		queries as f64 * 60.0 / blocks as f64,
		queries as f64 * 60.0 / secs
	);
	println!(
		"LLM calls per query: Swarm with coordinator {swarm_calls}, Debate {debate_calls}, \
		 automatic Swarm {:.1}",
		calls as f64 / queries as f64
	);
	println!(
		"state (query contracts + reputation): {:.0} bytes per settled query, {:.0} per reaped \
		 query",
		per(settled_state),
		per(reaped_state)
	);
}
