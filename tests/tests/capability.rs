//! End-to-end: proof of capability on a real dev node. Five new providers of a new domain,
//! hosted by one node and answering through their off-chain workers with simulator personas
//! 0.9 .. 0.1, take a governance calibration round of ten questions; governance reveals the committed
//! answer key; the chain grades them, marks the good personas capable and the 0.1 persona
//! failed; then a query in the domain selects only capable providers.

use codec::Encode;
use llmnet_e2e::{
	chain::Chain,
	keys::{blake2_256, DevKey},
	providers,
	value::Value,
};
use std::{
	thread::sleep,
	time::{Duration, Instant},
};

const UNIT: u128 = 1_000_000_000_000;
const T: Duration = Duration::from_secs(60);
const THRESHOLD: u8 = 5;

/// The newcomers and their personas.
const PROVERS: [(&str, &str); 5] = [
	("Prover9", "sim-persona-0.9"),
	("Prover7", "sim-persona-0.7"),
	("Prover5", "sim-persona-0.5"),
	("Prover3", "sim-persona-0.3"),
	("Prover1", "sim-persona-0.1"),
];

fn num(v: Option<&Value>) -> u64 {
	v.and_then(|x| x.as_u128()).map(|x| x as u64).unwrap_or(0)
}

fn view(chain: &Chain, id: u32) -> Option<Value> {
	chain.runtime_api("LlmnetValidationApi", "calibration", &id.encode()).unwrap().at(0).cloned()
}

