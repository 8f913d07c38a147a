//! `llmnet-demo`: configure the dev providers of a running dev node and submit a sample query,
//! printing its phases, who answered what, every judgement with its justification, the
//! Bradley-Terry shares next to the holders of each candidate, and the consensus.
//!
//! ```text
//! llmnet-demo [--rpc-port 9944] [--llm http://127.0.0.1:8089] [--model NAME]
//!             [--prompt "What is 6 x 7?"] [--debate ROUNDS]
//!             [--respondents 5] [--extra-judges 0] [--coordinator Bob]
//! ```
//! Without `--model` each provider gets its simulator persona (Bob 0.9 ... Ferdie 0.1); with
//! `--model` every provider uses that model at `--llm` (e.g. a llama.cpp server). The defaults
//! (all five providers answer, each judges the pairs it holds no answer in) are explained in
//! `llmnet_e2e::demo`.

use llmnet_e2e::{
	chain::Chain,
	demo::{self, Options},
	keys::DevKey,
	providers,
	rpc::Rpc,
};
use std::time::Duration;

fn main() {
	if let Err(e) = run() {
		eprintln!("llmnet-demo: {e}");
		std::process::exit(1);
	}
}

fn arg(args: &[String], name: &str) -> Option<String> {
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn num<N: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<N>, String> {
	arg(args, name).map(|v| v.parse().map_err(|_| format!("bad {name}: {v}"))).transpose()
}

fn run() -> Result<(), String> {
	let args: Vec<String> = std::env::args().collect();
	let port: u16 = num(&args, "--rpc-port")?.unwrap_or(9944);
	let llm = arg(&args, "--llm").unwrap_or_else(|| "http://127.0.0.1:8089".into());
	let model = arg(&args, "--model");
	let mut opts = Options::new(&arg(&args, "--prompt").unwrap_or_else(|| "What is 6 x 7?".into()));
	opts.debate = num(&args, "--debate")?;
	opts.respondents = num(&args, "--respondents")?.unwrap_or(opts.respondents);
	opts.extra_judges = num(&args, "--extra-judges")?.unwrap_or(opts.extra_judges);
	opts.coordinator = arg(&args, "--coordinator").map(|n| DevKey::new(&n).account());
	if model.is_some() {
		opts.phase_len = 100;
		opts.limit = Duration::from_secs(1800);
	}
	let timeout_ms = if model.is_some() { 120_000 } else { 10_000 };

	let rpc = Rpc::new(port);
	let chain = Chain::connect(&rpc)?;
	for (name, persona) in providers::PERSONAS {
		let m = model.clone().unwrap_or_else(|| persona.to_string());
		providers::configure(&rpc, name, &llm, &m, timeout_ms)?;
		println!("provider {name:<8} -> {llm} model {m}");
	}
	println!();
	let outcome = demo::run(&chain, &opts, |line| println!("{line}"))?;
	print!("{}", demo::report(&outcome));
	Ok(())
}
