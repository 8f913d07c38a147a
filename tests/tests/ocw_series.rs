//! End-to-end: a series of Swarm queries with automatic selection, answered and judged by the
//! five dev providers' off-chain workers against the simulator personas (0.9 .. 0.1). The
//! reputations learn who is good (the strong personas end above the weak ones, LLM-Net table
//! 10), late selection follows the reputations, and the right answer wins most consensus.
//! Waves of concurrent queries also give the throughput figure.

use codec::Encode;
use llmnet_e2e::{chain::Chain, keys::DevKey, node::Node, providers, value::Value};
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

const UNIT: u128 = 1_000_000_000_000;
const WAVES: usize = 5;
const PER_WAVE: usize = 3;

fn answer_rep(chain: &Chain, who: &DevKey) -> (u128, u128) {
	let v = chain
		.runtime_api(
			"LlmnetReputationApi",
			"reputation",
			&(who.account(), providers::GENERAL, 0u8).encode(),
		)
		.unwrap();
	(
		v.field("value").and_then(|x| x.as_u128()).unwrap(),
		v.field("observations").and_then(|x| x.as_u128()).unwrap(),
	)
}

fn respondents(view: &Value) -> Vec<[u8; 32]> {
	view.field("respondents")
		.and_then(|r| r.as_seq())
		.unwrap_or_default()
		.iter()
		.filter_map(|r| r.field("account").and_then(|a| a.at(0)).and_then(|a| a.as_bytes()))
		.filter_map(|b| b.try_into().ok())
		.collect()
}

#[test]
fn reputations_learn_who_answers_well_and_selection_follows() {
	let (sim, _server) = llmnet_sim::spawn("127.0.0.1:0").expect("simulator listens");
	let node =
		Node::dev(1000, &["--offchain-worker", "always"]).unwrap_or_else(|e| panic!("node: {e}"));
	let chain = Chain::connect(&node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	let names: BTreeMap<[u8; 32], &str> =
		providers::PERSONAS.iter().map(|(n, _)| (DevKey::new(n).account(), *n)).collect();
	for (name, model) in providers::PERSONAS {
		providers::configure(&node.rpc, name, &format!("http://{sim}"), model, 10_000).unwrap();
	}
	let alice = DevKey::alice();
	// Automatic selection after 2 blocks: 3 respondents, the 2 others judge too.
	let params = || providers::params(&[1], (3, 2, 0), 2, 30, None);
	let mut correct = 0;
	let mut settled = 0;
	let mut last_waves: Vec<Vec<[u8; 32]>> = Vec::new();
	let start = Instant::now();
	for wave in 0..WAVES {
		let ids: Vec<(u64, i64)> = (0..PER_WAVE)
			.map(|i| {
				let (a, b) = (7 + 3 * wave as i64 + i as i64, 11 + i as i64);
				let prompt = format!("What is {a} x {b}?");
				let id = providers::create_query(
					&chain,
					&alice,
					providers::GENERAL,
					&prompt,
					params(),
					10 * UNIT,
				)
				.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(30)));
				(id, a * b)
			})
			.collect();
		let mut selected = Vec::new();
		for (id, right) in ids {
			let mut chosen = Vec::new();
			let view = providers::follow(&chain, id, Duration::from_secs(120), |v| {
				if chosen.is_empty() {
					chosen = respondents(v);
				}
			})
			.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(60)));
			assert_eq!(providers::phase_name(&view), "Settled");
			settled += 1;
			let answer = providers::text(
				view.field("consensus").and_then(|c| c.at(0)).and_then(|c| c.field("answer")),
			);
			let who: Vec<&str> =
				chosen.iter().map(|a| names.get(a).copied().unwrap_or("?")).collect();
			println!("wave {wave} query {id}: respondents {who:?}, consensus {answer:?} (right: {right})");
			if answer == right.to_string() {
				correct += 1;
			}
			selected.push(chosen);
		}
		if wave + 2 >= WAVES {
			last_waves.extend(selected);
		}
	}
	let secs = start.elapsed().as_secs_f64();
	println!(
		"{settled} queries settled in {secs:.1} s ({:.1} per minute, {PER_WAVE} at a time); {correct} consensus right",
		settled as f64 * 60.0 / secs
	);
	let reps: Vec<(&str, (u128, u128))> = providers::PERSONAS
		.iter()
		.map(|(n, _)| (*n, answer_rep(&chain, &DevKey::new(n))))
		.collect();
	for (n, (v, o)) in &reps {
		println!("Answer reputation of {n:<8} {:.3} ({o} observations)", *v as f64 / 1e9);
	}
	// What one series supports (the pallet's 40 seeded series, docs/operating-a-provider.md
	// section 7): the first wave's selection comes from block hashes, and a weak persona that
	// is right on its first questions holds a top slot for a while, so which personas are
	// selected late varies between runs (one run: the 0.3 persona in every late query). The
	// reputations must still learn the personas (0.1 below 0.9; the 0.9 + 0.7 pair above the
	// 0.3 + 0.1 pair), and selection must follow the reputations: late queries pick the two
	// best-reputed providers more often than the two worst (two top slots by reputation, one
	// exploration slot).
	let rep_of = |n: &str| reps.iter().find(|r| r.0 == n).unwrap().1;
	let (bob, charlie, eve, ferdie) =
		(rep_of("Bob"), rep_of("Charlie"), rep_of("Eve"), rep_of("Ferdie"));
	assert!(ferdie.1 > 0, "the 0.1 persona was tried");
	assert!(ferdie.0 < bob.0, "the 0.1 persona ranks below the 0.9 one: {reps:?}");
	assert!(
		bob.0 + charlie.0 > eve.0 + ferdie.0,
		"the 0.9 and 0.7 personas rank above the 0.3 and 0.1 ones: {reps:?}"
	);
	let count = |who: &[&str]| {
		let ids: Vec<[u8; 32]> = who.iter().map(|n| DevKey::new(n).account()).collect();
		last_waves.iter().flatten().filter(|a| ids.contains(a)).count()
	};
	let mut ranked: Vec<(&str, u128)> = reps.iter().map(|(n, (v, _))| (*n, *v)).collect();
	ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
	let names: Vec<&str> = ranked.iter().map(|r| r.0).collect();
	let (best, worst) = (count(&names[..2]), count(&names[names.len() - 2..]));
	let (strong, weak) = (count(&["Bob", "Charlie"]), count(&["Eve", "Ferdie"]));
	println!(
		"last two waves: best-reputed two {:?} selected {best} times, worst two {:?} {worst}; \
		 0.9/0.7 {strong} times, 0.3/0.1 {weak}",
		&names[..2],
		&names[names.len() - 2..]
	);
	assert!(best > worst, "late selection follows reputation: {best} vs {worst}");
	assert!(correct * 2 > settled, "the right answer wins most queries: {correct}/{settled}");
}
