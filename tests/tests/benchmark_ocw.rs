//! End-to-end: a decentralized benchmark run by validators' off-chain workers on a real dev
//! node. Five validators of a new domain, hosted by one node, each with its `llmn` key and an
//! endpoint on the simulator; an evaluation task whose spec URI is a benchmark document of
//! 40 questions for the `sim-persona-0.6` model (the spec hash is the document's
//! `blake2_256`). Every round, each worker fetches and checks the document, asks each question
//! of the named model with its own seed, commits to the share it got right and reveals it;
//! the chain takes the stake-weighted median. The simulator is deterministic per seed, so the
//! test knows every score in advance and checks the chain's round records against them. A
//! second task whose spec hash is not the document's gets no report.

use codec::Encode;
use llmnet_e2e::{
	chain::Chain,
	keys::{blake2_256, DevKey},
	node::Node,
	providers,
	value::Value,
};
use std::{
	thread::sleep,
	time::{Duration, Instant},
};

const UNIT: u128 = 1_000_000_000_000;
const T: Duration = Duration::from_secs(60);
const MODEL: &str = "sim-persona-0.6";
const ITEMS: usize = 40;
const ROUNDS: u16 = 3;
const VALIDATORS: [&str; 5] = ["Bench0", "Bench1", "Bench2", "Bench3", "Bench4"];

fn num(v: Option<&Value>) -> u64 {
	v.and_then(|x| x.as_u128()).map(|x| x as u64).unwrap_or(0)
}

fn view(chain: &Chain, id: u32) -> Value {
	let v = chain.runtime_api("LlmnetValidationApi", "task", &id.encode()).unwrap();
	v.at(0).cloned().unwrap_or_else(|| panic!("no task {id}"))
}

/// The view of task `id` once it is closed, at most `limit` after `t0`.
fn wait_closed(chain: &Chain, node: &Node, id: u32, t0: Instant, limit: Duration) -> Value {
	loop {
		let v = view(chain, id);
		if v.field("phase").and_then(|p| p.variant_name()) == Some("Closed") {
			return v;
		}
		assert!(t0.elapsed() < limit, "task {id} not closed: {v:?}\n{}", node.log_tail(60));
		sleep(Duration::from_millis(500));
	}
}

/// `pallet_llmnet_validation::offchain::run_seed`.
fn run_seed(task: u32, round: u16, who: &DevKey) -> u64 {
	let h = blake2_256(&(b"llmnet-bench", task, round, who.account().to_vec()).encode());
	u64::from_le_bytes(h[..8].try_into().unwrap()) >> 11
}

/// How many of the document's questions the model gets right with `seed`.
fn expected_correct(doc: &serde_json::Value, seed: u64) -> u64 {
	doc["items"]
		.as_array()
		.unwrap()
		.iter()
		.filter(|i| {
			llmnet_sim::bench_answer(MODEL, i["question"].as_str().unwrap(), seed)
				== i["answer"].as_str().unwrap()
		})
		.count() as u64
}

