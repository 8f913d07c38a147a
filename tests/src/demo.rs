//! The sample query of `./scripts/run-dev.sh` (the `llmnet-demo` binary), shared with the
//! end-to-end test that checks what it settles on.
//!
//! Defaults: a Swarm query answered by all five dev providers with automatic selection, so
//! that every provider answers and every provider judges the pairs of candidates that do not
//! hold its own answer. With fewer respondents and the rest as extra judges, the two providers
//! left to judge are often exactly the ones that cannot tell (the simulator's 0.5 and 0.3
//! personas on "What is 6 x 7?" give opposite verdicts in the two orders, so each pair is a
//! tie), the fit is undecided and the majority wins, wrongly when two weak personas agree.
//! With five respondents every pair is judged by everyone outside it.

use crate::{chain::Chain, keys::DevKey, providers, value::Value, Result};
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// Other `//name` accounts the tests use (the network test's providers), named in reports.
pub const KNOWN_NAMES: [&str; 6] = ["Net9", "Net7", "Net5", "Net3", "Net1", "NetV"];

/// One unit of LLMN.
pub const UNIT: u128 = 1_000_000_000_000;

/// How the demo query is asked.
#[derive(Clone, Debug)]
pub struct Options {
	/// The prompt.
	pub prompt: String,
	/// `Some(rounds)` for a Debate query.
	pub debate: Option<u8>,
	/// Respondents (extra judges are drawn among the rest of the five dev providers).
	pub respondents: u8,
	/// Extra judges.
	pub extra_judges: u8,
	/// Validators that score the consensus (not respondents, eligible as validators).
	pub validators: u8,
	/// A coordinator that selects the respondents (`None`: automatic selection).
	pub coordinator: Option<[u8; 32]>,
	/// Length of each phase in blocks (phases end early once everyone acted).
	pub phase_len: u32,
	/// How long to wait for settlement.
	pub limit: Duration,
}

impl Options {
	/// The demo's defaults for `prompt`.
	pub fn new(prompt: &str) -> Self {
		Self {
			prompt: prompt.into(),
			debate: None,
			respondents: 5,
			extra_judges: 0,
			validators: 0,
			coordinator: None,
			phase_len: 30,
			limit: Duration::from_secs(300),
		}
	}

	/// Create the query as Alice (budget 100 LLMN) in domain `general`; its id.
	pub fn create(&self, chain: &Chain) -> Result<u64> {
		providers::create_query(
			chain,
			&DevKey::alice(),
			providers::GENERAL,
			&self.prompt,
			self.params(),
			100 * UNIT,
		)
	}

	/// The SCALE `QueryParams`.
	pub fn params(&self) -> Vec<u8> {
		let mode = match self.debate {
			Some(r) => vec![2, r],
			None => vec![1],
		};
		// Automatic selection runs at the end of the shortest selection phase the runtime
		// takes (`MinPhaseLength`, 2 blocks).
		let selecting = if self.coordinator.is_some() { self.phase_len } else { 2 };
		providers::params(
			&mode,
			(self.respondents, self.extra_judges, self.validators),
			selecting,
			self.phase_len,
			self.coordinator,
		)
	}
}

/// One judge's comparisons as its `Judged` event carries them.
#[derive(Clone, Debug)]
pub struct Judgement {
	/// The judge.
	pub judge: [u8; 32],
	/// `(a, b, outcome, justification)`, outcome `A`, `B` or `Tie`.
	pub comparisons: Vec<(u8, u8, String, String)>,
}

/// What the demo saw.
#[derive(Clone, Debug)]
pub struct Outcome {
	/// The query id.
	pub id: u64,
	/// The final view.
	pub view: Value,
	/// The candidate answers.
	pub candidates: Vec<String>,
	/// How many respondents hold each candidate.
	pub holders: Vec<u32>,
	/// Who answered what.
	pub answers: Vec<([u8; 32], String)>,
	/// Every judgement, from the `Judged` events.
	pub judgements: Vec<Judgement>,
	/// Every validator's score of the consensus (percent), from the `Validated` events.
	pub validations: Vec<([u8; 32], u8)>,
	/// The consensus answer (empty if none).
	pub consensus: String,
	/// The Bradley-Terry shares, parts per billion, per candidate.
	pub scores: Vec<u32>,
	/// Seconds from creation to settlement.
	pub seconds: f64,
}