#[test]
fn a_calibration_round_admits_the_good_personas_and_rejects_the_weakest() {
	let net = providers::SimNode::start(&["-lruntime::llmnet-validation=debug"]);
	let (sim, node, chain) = (&net.sim, &net.node, net.connect());
	let alice = DevKey::alice();

	// A new domain (root), five funded providers registered in it, not capable yet.
	let domain =
		providers::register_domain(&chain, &alice, "calibrated").unwrap_or_else(|e| panic!("{e}"));
	let nodes: Vec<(&str, &str, u128)> =
		PROVERS.iter().map(|(name, model)| (*name, *model, 1_000 * UNIT)).collect();
	let keys = providers::register_nodes(
		&chain,
		&alice,
		5_000 * UNIT,
		providers::PROVIDER,
		domain,
		&nodes,
	)
	.unwrap_or_else(|e| panic!("{e}"));
	for (name, model) in PROVERS {
		providers::configure(&node.rpc, name, sim, model, 10_000)
			.unwrap_or_else(|e| panic!("configure {name}: {e}"));
	}

	// Ten arithmetic questions; the key is their answers. What each persona will get right is
	// known in advance (the simulator is deterministic).
	let questions: Vec<String> =
		(0..10).map(|i| format!("What is {} x {}?", 7 + 3 * i, 11 + 5 * i)).collect();
	let key: Vec<Vec<u8>> =
		questions.iter().map(|q| llmnet_sim::correct_answer(q).into_bytes()).collect();
	let expected: Vec<(usize, bool)> = PROVERS
		.iter()
		.map(|(_, model)| {
			let right = questions
				.iter()
				.filter(|q| llmnet_sim::answer(model, q) == llmnet_sim::correct_answer(q))
				.count();
			(right, right >= usize::from(THRESHOLD))
		})
		.collect();
	println!("expected (correct, passed) per persona 0.9 .. 0.1: {expected:?}");
	assert!(expected[0].1 && expected[1].1, "the good personas should pass: {expected:?}");
	assert!(!expected[4].1, "the 0.1 persona should fail: {expected:?}");

	// Governance (Alice through sudo) opens the round: commit 8, reveal 8, key 20 blocks. Only
	// governance rounds grant capability, and workers take only them (AUDIT H2, H3).
	let salt = [42u8; 32];
	let commitment = blake2_256(&(key.clone(), salt).encode());
	let q_bytes: Vec<Vec<u8>> = questions.iter().map(|q| q.as_bytes().to_vec()).collect();
	let args = (domain, q_bytes, commitment, THRESHOLD, (8u32, 8u32, 20u32)).encode();
	let inner = chain.call("LlmnetValidation", "create_calibration", &args).unwrap();
	let call = chain.call("Sudo", "sudo", &inner).unwrap();
	let t0 = Instant::now();
	let inc = chain.sign_and_submit(&alice, &call, T).unwrap();
	let ev = inc
		.event("LlmnetValidation", "CalibrationCreated")
		.unwrap_or_else(|| panic!("{:?}", inc.events));
	let id = num(ev.field("calibration")) as u32;
	let v = view(&chain, id).expect("the round is open");
	let (commit_end, reveal_end) = (num(v.field("commit_end")), num(v.field("reveal_end")));

	// The workers commit and reveal by themselves.
	loop {
		let v = view(&chain, id).expect("the round is open");
		let entries = v.field("entries").and_then(|e| e.as_seq()).map(|e| e.to_vec()).unwrap();
		let revealed = entries.iter().filter(|e| e.at(1) == Some(&Value::Bool(true))).count();
		if revealed == PROVERS.len() {
			println!(
				"all {} providers committed and revealed after {:.1} s",
				entries.len(),
				t0.elapsed().as_secs_f64()
			);
			break;
		}
		assert!(
			chain.best_number().unwrap() < reveal_end,
			"reveal window over with {} entries, {revealed} revealed: {v:?}\n{}",
			entries.len(),
			node.log_tail(60)
		);
		sleep(Duration::from_millis(500));
	}
	assert!(commit_end < reveal_end);

	// After the reveal window, governance reveals the key; the chain grades.
	while chain.best_number().unwrap() < reveal_end {
		sleep(Duration::from_millis(300));
	}
	let args = (id, key.clone(), salt).encode();
	let inner = chain.call("LlmnetValidation", "reveal_key", &args).unwrap();
	let call = chain.call("Sudo", "sudo", &inner).unwrap();
	let inc = chain.sign_and_submit(&alice, &call, T).unwrap();
	assert!(inc.succeeded(), "{:?}", inc.events);
	let mut graded = Vec::new();
	for (pallet, ev) in &inc.events {
		if pallet != "LlmnetValidation" || ev.variant_name() != Some("CalibrationGraded") {
			continue;
		}
		let who = ev.field("who").and_then(|w| w.as_bytes()).unwrap().to_vec();
		let i = keys.iter().position(|k| k.account().to_vec() == who).expect("a prover");
		let passed = ev.field("passed") == Some(&Value::Bool(true));
		graded.push((i, num(ev.field("correct")) as usize, passed));
	}
	graded.sort();
	println!(
		"graded (prover, correct, passed): {graded:?}; {:.1} s from create_calibration",
		t0.elapsed().as_secs_f64()
	);
	let got: Vec<(usize, bool)> = graded.iter().map(|(_, c, p)| (*c, *p)).collect();
	assert_eq!(got, expected, "on-chain grades differ from the simulator's answers");
	assert!(view(&chain, id).is_none(), "the round is removed");

	// A query in the domain selects capable providers only.
	let capable: Vec<[u8; 32]> =
		keys.iter().zip(&expected).filter(|(_, e)| e.1).map(|(k, _)| k.account()).collect();
	let params = providers::params(&[1], (3, 0, 0), 2, 12, None);
	let q = providers::create_query(&chain, &alice, domain, "What is 12 x 12?", params, 50 * UNIT)
		.unwrap_or_else(|e| panic!("{e}"));
	let view = providers::follow(&chain, q, Duration::from_secs(120), |_| {})
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(60)));
	let respondents: Vec<Vec<u8>> = view
		.field("respondents")
		.and_then(|r| r.as_seq())
		.unwrap()
		.iter()
		.filter_map(|r| r.field("account").and_then(|a| a.at(0)).and_then(|a| a.as_bytes()))
		.map(|b| b.to_vec())
		.collect();
	println!(
		"query {q}: {} with respondents {:?}",
		providers::phase_name(&view),
		respondents
			.iter()
			.map(|r| keys.iter().position(|k| k.account().to_vec() == *r).unwrap_or(99))
			.collect::<Vec<_>>()
	);
	assert_eq!(respondents.len(), 3);
	for r in &respondents {
		assert!(capable.iter().any(|c| c.to_vec() == *r), "an uncapable respondent was selected");
	}
	assert_eq!(providers::phase_name(&view), "Settled");
}
