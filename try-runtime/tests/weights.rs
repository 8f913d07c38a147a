//! Declared weights against what the benchmarks measured (AUDIT M3/M4). `./scripts/bench.sh`
//! regenerates each pallet's `weights.rs` and writes the measured points next to it
//! (`pallets/<pallet>/measured-weights.txt`, by `scripts/measured-weights.py`); this test
//! evaluates the runtime's `WeightInfo` at every measured component point and fails when a
//! declared weight is below the measurement:
//! - proof size: the declared size covers the largest proof recorded (exact: the recorder
//!   is deterministic; this is where MaxEncodedLen estimates undershot before);
//! - ref time: the declared time covers the median extrinsic time plus the database
//!   accesses at the runtime's `DbWeight`, within [`WORST_CASE_SLACK`] where every component
//!   is at its maximum (what the hooks and the block builder rely on) and within
//!   [`REF_TIME_SLACK`] elsewhere (timing noise: the weights are a linear fit of the medians,
//!   which a single point may exceed).
//!
//! Every benchmark must be measured and every measured benchmark must have a weight function,
//! so a new or renamed benchmark fails here until `./scripts/bench.sh` is run.

use llmnet_runtime::Runtime;
use polkadot_sdk::frame_support::weights::Weight;
use std::collections::{BTreeMap, BTreeSet};

use pallet_llmnet_query_contracts::weights::{SubstrateWeight as QcW, WeightInfo as _};
use pallet_llmnet_reputation::weights::{SubstrateWeight as ReW, WeightInfo as _};
use pallet_llmnet_staking::weights::{SubstrateWeight as StW, WeightInfo as _};
use pallet_llmnet_validation::weights::{SubstrateWeight as VaW, WeightInfo as _};

type St = StW<Runtime>;
type Re = ReW<Runtime>;
type Qc = QcW<Runtime>;
type Va = VaW<Runtime>;

/// How far (in per cent) a declared ref time may sit below the measured median at the
/// benchmark's worst case (every component at its maximum).
const WORST_CASE_SLACK: u64 = 5;
/// How far (in per cent) a declared ref time may sit below the measured median at another
/// point (timing noise around the linear fit: single points of `judge` sit up to 13 % above
/// it; the respondent-bound undershoot of `advance_select` was 11-25 %).
const REF_TIME_SLACK: u64 = 15;

const PALLETS: [(&str, &str); 4] = [
	("pallet_llmnet_staking", "staking"),
	("pallet_llmnet_reputation", "reputation"),
	("pallet_llmnet_query_contracts", "query-contracts"),
	("pallet_llmnet_validation", "validation"),
];