fn std_dev(v: &[f64]) -> f64 {
	let m = v.iter().sum::<f64>() / v.len() as f64;
	(v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

/// A new domain (root) and funded validators `names` in it, bonded 300, 400, ... LLMN.
fn validators_of_new_domain(chain: &Chain, alice: &DevKey, names: &[&str]) -> (u32, Vec<DevKey>) {
	let domain =
		providers::register_domain(chain, alice, "benchmarks").unwrap_or_else(|e| panic!("{e}"));
	let nodes: Vec<(&str, &str, u128)> = names
		.iter()
		.enumerate()
		.map(|(i, n)| (*n, "bench", (300 + 100 * i as u128) * UNIT))
		.collect();
	let keys =
		providers::register_nodes(chain, alice, 5_000 * UNIT, providers::VALIDATOR, domain, &nodes)
			.unwrap_or_else(|e| panic!("{e}"));
	(domain, keys)
}

#[test]
fn validators_workers_run_the_benchmark_and_the_chain_takes_the_median() {
	let net = providers::SimNode::start(&["-lruntime::llmnet-validation=debug"]);
	let (sim, node, chain) = (&net.sim, &net.node, net.connect());
	let alice = DevKey::alice();

	// A new domain (root) and five funded validators in it, bonded 300 .. 700 LLMN.
	let (domain, keys) = validators_of_new_domain(&chain, &alice, &VALIDATORS);
	// Their configured model is not the one under evaluation: the document names it.
	for name in VALIDATORS {
		providers::configure(&node.rpc, name, sim, "sim-persona-0.9", 10_000)
			.unwrap_or_else(|e| panic!("configure {name}: {e}"));
	}

	// The benchmark document the simulator serves, and its hash.
	let body = llmnet_sim::benchmark_doc(ITEMS, MODEL);
	let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
	let uri = format!("{sim}/benchmarks/{ITEMS}/{MODEL}");
	let spec_hash = blake2_256(body.as_bytes());

	// Alice opens the task: three rounds of 6 + 6 blocks.
	let args = (
		domain,
		1u8,
		uri.as_bytes().to_vec(),
		spec_hash,
		[0u8; 32],
		300 * UNIT,
		(ROUNDS, 6u32, 6u32, 0u32, 0u32),
	)
		.encode();
	let t0 = Instant::now();
	let inc = chain
		.sign_and_submit(&alice, &chain.call("LlmnetValidation", "create_task", &args).unwrap(), T)
		.unwrap();
	let ev =
		inc.event("LlmnetValidation", "TaskCreated").unwrap_or_else(|| panic!("{:?}", inc.events));
	let id = num(ev.field("task")) as u32;
	// A second task whose spec hash is not the document's: the workers refuse to score it.
	let mut forged_args = args.clone();
	let at = forged_args.windows(32).position(|w| w == spec_hash).unwrap();
	forged_args[at..at + 32].copy_from_slice(&[9u8; 32]);
	let call = chain.call("LlmnetValidation", "create_task", &forged_args).unwrap();
	let forged_inc = chain.sign_and_submit(&alice, &call, T).unwrap();
	let forged =
		num(forged_inc.event("LlmnetValidation", "TaskCreated").unwrap().field("task")) as u32;
	let work = chain.runtime_api("LlmnetValidationApi", "task_work", &keys[0].account()).unwrap();
	println!("task {id}: {uri}; work of {} at creation: {work:?}", VALIDATORS[0]);

	// The workers do everything; the test only watches.
	let v = wait_closed(&chain, node, id, t0, Duration::from_secs(150));
	println!("closed {:.1} s after create_task", t0.elapsed().as_secs_f64());
	let records = v.field("rounds").and_then(|r| r.as_seq()).unwrap().to_vec();
	assert_eq!(records.len(), ROUNDS as usize, "{v:?}");

	let part = 1_000_000_000 / ITEMS as u64;
	let mut raw = Vec::new();
	let mut medians = Vec::new();
	for (round, rec) in records.iter().enumerate() {
		let round = round as u16;
		let expected: Vec<u64> =
			keys.iter().map(|k| expected_correct(&doc, run_seed(id, round, k))).collect();
		raw.extend(expected.iter().map(|c| *c as f64 * 100.0 / ITEMS as f64));
		let reports = num(rec.field("reports"));
		let mean = num(rec.field("mean"));
		let consensus = num(rec.field("consensus").and_then(|c| c.at(0)));
		println!(
			"round {round}: expected correct {expected:?} of {ITEMS}; on chain {reports} reports, \
			 mean {:.2} %, median {:.2} %, spread {:.2} points",
			mean as f64 / 1e7,
			consensus as f64 / 1e7,
			num(rec.field("spread")) as f64 / 1e7
		);
		assert_eq!(reports, VALIDATORS.len() as u64, "every worker reported in round {round}");
		let want_mean = expected.iter().map(|c| c * part).sum::<u64>() / VALIDATORS.len() as u64;
		assert_eq!(mean, want_mean, "the reports are exactly the workers' benchmark scores");
		assert!(
			expected.iter().any(|c| c * part == consensus),
			"the median is one of the reports: {consensus}"
		);
		medians.push(consensus as f64 / 1e7);
	}
	// Every revealed score, from the `ScoresRevealed` events of the blocks since creation,
	// is exactly the run the test computes for that validator and round.
	let start = chain
		.rpc
		.call("chain_getHeader", serde_json::json!([inc.block_hash]))
		.ok()
		.and_then(|h| h["number"].as_str().map(str::to_string))
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.expect("creation block number");
	let mut revealed = Vec::new();
	for n in start..=chain.best_number().unwrap() {
		let hash = chain.rpc.call("chain_getBlockHash", serde_json::json!([n])).unwrap();
		for (_, pallet, ev) in chain.events(hash.as_str().unwrap()).unwrap() {
			if pallet != "LlmnetValidation" || ev.variant_name() != Some("ScoresRevealed") {
				continue;
			}
			let who = ev.field("validator").and_then(|w| w.as_bytes()).unwrap().to_vec();
			let k = keys.iter().position(|k| k.account().to_vec() == who).expect("a validator");
			let round = num(ev.field("round")) as u16;
			let scores = ev.field("scores").and_then(|s| s.as_seq()).unwrap().to_vec();
			assert_eq!(scores.len(), 1, "one benchmark score");
			let score = scores[0].as_u128().or_else(|| scores[0].at(0)?.as_u128()).unwrap() as u64;
			revealed.push((round, k, score));
		}
	}
	revealed.sort();
	let want: Vec<(u16, usize, u64)> = (0..ROUNDS)
		.flat_map(|r| (0..keys.len()).map(move |k| (r, k)))
		.map(|(r, k)| (r, k, expected_correct(&doc, run_seed(id, r, &keys[k])) * part))
		.collect();
	assert_eq!(revealed, want, "revealed scores are the workers' benchmark runs");
	let seeds: Vec<u64> = keys.iter().map(|k| run_seed(id, 0, k)).collect();
	assert!(seeds.windows(2).all(|w| w[0] != w[1]), "one seed per validator");
	println!(
		"benchmark by off-chain workers: std of the {} raw reports {:.2} points, of the {ROUNDS} \
		 medians {:.2}; medians {medians:?}",
		raw.len(),
		std_dev(&raw),
		std_dev(&medians)
	);
	let f = view(&chain, forged);
	let f_rounds = f.field("rounds").and_then(|r| r.as_seq()).unwrap().to_vec();
	assert!(!f_rounds.is_empty(), "the forged task's rounds closed too");
	assert!(f_rounds.iter().all(|r| num(r.field("reports")) == 0), "forged spec scored: {f:?}");
	let log = std::fs::read_to_string(&node.log_path).unwrap_or_default();
	assert!(
		log.contains(&format!("benchmark of task {forged} refused: HashMismatch")),
		"the workers say why they skip the forged task"
	);
	println!(
		"task {forged} (spec hash not the document's): no reports in {} rounds",
		f_rounds.len()
	);
	let paid = num(v.field("paid")) as u128;
	assert!(paid > 299 * UNIT && paid <= 300 * UNIT, "the pool went to the validators: {paid}");
}

/// The real-model path of benchmark runs: one validator whose endpoint is a real
/// OpenAI-compatible server (`LLMNET_REAL_LLM`, e.g. SmolLM2-135M behind
/// `scripts/llm-server.mjs`; `scripts/test-real-model.sh` runs this) takes one round of a
/// five-question benchmark from the simulator's document server. Ignored by default: a small
/// CPU model needs seconds per question.
#[test]
#[ignore = "needs a real LLM server: LLMNET_REAL_LLM=http://host:port"]
fn a_real_model_benchmark_run_is_committed_and_revealed() {
	let llm = std::env::var("LLMNET_REAL_LLM").expect("LLMNET_REAL_LLM=http://host:port");
	let model = std::env::var("LLMNET_REAL_MODEL").unwrap_or_else(|_| "smollm2".into());
	let net = providers::SimNode::start(&["-lruntime::llmnet-validation=debug"]);
	let (sim, node, chain) = (&net.sim, &net.node, net.connect());
	let alice = DevKey::alice();
	let (domain, keys) = validators_of_new_domain(&chain, &alice, &["RealBench"]);
	providers::configure(&node.rpc, "RealBench", &llm, &model, 120_000).unwrap();
	let items = 5;
	let body = llmnet_sim::benchmark_doc(items, &model);
	let uri = format!("{sim}/benchmarks/{items}/{model}");
	let args = (
		domain,
		1u8,
		uri.as_bytes().to_vec(),
		blake2_256(body.as_bytes()),
		[0u8; 32],
		100 * UNIT,
		(1u16, 90u32, 20u32, 0u32, 0u32),
	)
		.encode();
	let t0 = Instant::now();
	let inc = chain
		.sign_and_submit(&alice, &chain.call("LlmnetValidation", "create_task", &args).unwrap(), T)
		.unwrap();
	let id = num(inc.event("LlmnetValidation", "TaskCreated").unwrap().field("task")) as u32;
	let v = wait_closed(&chain, node, id, t0, Duration::from_secs(400));
	let rec = v.field("rounds").and_then(|r| r.at(0)).cloned().expect("one round");
	let score = num(rec.field("consensus").and_then(|c| c.at(0)));
	let log = std::fs::read_to_string(&node.log_path).unwrap_or_default();
	let run = log.lines().find(|l| l.contains("benchmark run of task")).unwrap_or("").to_string();
	println!(
		"real model {model}: {items} questions, score {:.0} % ({} report); closed {:.0} s after \
		 create_task; {run}",
		score as f64 / 1e7,
		num(rec.field("reports")),
		t0.elapsed().as_secs_f64()
	);
	assert_eq!(num(rec.field("reports")), 1, "the real-model run was revealed");
	assert!(!run.is_empty() && keys.len() == 1);
}
