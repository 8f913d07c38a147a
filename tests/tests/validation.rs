//! End-to-end: validation tasks on a real dev node, through signed extrinsics and the
//! `LlmnetValidationApi` runtime API. Ten validators register; an evaluation task runs six
//! scoring rounds of noisy benchmark reports (the stake-weighted median is steadier than the
//! raw reports: seed `001_...`); a training task goes through submission, final validation
//! with the revealed evaluation set, and a challenge that validators uphold.

use codec::Encode;
use llmnet_e2e::{
	chain::Chain,
	keys::{blake2_256, DevKey},
	node::Node,
	value::Value,
};
use std::{
	thread::sleep,
	time::{Duration, Instant},
};

const UNIT: u128 = 1_000_000_000_000;
const T: Duration = Duration::from_secs(60);
const SCIENCE: u32 = 4;

fn num(v: Option<&Value>) -> u64 {
	v.and_then(|x| x.as_u128()).map(|x| x as u64).unwrap_or(0)
}

fn view(chain: &Chain, id: u32) -> Value {
	let v = chain.runtime_api("LlmnetValidationApi", "task", &id.encode()).unwrap();
	v.at(0).cloned().unwrap_or_else(|| panic!("no task {id}"))
}

fn phase(v: &Value) -> (String, Option<u64>) {
	let p = v.field("phase").unwrap();
	(
		p.variant_name().unwrap_or("?").to_string(),
		p.field("epoch").and_then(|e| e.as_u128()).map(|e| e as u64),
	)
}

fn wait_block(chain: &Chain, n: u64) {
	let start = Instant::now();
	while chain.best_number().unwrap() < n {
		assert!(start.elapsed() < Duration::from_secs(120), "block {n} not reached");
		sleep(Duration::from_millis(200));
	}
}

/// Wait until `pred` holds for the task's view.
fn wait_view(chain: &Chain, id: u32, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
	let start = Instant::now();
	loop {
		let v = view(chain, id);
		if pred(&v) {
			return v;
		}
		assert!(start.elapsed() < Duration::from_secs(120), "task {id}: {what} not reached: {v:?}");
		sleep(Duration::from_millis(300));
	}
}

fn commitment(task: u32, round: u16, who: &DevKey, scores: &[u32], salt: [u8; 32]) -> [u8; 32] {
	blake2_256(&(task, round, who.account(), scores.to_vec(), salt).encode())
}

