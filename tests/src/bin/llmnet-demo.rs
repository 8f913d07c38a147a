//! `llmnet-demo`: configure the dev providers of a running dev node and submit a sample query,
//! printing its phases, its transcript and the consensus.
//!
//! ```text
//! llmnet-demo [--rpc-port 9944] [--llm http://127.0.0.1:8089] [--model NAME]
//!             [--prompt "What is 6 x 7?"] [--debate ROUNDS]
//! ```
//! Without `--model` each provider gets its simulator persona (Bob 0.9 ... Ferdie 0.1); with
//! `--model` every provider uses that model at `--llm` (e.g. a llama.cpp server).

use llmnet_e2e::{chain::Chain, keys::DevKey, providers, rpc::Rpc, value::Value};
use std::time::{Duration, Instant};

fn main() {
	if let Err(e) = run() {
		eprintln!("llmnet-demo: {e}");
		std::process::exit(1);
	}
}

fn arg(args: &[String], name: &str) -> Option<String> {
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn run() -> Result<(), String> {
	let args: Vec<String> = std::env::args().collect();
	let port: u16 = arg(&args, "--rpc-port")
		.map(|p| p.parse().map_err(|_| "bad port"))
		.transpose()?
		.unwrap_or(9944);
	let llm = arg(&args, "--llm").unwrap_or_else(|| "http://127.0.0.1:8089".into());
	let model = arg(&args, "--model");
	let prompt = arg(&args, "--prompt").unwrap_or_else(|| "What is 6 x 7?".into());
	let debate: Option<u8> =
		arg(&args, "--debate").map(|r| r.parse().map_err(|_| "bad rounds")).transpose()?;
	let timeout_ms = if model.is_some() { 120_000 } else { 10_000 };

	let rpc = Rpc::new(port);
	let chain = Chain::connect(&rpc)?;
	for (name, persona) in providers::PERSONAS {
		let m = model.clone().unwrap_or_else(|| persona.to_string());
		providers::configure(&rpc, name, &llm, &m, timeout_ms)?;
		println!("provider {name:<8} -> {llm} model {m}");
	}
	let mode = match debate {
		Some(r) => vec![2, r],
		None => vec![1],
	};
	let phase_len = if model.is_some() { 100 } else { 30 };
	// Bob (a coordinator) selects; his worker asks his LLM to choose from scores and feedback.
	let params =
		providers::params(&mode, (3, 2, 0), phase_len, phase_len, Some(DevKey::bob().account()));
	let alice = DevKey::alice();
	let id = providers::create_query(
		&chain,
		&alice,
		providers::GENERAL,
		&prompt,
		params,
		100 * 1_000_000_000_000,
	)?;
	println!(
		"\nquery {id}: {prompt:?} ({}), budget 100 LLMN",
		if debate.is_some() { "Debate" } else { "Swarm" }
	);
	let start = Instant::now();
	let mut candidates: Vec<String> = Vec::new();
	let view = providers::follow(
		&chain,
		id,
		Duration::from_secs(if model.is_some() { 1800 } else { 300 }),
		|v: &Value| {
			println!("[{:>6.1}s] {}", start.elapsed().as_secs_f64(), providers::phase_name(v));
			for r in v.field("respondents").and_then(|r| r.as_seq()).unwrap_or_default() {
				let answer = providers::text(r.field("answer").and_then(|a| a.at(0)));
				if !answer.is_empty() {
					let who = r
						.field("account")
						.and_then(|a| a.at(0))
						.and_then(|a| a.as_bytes())
						.unwrap_or_default();
					println!(
						"           answer  0x{}: {answer:?}",
						hex::encode(who.get(..4).unwrap_or_default())
					);
				}
			}
			for d in v.field("debate").and_then(|r| r.as_seq()).unwrap_or_default() {
				println!(
					"           debate  round {}: {:?}",
					d.field("round").and_then(|r| r.as_u128()).unwrap_or(0),
					providers::text(d.field("message"))
				);
			}
			let c: Vec<String> = v
				.field("candidates")
				.and_then(|c| c.as_seq())
				.unwrap_or_default()
				.iter()
				.map(|c| providers::text(Some(c)))
				.collect();
			if !c.is_empty() {
				candidates = c;
			}
		},
	)?;
	println!("\ncandidates: {candidates:?}");
	match view.field("consensus").and_then(|c| c.at(0)) {
		Some(c) => {
			let scores: Vec<String> = c
				.field("scores")
				.and_then(|s| s.as_seq())
				.unwrap_or_default()
				.iter()
				.map(|s| format!("{:.3}", s.as_u128().unwrap_or(0) as f64 / 1e9))
				.collect();
			println!("consensus: {:?} (Bradley-Terry shares {scores:?}, {} iterations; majority candidate {})",
				providers::text(c.field("answer")),
				c.field("iterations").and_then(|i| i.as_u128()).unwrap_or(0),
				c.field("majority").and_then(|i| i.as_u128()).unwrap_or(0));
		}
		None => println!("no consensus: the query {}", providers::phase_name(&view)),
	}
	println!(
		"transcript hash: 0x{}",
		hex::encode(
			view.field("transcript")
				.and_then(|t| t.at(0))
				.and_then(|t| t.as_bytes())
				.unwrap_or_default()
		)
	);
	println!("settled in {:.1} s", start.elapsed().as_secs_f64());
	Ok(())
}