impl Outcome {
	/// Whether the fit was decided (not every candidate with the same share).
	pub fn decided(&self) -> bool {
		self.scores.len() < 2 || self.scores.iter().any(|s| Some(s) != self.scores.first())
	}
}

/// The dev provider's name of `account`, or its short hex.
pub fn name_of(account: &[u8; 32]) -> String {
	["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"]
		.iter()
		.chain(KNOWN_NAMES.iter())
		.find(|n| DevKey::new(n).account() == *account)
		.map(|n| n.to_string())
		.unwrap_or_else(|| format!("0x{}", hex::encode(&account[..4])))
}

fn account_of(v: Option<&Value>) -> Option<[u8; 32]> {
	v.and_then(|a| a.at(0).or(Some(a))).and_then(|a| a.as_bytes()).and_then(|b| b.try_into().ok())
}

/// The events `LlmnetQueryContracts::<variant>` of query `id` in blocks `from..=to`.
pub fn query_events(
	chain: &Chain,
	id: u64,
	from: u64,
	to: u64,
	variant: &str,
) -> Result<Vec<Value>> {
	let mut out = Vec::new();
	for n in from..=to {
		let hash = chain.rpc.call("chain_getBlockHash", serde_json::json!([n]))?;
		let hash = hash.as_str().ok_or("no block hash")?.to_string();
		for (_, pallet, event) in chain.events(&hash)? {
			if pallet == "LlmnetQueryContracts"
				&& event.variant_name() == Some(variant)
				&& event.field("query").and_then(|q| q.as_u128()) == Some(id as u128)
			{
				out.push(event);
			}
		}
	}
	Ok(out)
}

/// The validators' scores of query `id` (its `Validated` events in blocks `from..=to`).
pub fn validations(chain: &Chain, id: u64, from: u64, to: u64) -> Result<Vec<([u8; 32], u8)>> {
	query_events(chain, id, from, to, "Validated")?
		.iter()
		.map(|e| {
			let who = account_of(e.field("validator")).ok_or("validator account")?;
			let score =
				e.field("score").and_then(|s| s.at(0).or(Some(s))).and_then(|s| s.as_u128());
			Ok((who, score.unwrap_or(0) as u8))
		})
		.collect()
}

/// The `Judged` events of query `id` in blocks `from..=to`.
pub fn judgements(chain: &Chain, id: u64, from: u64, to: u64) -> Result<Vec<Judgement>> {
	let mut out = Vec::new();
	for event in query_events(chain, id, from, to, "Judged")? {
		let judge = account_of(event.field("judge")).ok_or("judge account")?;
		let comparisons = event
			.field("comparisons")
			.and_then(|c| c.as_seq())
			.unwrap_or_default()
			.iter()
			.map(|c| {
				let n = |f: &str| c.field(f).and_then(|v| v.as_u128()).unwrap_or(0) as u8;
				let outcome =
					c.field("outcome").and_then(|o| o.variant_name()).unwrap_or("?").to_string();
				(n("a"), n("b"), outcome, providers::text(c.field("justification")))
			})
			.collect();
		out.push(Judgement { judge, comparisons });
	}
	Ok(out)
}