/// Every `who` commits, then reveals, its scores for the task's current round; the round
/// closes.
fn score_round(chain: &Chain, id: u32, round: u16, reports: &[(&DevKey, Vec<u32>)]) {
	let v = view(chain, id);
	assert_eq!(num(v.field("round").and_then(|r| r.at(0))), u64::from(round), "{v:?}");
	let salt = |k: &DevKey| blake2_256(&(k.account(), round).encode());
	let commits: Vec<(&DevKey, Vec<u8>)> = reports
		.iter()
		.map(|(k, s)| {
			let c = commitment(id, round, k, s, salt(k));
			(*k, chain.call("LlmnetValidation", "commit_scores", &(id, c).encode()).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&commits, T).unwrap() {
		assert!(inc.succeeded(), "commit: {:?}", inc.events);
	}
	wait_block(chain, num(v.field("reveal_from")));
	let reveals: Vec<(&DevKey, Vec<u8>)> = reports
		.iter()
		.map(|(k, s)| {
			let args = (id, s.clone(), salt(k)).encode();
			(*k, chain.call("LlmnetValidation", "reveal_scores", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&reveals, T).unwrap() {
		assert!(inc.succeeded(), "reveal: {:?}", inc.events);
	}
	let closed = v.field("rounds").and_then(|r| r.as_seq()).map(|r| r.len()).unwrap_or(0);
	wait_view(chain, id, "round closed", |v| {
		v.field("rounds").and_then(|r| r.as_seq()).map(|r| r.len()).unwrap_or(0) > closed
	});
}

fn create_task(
	chain: &Chain,
	who: &DevKey,
	kind: u8,
	commitment: [u8; 32],
	pool: u128,
	lengths: (u16, u32, u32, u32, u32),
) -> u32 {
	let args =
		(SCIENCE, kind, b"ipfs://spec".to_vec(), [1u8; 32], commitment, pool, lengths).encode();
	let call = chain.call("LlmnetValidation", "create_task", &args).unwrap();
	let inc = chain.sign_and_submit(who, &call, T).unwrap();
	let ev =
		inc.event("LlmnetValidation", "TaskCreated").unwrap_or_else(|| panic!("{:?}", inc.events));
	num(ev.field("task")) as u32
}

/// Deterministic normal noise (LCG + Box-Muller).
struct Noise(u64);
impl Noise {
	fn unit(&mut self) -> f64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
	}
	fn normal(&mut self, mean: f64, sd: f64) -> f64 {
		let (u, v) = (self.unit(), self.unit());
		mean + sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
	}
}

fn std_dev(v: &[f64]) -> f64 {
	let m = v.iter().sum::<f64>() / v.len() as f64;
	(v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

#[test]
fn evaluation_median_and_training_task_with_an_upheld_challenge() {
	let node = Node::dev(1000, &[]).unwrap_or_else(|e| panic!("node: {e}"));
	let chain = Chain::connect(&node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	let alice = DevKey::alice();

	// Ten validators of `science`, funded by Alice, bonded 200 + 50 i LLMN.
	let validators: Vec<DevKey> = (0..10).map(|i| DevKey::new(&format!("Validator{i}"))).collect();
	let funding: Vec<(&DevKey, Vec<u8>)> = validators
		.iter()
		.map(|v| {
			let mut args = vec![0u8];
			args.extend_from_slice(&v.account());
			codec::Compact(10_000 * UNIT).encode_to(&mut args);
			(&alice, chain.call("Balances", "transfer_keep_alive", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&funding, T).unwrap() {
		assert!(inc.succeeded(), "{:?}", inc.events);
	}
	let registering: Vec<(&DevKey, Vec<u8>)> = validators
		.iter()
		.enumerate()
		.map(|(i, v)| {
			let args = (
				(false, false, true),
				vec![SCIENCE],
				b"evaluator".to_vec(),
				b"".to_vec(),
				(200 + 50 * i as u128) * UNIT,
			)
				.encode();
			(v, chain.call("LlmnetStaking", "register", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&registering, T).unwrap() {
		assert!(inc.event("LlmnetStaking", "NodeRegistered").is_some(), "{:?}", inc.events);
	}

	// Evaluation: six runs of ten noisy reports (true score 62 %, noise 1.67 points).
	let rounds = 6u16;
	let id = create_task(&chain, &alice, 1, [0; 32], 600 * UNIT, (rounds, 6, 6, 0, 0));
	let mut noise = Noise(2026);
	let mut raw = Vec::new();
	for round in 0..rounds {
		let reports: Vec<(&DevKey, Vec<u32>)> = validators
			.iter()
			.map(|v| {
				let x = noise.normal(62.0, 1.67).clamp(0.0, 100.0);
				raw.push(x);
				(v, vec![(x * 1e7).round() as u32])
			})
			.collect();
		score_round(&chain, id, round, &reports);
	}
	let v = wait_view(&chain, id, "closed", |v| phase(v).0 == "Closed");
	let records = v.field("rounds").and_then(|r| r.as_seq()).unwrap().to_vec();
	assert_eq!(records.len(), rounds as usize);
	let medians: Vec<f64> = records
		.iter()
		.map(|r| num(r.field("consensus").and_then(|c| c.at(0))) as f64 / 1e7)
		.collect();
	let spreads: Vec<f64> = records.iter().map(|r| num(r.field("spread")) as f64 / 1e7).collect();
	let (raw_sd, median_sd) = (std_dev(&raw), std_dev(&medians));
	println!(
		"evaluation: {} reports, std of raw reports {raw_sd:.2} points, std of the {rounds} per-run medians {median_sd:.2}; per-run raw spread {spreads:.2?}; medians {medians:.2?}",
		raw.len()
	);
	assert!(median_sd < raw_sd * 0.75, "median consensus is steadier: {median_sd} vs {raw_sd}");
	let paid = num(v.field("paid")) as u128;
	assert!(paid <= 600 * UNIT && paid > 599 * UNIT, "the pool went to the validators: {paid}");

	// Training: Eve and Ferdie (providers of science) submit; three validators score.
	let (eve, ferdie, charlie) =
		(DevKey::new("Eve"), DevKey::new("Ferdie"), DevKey::new("Charlie"));
	let set = b"ipfs://hidden-eval-set#5eed".to_vec();
	let set_salt = [9u8; 32];
	let commitment = blake2_256(&(set.clone(), set_salt).encode());
	let id = create_task(&chain, &alice, 0, commitment, 1_000 * UNIT, (1, 8, 6, 6, 30));
	let submits: Vec<(&DevKey, Vec<u8>)> = [(&eve, 0xe5u8), (&ferdie, 0xf5)]
		.into_iter()
		.map(|(k, tag)| {
			let args = (id, [tag; 32], b"ipfs://model".to_vec()).encode();
			(k, chain.call("LlmnetValidation", "submit", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&submits, T).unwrap() {
		assert!(inc.event("LlmnetValidation", "Submitted").is_some(), "{:?}", inc.events);
	}
	let three: Vec<&DevKey> = validators.iter().take(3).collect();
	let scores = |a: u32, b: u32| {
		three.iter().map(|k| (*k, vec![a * 10_000_000, b * 10_000_000])).collect::<Vec<_>>()
	};
	score_round(&chain, id, 0, &scores(80, 60));
	let v = wait_view(&chain, id, "final validation", |v| phase(v).0 == "FinalValidation");
	let call =
		chain.call("LlmnetValidation", "reveal_eval_set", &(id, set, set_salt).encode()).unwrap();
	let inc = chain.sign_and_submit(&alice, &call, T).unwrap();
	assert!(inc.event("LlmnetValidation", "EvalSetRevealed").is_some(), "{:?}", inc.events);
	assert!(num(v.field("round_start")) > 0);
	score_round(&chain, id, 1, &scores(78, 70));
	let v = wait_view(&chain, id, "challenge", |v| phase(v).0 == "Challenge");
	let subs = v.field("submissions").and_then(|s| s.as_seq()).unwrap().to_vec();
	let vested: Vec<u128> = subs.iter().map(|s| num(s.field("vested")) as u128).collect();
	let earned: Vec<u128> = subs.iter().map(|s| num(s.field("earned")) as u128).collect();
	println!("training: epoch rewards {earned:?}, vested {vested:?}");
	assert!(earned[0] > earned[1] && vested[0] > vested[1] && vested[1] > 0, "{subs:?}");

	// Charlie challenges Ferdie's model in the phase's first third (30 blocks: the runtime's
	// shortest, 10-block thirds); Ferdie answers; in the last third four validators uphold
	// (2_300 of the 5_250 LLMN of science's validator stake: the quorum is a third), one
	// rejects.
	let deadline = num(v.field("deadline"));
	let bond = 10 * UNIT;
	let call = chain
		.call(
			"LlmnetValidation",
			"challenge",
			&(id, 1u16, b"weights match a public model".to_vec(), bond).encode(),
		)
		.unwrap();
	assert!(chain
		.sign_and_submit(&charlie, &call, T)
		.unwrap()
		.event("LlmnetValidation", "Challenged")
		.is_some());
	let call = chain
		.call(
			"LlmnetValidation",
			"respond",
			&(id, 1u16, [7u8; 32], b"ipfs://training-log".to_vec()).encode(),
		)
		.unwrap();
	assert!(chain
		.sign_and_submit(&ferdie, &call, T)
		.unwrap()
		.event("LlmnetValidation", "ChallengeAnswered")
		.is_some());
	// Votes are sealed: committed in the first half of the last third (blocks deadline - 10
	// to deadline - 6), revealed in the second (AUDIT H1).
	wait_block(&chain, deadline - 10);
	let sides = [(9usize, true), (8, true), (7, true), (6, true), (0, false)];
	let salt = |i: usize| [i as u8 + 1; 32];
	let commits: Vec<(&DevKey, Vec<u8>)> = sides
		.into_iter()
		.map(|(i, up)| {
			let commitment = blake2_256(&(id, 1u16, validators[i].account(), up, salt(i)).encode());
			let args = (id, 1u16, commitment).encode();
			(&validators[i], chain.call("LlmnetValidation", "commit_vote", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&commits, T).unwrap() {
		assert!(inc.event("LlmnetValidation", "ChallengeVoteSealed").is_some(), "{:?}", inc.events);
	}
	wait_block(&chain, deadline - 5);
	let reveals: Vec<(&DevKey, Vec<u8>)> = sides
		.into_iter()
		.map(|(i, up)| {
			let args = (id, 1u16, up, salt(i)).encode();
			(&validators[i], chain.call("LlmnetValidation", "reveal_vote", &args).unwrap())
		})
		.collect();
	for inc in chain.submit_batch(&reveals, T).unwrap() {
		assert!(inc.event("LlmnetValidation", "ChallengeVoted").is_some(), "{:?}", inc.events);
	}
	let node_bond = |k: &DevKey| {
		let v = chain.runtime_api("LlmnetStakingApi", "node", &k.account().encode()).unwrap();
		v.at(0).and_then(|n| n.field("bond")).and_then(|b| b.as_u128()).unwrap()
	};
	let (charlie_before, ferdie_bond) =
		(chain.free_balance(&charlie.account()).unwrap(), node_bond(&ferdie));
	let v = wait_view(&chain, id, "closed", |v| phase(v).0 == "Closed");
	let charlie_after = chain.free_balance(&charlie.account()).unwrap();
	assert_eq!(
		charlie_after,
		charlie_before + bond + vested[1],
		"bond back plus Ferdie's vested reward"
	);
	assert_eq!(node_bond(&ferdie), ferdie_bond - ferdie_bond / 10, "Ferdie slashed 10 %");
	let subs = v.field("submissions").and_then(|s| s.as_seq()).unwrap().to_vec();
	assert_eq!(
		num(subs[0].field("earned")) as u128,
		earned[0] + vested[0],
		"Eve's vested reward paid"
	);
	assert_eq!(num(v.field("held")), 0);
	println!(
		"training task closed: paid {} LLMN, Charlie awarded {} (+ bond back), Ferdie's bond {} -> {}",
		num(v.field("paid")) as f64 / UNIT as f64,
		vested[1] as f64 / UNIT as f64,
		ferdie_bond / UNIT,
		node_bond(&ferdie) / UNIT
	);
}