/// The runtime's weight of benchmark `bench` of `pallet` at components `c`.
fn declared(pallet: &str, bench: &str, c: &dyn Fn(&str) -> u32) -> Option<Weight> {
	Some(match (pallet, bench) {
		("pallet_llmnet_staking", "register_domain") => St::register_domain(),
		("pallet_llmnet_staking", "retire_domain") => St::retire_domain(),
		("pallet_llmnet_staking", "register") => St::register(c("d")),
		("pallet_llmnet_staking", "update_profile") => St::update_profile(c("d")),
		("pallet_llmnet_staking", "bond_extra") => St::bond_extra(),
		("pallet_llmnet_staking", "unbond") => St::unbond(),
		("pallet_llmnet_staking", "withdraw_unbonded") => St::withdraw_unbonded(c("c")),
		("pallet_llmnet_staking", "deregister") => St::deregister(c("d")),
		("pallet_llmnet_staking", "set_commission") => St::set_commission(),
		("pallet_llmnet_staking", "delegate") => St::delegate(),
		("pallet_llmnet_staking", "undelegate") => St::undelegate(),
		("pallet_llmnet_staking", "claim_rewards") => St::claim_rewards(),
		("pallet_llmnet_staking", "compound") => St::compound(),
		("pallet_llmnet_staking", "set_capability") => St::set_capability(),
		("pallet_llmnet_reputation", "force_set_reputation") => Re::force_set_reputation(),
		("pallet_llmnet_reputation", "clear_feedback") => Re::clear_feedback(),
		("pallet_llmnet_query_contracts", "create_query") => Qc::create_query(),
		("pallet_llmnet_query_contracts", "cancel") => Qc::cancel(),
		("pallet_llmnet_query_contracts", "select") => Qc::select(c("n")),
		("pallet_llmnet_query_contracts", "commit") => Qc::commit(),
		("pallet_llmnet_query_contracts", "reveal") => Qc::reveal(),
		("pallet_llmnet_query_contracts", "debate") => Qc::debate(),
		("pallet_llmnet_query_contracts", "judge") => Qc::judge(c("c"), c("f")),
		("pallet_llmnet_query_contracts", "commit_judgement") => Qc::commit_judgement(),
		("pallet_llmnet_query_contracts", "advance_judged") => Qc::advance_judged(c("n")),
		("pallet_llmnet_query_contracts", "commit_validation") => Qc::commit_validation(),
		("pallet_llmnet_query_contracts", "validate") => Qc::validate(),
		("pallet_llmnet_query_contracts", "advance_select") => Qc::advance_select(c("n")),
		("pallet_llmnet_query_contracts", "advance_open_judging") => {
			Qc::advance_open_judging(c("n"))
		}
		("pallet_llmnet_query_contracts", "advance_settle") => Qc::advance_settle(),
		("pallet_llmnet_query_contracts", "advance_validated") => Qc::advance_validated(),
		("pallet_llmnet_query_contracts", "advance_missed") => Qc::advance_missed(c("n")),
		("pallet_llmnet_query_contracts", "schedule") => Qc::schedule(c("s")),
		("pallet_llmnet_query_contracts", "reap") => Qc::reap(),
		("pallet_llmnet_query_contracts", "set_terms") => Qc::set_terms(),
		("pallet_llmnet_query_contracts", "bradley_terry") => Qc::bradley_terry(c("s")),
		("pallet_llmnet_validation", "create_task") => Va::create_task(),
		("pallet_llmnet_validation", "submit") => Va::submit(),
		("pallet_llmnet_validation", "commit_scores") => Va::commit_scores(),
		("pallet_llmnet_validation", "reveal_scores") => Va::reveal_scores(c("s")),
		("pallet_llmnet_validation", "reveal_eval_set") => Va::reveal_eval_set(),
		("pallet_llmnet_validation", "challenge") => Va::challenge(),
		("pallet_llmnet_validation", "respond") => Va::respond(),
		("pallet_llmnet_validation", "commit_vote") => Va::commit_vote(),
		("pallet_llmnet_validation", "reveal_vote") => Va::reveal_vote(),
		("pallet_llmnet_validation", "advance_close_round") => {
			Va::advance_close_round(c("s"), c("r"))
		}
		("pallet_llmnet_validation", "advance_close_task") => Va::advance_close_task(c("s")),
		("pallet_llmnet_validation", "schedule") => Va::schedule(c("s")),
		("pallet_llmnet_validation", "reap") => Va::reap(c("s")),
		("pallet_llmnet_validation", "create_calibration") => Va::create_calibration(c("q")),
		("pallet_llmnet_validation", "commit_calibration") => Va::commit_calibration(),
		("pallet_llmnet_validation", "reveal_calibration") => Va::reveal_calibration(c("q")),
		("pallet_llmnet_validation", "reveal_key") => Va::reveal_key(c("p"), c("q")),
		("pallet_llmnet_validation", "close_calibration") => Va::close_calibration(c("p")),
		_ => return None,
	})
}

/// The names of the weight functions of `pallet` (its `WeightInfo` trait, from the source).
fn weight_functions(dir: &str) -> BTreeSet<String> {
	let src = read(&format!("pallets/{dir}/src/weights.rs"));
	let body = src.split("pub trait WeightInfo {").nth(1).and_then(|s| s.split("\n}").next());
	body.unwrap_or_default()
		.lines()
		.filter_map(|l| l.trim().strip_prefix("fn "))
		.filter_map(|l| l.split('(').next())
		.map(str::to_owned)
		.collect()
}