/// Ask the demo query as Alice, follow it (printing each phase with `log`), and gather what
/// it settled on.
pub fn run(chain: &Chain, opts: &Options, mut log: impl FnMut(String)) -> Result<Outcome> {
	let from = chain.best_number()?;
	let id = opts.create(chain)?;
	log(format!(
		"query {id}: {:?} ({}, {} respondents, {} extra judges, {}), budget 100 LLMN",
		opts.prompt,
		if opts.debate.is_some() { "Debate" } else { "Swarm" },
		opts.respondents,
		opts.extra_judges,
		match &opts.coordinator {
			Some(c) => format!("selected by {}", name_of(c)),
			None => "automatic selection".into(),
		}
	));
	let start = Instant::now();
	let mut candidates: Vec<String> = Vec::new();
	let mut answers: BTreeMap<[u8; 32], String> = BTreeMap::new();
	let mut holders: Vec<u32> = Vec::new();
	let view = providers::follow(chain, id, opts.limit, |v: &Value| {
		log(format!("[{:>6.1}s] {}", start.elapsed().as_secs_f64(), providers::phase_name(v)));
		for r in v.field("respondents").and_then(|r| r.as_seq()).unwrap_or_default() {
			let answer = providers::text(r.field("answer").and_then(|a| a.at(0)));
			let Some(who) = account_of(r.field("account")) else { continue };
			if !answer.is_empty() && answers.insert(who, answer.clone()).is_none() {
				log(format!("           answer  {:<8} {answer:?}", name_of(&who)));
			}
		}
		for d in v.field("debate").and_then(|r| r.as_seq()).unwrap_or_default() {
			log(format!(
				"           debate  round {}: {:?}",
				d.field("round").and_then(|r| r.as_u128()).unwrap_or(0),
				providers::text(d.field("message"))
			));
		}
		let c: Vec<String> = v
			.field("candidates")
			.and_then(|c| c.as_seq())
			.unwrap_or_default()
			.iter()
			.map(|c| providers::text(Some(c)))
			.collect();
		if !c.is_empty() {
			holders = c
				.iter()
				.map(|cand| answers.values().filter(|a| *a == cand).count() as u32)
				.collect();
			candidates = c;
		}
	})?;
	let seconds = start.elapsed().as_secs_f64();
	let to = chain.best_number()?;
	let judgements = judgements(chain, id, from, to)?;
	let validations = validations(chain, id, from, to)?;
	let consensus = view.field("consensus").and_then(|c| c.at(0));
	let scores: Vec<u32> = consensus
		.and_then(|c| c.field("scores"))
		.and_then(|s| s.as_seq())
		.unwrap_or_default()
		.iter()
		.map(|s| s.as_u128().unwrap_or(0) as u32)
		.collect();
	Ok(Outcome {
		id,
		consensus: providers::text(consensus.and_then(|c| c.field("answer"))),
		view,
		candidates,
		holders,
		answers: answers.into_iter().collect(),
		judgements,
		validations,
		scores,
		seconds,
	})
}

/// The outcome as a person reads it: candidates with holders and Bradley-Terry shares, every
/// judge's verdicts with justifications, the consensus.
pub fn report(o: &Outcome) -> String {
	let mut s = String::from("\ncandidate  answer                holders  Bradley-Terry share\n");
	for (i, c) in o.candidates.iter().enumerate() {
		s.push_str(&format!(
			"{i:>9}  {:<20}  {:>7}  {:.3}\n",
			format!("{c:?}"),
			o.holders.get(i).copied().unwrap_or(0),
			o.scores.get(i).copied().unwrap_or(0) as f64 / 1e9
		));
	}
	s.push_str(
		"\njudgements (a pair holding the judge's own answer counts only as a concession; a \
		 verdict is asked in both orders, a Tie when they disagree):\n",
	);
	for j in &o.judgements {
		if j.comparisons.is_empty() {
			s.push_str(&format!("  {:<8} no pair to judge\n", name_of(&j.judge)));
		}
		for (a, b, outcome, why) in &j.comparisons {
			let get = |i: u8| o.candidates.get(usize::from(i)).cloned().unwrap_or_default();
			s.push_str(&format!(
				"  {:<8} {:?} vs {:?}: {outcome:<3}  {why:?}\n",
				name_of(&j.judge),
				get(*a),
				get(*b)
			));
		}
	}
	for (v, score) in &o.validations {
		s.push_str(&format!("  {:<8} validated the consensus: {score} %\n", name_of(v)));
	}
	let c = o.view.field("consensus").and_then(|c| c.at(0));
	s.push_str(&format!(
		"\nconsensus: {:?} ({}; {} iterations; majority candidate {})\n",
		o.consensus,
		if o.decided() { "decided by the judges" } else { "undecided fit: majority" },
		c.and_then(|c| c.field("iterations")).and_then(|i| i.as_u128()).unwrap_or(0),
		c.and_then(|c| c.field("majority")).and_then(|i| i.as_u128()).unwrap_or(0),
	));
	s.push_str(&format!(
		"transcript hash: 0x{}\nsettled in {:.1} s ({})\n",
		hex::encode(
			o.view
				.field("transcript")
				.and_then(|t| t.at(0).or(Some(t)))
				.and_then(|t| t.as_bytes())
				.unwrap_or_default()
		),
		o.seconds,
		providers::phase_name(&o.view)
	));
	s
}