fn read(path: &str) -> String {
	let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
	std::fs::read_to_string(&full)
		.unwrap_or_else(|e| panic!("{full}: {e} (run ./scripts/bench.sh)"))
}

/// One line of `measured-weights.txt`: a benchmark at one component point.
struct Point {
	bench: String,
	/// `name=value,...` as written (or `-`), for messages.
	label: String,
	components: Vec<(String, u32)>,
	time_ns: u64,
	reads: u64,
	writes: u64,
	proof: u64,
}

fn points(dir: &str) -> Vec<Point> {
	let text = read(&format!("pallets/{dir}/measured-weights.txt"));
	let lines = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
	lines
		.map(|line| {
			let f: Vec<&str> = line.split_whitespace().collect();
			assert_eq!(f.len(), 6, "{dir}: malformed line {line:?}");
			let n = |i: usize| f[i].parse::<u64>().unwrap_or_else(|e| panic!("{line:?}: {e}"));
			let components = f[1]
				.split(',')
				.filter(|kv| *kv != "-")
				.map(|kv| {
					let (k, v) = kv.split_once('=').unwrap_or_else(|| panic!("{line:?}"));
					(k.to_owned(), v.parse().unwrap_or_else(|e| panic!("{line:?}: {e}")))
				})
				.collect();
			Point {
				bench: f[0].to_owned(),
				label: f[1].to_owned(),
				components,
				time_ns: n(2),
				reads: n(3),
				writes: n(4),
				proof: n(5),
			}
		})
		.collect()
}

#[test]
fn declared_weights_cover_the_measured_worst_cases() {
	let db = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
	let mut failures = Vec::new();
	let mut count = 0usize;
	for (pallet, dir) in PALLETS {
		let mut measured = BTreeSet::new();
		let points = points(dir);
		// The largest value of each component of each benchmark.
		let mut maxima: BTreeMap<(&str, &str), u32> = BTreeMap::new();
		for p in &points {
			for (k, v) in &p.components {
				let m = maxima.entry((p.bench.as_str(), k.as_str())).or_default();
				*m = (*m).max(*v);
			}
		}
		for p in &points {
			let (bench, comps) = (p.bench.as_str(), p.label.as_str());
			let comp = |name: &str| {
				p.components
					.iter()
					.find_map(|(k, v)| (k == name).then_some(*v))
					.unwrap_or_else(|| panic!("{pallet}::{bench}: no component {name} in {comps}"))
			};
			let Some(w) = declared(pallet, bench, &comp) else {
				failures.push(format!("{pallet}::{bench}: measured but no weight function"));
				continue;
			};
			measured.insert(bench.to_owned());
			count += 1;
			let ref_time = p.time_ns * 1_000 + db.reads_writes(p.reads, p.writes).ref_time();
			if w.proof_size() < p.proof {
				failures.push(format!(
					"{pallet}::{bench}({comps}): proof size {} declared < {} measured",
					w.proof_size(),
					p.proof
				));
			}
			let worst =
				p.components.iter().all(|(k, v)| maxima.get(&(bench, k.as_str())) == Some(v));
			let slack = if worst { WORST_CASE_SLACK } else { REF_TIME_SLACK };
			if w.ref_time() * 100 < ref_time * (100 - slack) {
				failures.push(format!(
					"{pallet}::{bench}({comps}): ref time {} declared < {ref_time} measured",
					w.ref_time()
				));
			}
		}
		for f in weight_functions(dir).difference(&measured) {
			failures.push(format!("{pallet}::{f}: a weight function never measured"));
		}
	}
	assert!(count > 100, "only {count} measured points");
	assert!(failures.is_empty(), "{} of {count} points:\n{}", failures.len(), failures.join("\n"));
}
