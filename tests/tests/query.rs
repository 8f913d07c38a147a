//! End-to-end: a Swarm query through every phase on a real dev node, driven by signed
//! extrinsics from several dev accounts, checked through the runtime APIs a front end uses.

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
const T: Duration = Duration::from_secs(30);
/// Domain `general` of the development preset: Bob, Charlie, Dave, Eve and Ferdie.
const GENERAL: u32 = 5;

fn query_view(chain: &Chain, id: u64) -> Value {
	providers::query_view(chain, id).unwrap_or_else(|e| panic!("{e}"))
}

/// The candidates of a query view, as bytes.
fn candidates(view: &Value) -> Vec<Vec<u8>> {
	view.field("candidates")
		.and_then(|c| c.as_seq())
		.unwrap_or_default()
		.iter()
		.map(|c| c.as_bytes().unwrap_or_default().to_vec())
		.collect()
}

fn phase_of(view: &Value) -> String {
	providers::phase_name(view)
}

/// Poll until the query reaches `phase` (or fail with the view).
fn wait_phase(chain: &Chain, node: &Node, id: u64, phase: &str) -> Value {
	let start = Instant::now();
	loop {
		let view = query_view(chain, id);
		if phase_of(&view) == phase {
			return view;
		}
		if start.elapsed() > Duration::from_secs(90) {
			panic!("query {id} never reached {phase}: {view:?}\n{}", node.log_tail(30));
		}
		sleep(Duration::from_millis(300));
	}
}

fn submit(chain: &Chain, node: &Node, who: &DevKey, pallet: &str, call: &str, args: &[u8]) {
	let call = chain.call(pallet, call, args).unwrap();
	let inc = chain
		.sign_and_submit(who, &call, T)
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(30)));
	assert!(inc.succeeded(), "{pallet}::{call:?} failed: {:?}", inc.events);
}

fn salt(who: &DevKey) -> [u8; 32] {
	blake2_256(&who.account())
}

fn work_actions(chain: &Chain, who: &DevKey) -> Vec<String> {
	let w = chain.runtime_api("LlmnetQueryApi", "pending_work", &who.account().encode()).unwrap();
	w.as_seq()
		.unwrap_or_default()
		.iter()
		.filter_map(|i| i.field("action").and_then(|a| a.variant_name()).map(str::to_string))
		.collect()
}

fn reputation(chain: &Chain, who: &DevKey, kind: u8) -> u128 {
	chain
		.runtime_api("LlmnetReputationApi", "reputation", &(who.account(), GENERAL, kind).encode())
		.unwrap()
		.field("value")
		.and_then(|v| v.as_u128())
		.unwrap()
}

/// A judge, its comparisons and its feedback `(to, text)`.
type Judgement<'a> = (&'a DevKey, Vec<(u8, u8, u8, Vec<u8>)>, Vec<([u8; 32], Vec<u8>)>);

/// A comparison `(a, b, outcome, justification)`; outcome 0 = A, 1 = B, 2 = Tie.
fn cmp(a: u8, b: u8, outcome: u8) -> (u8, u8, u8, Vec<u8>) {
	(a, b, outcome, b"6 x 7 is 42; the other is off".to_vec())
}

#[test]
fn swarm_query_goes_through_every_phase_and_settles_by_bradley_terry() {
	let node = Node::dev(1000, &[]).unwrap_or_else(|e| panic!("node did not start: {e}"));
	let chain = Chain::connect(&node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	let (alice, bob) = (DevKey::alice(), DevKey::bob());
	let (charlie, dave, eve, ferdie) =
		(DevKey::new("Charlie"), DevKey::new("Dave"), DevKey::new("Eve"), DevKey::new("Ferdie"));

	// Alice writes the contract with a budget of 100 LLMN; Bob coordinates.
	// Swarm, 3 respondents, 1 extra judge, 1 validator, 20-block phases, default shares,
	// proportional payout, Bradley-Terry, 50 % threshold.
	let params = providers::params(&[1], (3, 1, 1), 20, 20, Some(bob.account()));
	let prompt = "What is 6 x 7? Answer with the number only.";

	// The market, as a front end sees it: Ferdie's terms (none declared: the defaults), a quote
	// for the query (pay per answer 100 x 70 % / 3), and one no provider accepts (3-block
	// phases are shorter than the default 10).
	let terms = |who: &DevKey| {
		chain.runtime_api("LlmnetQueryApi", "terms", &(who.account(), GENERAL).encode()).unwrap()
	};
	let ferdie_terms = terms(&ferdie);
	let in_force = ferdie_terms.at(0).cloned().unwrap();
	assert_eq!(in_force.field("min_phase").and_then(|v| v.as_u128()), Some(10), "{ferdie_terms:?}");
	assert_eq!(in_force.field("answer").and_then(|v| v.as_u128()), Some(0));
	let quote = |params: &[u8], budget: u128| {
		let mut args = (alice.account(), GENERAL).encode();
		args.extend_from_slice(params);
		budget.encode_to(&mut args);
		chain.runtime_api("LlmnetQueryApi", "quote", &args).unwrap()
	};
	let q = quote(&params, 100 * UNIT);
	assert_eq!(q.variant_name(), Some("Ok"), "{q:?}");
	let q = q.at(0).cloned().unwrap();
	assert_eq!(q.field("answer_pay").and_then(|v| v.as_u128()), Some(70 * UNIT / 3));
	assert!(q.field("within_terms").and_then(|v| v.as_u128()).unwrap() >= 3, "{q:?}");
	assert_eq!(q.field("respondents").and_then(|v| v.as_seq()).map(|r| r.len()), Some(3));
	assert_eq!(q.field("fee").and_then(|v| v.as_u128()), Some(UNIT / 100));
	let short = providers::params(&[1], (3, 1, 1), 20, 3, Some(bob.account()));
	let refused = quote(&short, 100 * UNIT);
	assert_eq!(refused.variant_name(), Some("Err"), "{refused:?}");
	// `DispatchError::Module` (`NoProvidersWithinTerms`, by index; the pallet tests check which).
	assert_eq!(refused.at(0).and_then(|e| e.variant_name()), Some("Module"), "{refused:?}");
	// Ferdie announces a price; it applies 50 blocks later (after this query's selection).
	let ask = (GENERAL, 20 * UNIT, UNIT, UNIT, 12u32).encode();
	submit(&chain, &node, &ferdie, "LlmnetQueryContracts", "set_terms", &ask);
	let announced = terms(&ferdie).at(1).and_then(|p| p.at(0)).cloned().unwrap();
	let pending = announced.at(0).cloned().unwrap();
	assert_eq!(pending.field("answer").and_then(|v| v.as_u128()), Some(20 * UNIT), "{announced:?}");

	let id = providers::create_query(&chain, &alice, GENERAL, prompt, params, 100 * UNIT)
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(30)));
	assert_eq!(phase_of(&query_view(&chain, id)), "Selecting");
	assert_eq!(work_actions(&chain, &bob), vec!["Select".to_string()]);
	let ids = chain
		.runtime_api("LlmnetQueryApi", "queries_of", &(alice.account(), 0u32, 10u32).encode())
		.unwrap();
	assert_eq!(ids.at(0).and_then(|v| v.as_u128()), Some(id as u128));

	// Bob selects Charlie, Dave and Ferdie with a rationale.
	let respondents = vec![charlie.account(), dave.account(), ferdie.account()];
	let args = (id, respondents, b"strongest math records".to_vec()).encode();
	submit(&chain, &node, &bob, "LlmnetQueryContracts", "select", &args);
	wait_phase(&chain, &node, id, "Committing");
	assert_eq!(work_actions(&chain, &charlie), vec!["Commit".to_string()]);

	// Commit: blake2_256(SCALE((query, account, answer, salt))), as the runtime API computes.
	let answers: [(&DevKey, &[u8]); 3] = [(&charlie, b"42"), (&dave, b"41"), (&ferdie, b"40")];
	for (who, answer) in answers {
		let c = blake2_256(&(id, who.account(), answer.to_vec(), salt(who)).encode());
		let api = chain
			.runtime_api(
				"LlmnetQueryApi",
				"commitment",
				&(id, who.account(), answer.to_vec(), salt(who)).encode(),
			)
			.unwrap();
		assert_eq!(api.as_bytes(), Some(&c[..]), "commitment scheme matches the runtime");
		submit(&chain, &node, who, "LlmnetQueryContracts", "commit", &(id, c).encode());
	}
	wait_phase(&chain, &node, id, "Revealing");
	for (who, answer) in answers {
		let args = (id, answer.to_vec(), salt(who)).encode();
		submit(&chain, &node, who, "LlmnetQueryContracts", "reveal", &args);
	}

	// Judging: three candidates; each respondent compares the two that are not its own.
	// The extra judge is drawn by stake among the providers of `general` that are not the
	// requester, the coordinator or a respondent: Eve, the only one; she compares every pair.
	let view = wait_phase(&chain, &node, id, "Judging");
	let three = vec![b"42".to_vec(), b"41".to_vec(), b"40".to_vec()];
	assert_eq!(candidates(&view), three);
	let drawn: Vec<&[u8]> = view
		.field("extra_judges")
		.and_then(|j| j.as_seq())
		.unwrap_or_default()
		.iter()
		.filter_map(|j| j.as_bytes())
		.collect();
	assert_eq!(drawn, vec![&eve.account()[..]], "the drawn extra judge");
	assert_eq!(work_actions(&chain, &eve), vec!["Judge".to_string()]);
	assert!(work_actions(&chain, &bob).is_empty(), "the coordinator does not judge");
	let feedback = |to: &DevKey, text: &[u8]| (to.account(), text.to_vec());
	let judgements: [Judgement; 4] = [
		(&charlie, vec![cmp(1, 2, 0)], vec![feedback(&dave, b"close but wrong")]),
		(&dave, vec![cmp(0, 2, 0)], vec![feedback(&charlie, b"correct")]),
		(&ferdie, vec![cmp(0, 1, 0)], vec![feedback(&charlie, b"correct, concise")]),
		(
			&eve,
			vec![cmp(0, 1, 0), cmp(0, 2, 0), cmp(1, 2, 0)],
			vec![feedback(&ferdie, b"off by two")],
		),
	];
	// Sealed (AUDIT M6): each judge commits to
	// blake2_256(SCALE((query, judge, comparisons, feedback, salt))), then reveals.
	for (who, comparisons, fb) in judgements.iter() {
		let c = blake2_256(&(id, who.account(), comparisons, fb, salt(who)).encode());
		submit(&chain, &node, who, "LlmnetQueryContracts", "commit_judgement", &(id, c).encode());
	}
	wait_phase(&chain, &node, id, "RevealingJudgements");
	assert_eq!(work_actions(&chain, &eve), vec!["RevealJudgement".to_string()]);
	for (who, comparisons, fb) in judgements {
		submit(
			&chain,
			&node,
			who,
			"LlmnetQueryContracts",
			"judge",
			&(id, comparisons, fb, salt(who)).encode(),
		);
	}

	// Validating: Eve (a validator of `general`) scores the consensus 90 %.
	let view = wait_phase(&chain, &node, id, "Validating");
	let consensus = view.field("consensus").and_then(|c| c.at(0)).cloned().unwrap();
	assert_eq!(consensus.field("answer").and_then(|a| a.as_bytes()), Some(&b"42"[..]));
	assert_eq!(work_actions(&chain, &eve), vec!["Validate".to_string()]);
	let before: Vec<u128> = [&charlie, &dave, &ferdie]
		.iter()
		.map(|k| chain.free_balance(&k.account()).unwrap())
		.collect();
	let bob_before = chain.free_balance(&bob.account()).unwrap();
	// Sealed too: blake2_256(SCALE((query, validator, score, note, salt))), then the reveal.
	let c = blake2_256(&(id, eve.account(), 90u8, b"right".to_vec(), salt(&eve)).encode());
	submit(&chain, &node, &eve, "LlmnetQueryContracts", "commit_validation", &(id, c).encode());
	wait_phase(&chain, &node, id, "RevealingValidations");
	assert_eq!(work_actions(&chain, &eve), vec!["RevealValidation".to_string()]);
	submit(
		&chain,
		&node,
		&eve,
		"LlmnetQueryContracts",
		"validate",
		&(id, 90u8, b"right".to_vec(), salt(&eve)).encode(),
	);

	// Settled: consensus, quality, payouts, reputations, pruning, nothing pending.
	let view = wait_phase(&chain, &node, id, "Settled");
	let consensus = view.field("consensus").and_then(|c| c.at(0)).cloned().unwrap();
	assert_eq!(consensus.field("answer").and_then(|a| a.as_bytes()), Some(&b"42"[..]));
	assert_eq!(consensus.field("candidate").and_then(|a| a.as_u128()), Some(0));
	let scores: Vec<u128> = consensus
		.field("scores")
		.and_then(|s| s.as_seq())
		.unwrap()
		.iter()
		.map(|s| s.as_u128().unwrap())
		.collect();
	assert!(scores[0] > scores[1] && scores[1] > scores[2], "BT scores {scores:?}");
	let iterations = consensus.field("iterations").and_then(|a| a.as_u128()).unwrap();
	assert!((1..=50).contains(&iterations));
	// Responses and judgements are pruned; the settled record keeps the candidates, who held
	// which and every payment until `reap` (spec 7).
	assert_eq!(candidates(&view), three, "kept candidates");
	let payouts = view.field("payouts").and_then(|p| p.as_seq()).unwrap();
	assert!(!payouts.is_empty(), "kept payouts");
	assert_ne!(view.field("transcript").and_then(|t| t.as_bytes()), Some(&[0u8; 32][..]));
	let after: Vec<u128> = [&charlie, &dave, &ferdie]
		.iter()
		.map(|k| chain.free_balance(&k.account()).unwrap())
		.collect();
	let gains: Vec<i128> =
		after.iter().zip(&before).map(|(a, b)| *a as i128 - *b as i128).collect();
	assert!(gains[0] > gains[1] && gains[1] > gains[2] && gains[2] > 0, "answer payouts {gains:?}");
	// Answers' share (70 %) plus their judges' share (15 %, shared with Eve) at most.
	assert!(gains.iter().map(|g| *g as u128).sum::<u128>() <= 85 * UNIT, "{gains:?}");
	let bob_gain = chain.free_balance(&bob.account()).unwrap() as i128 - bob_before as i128;
	assert!(bob_gain >= 5 * UNIT as i128, "coordinator share: {bob_gain}");
	assert!(reputation(&chain, &charlie, 0) > reputation(&chain, &dave, 0));
	assert!(reputation(&chain, &dave, 0) > reputation(&chain, &ferdie, 0));
	assert!(reputation(&chain, &eve, 1) > 500_000_000, "Eve judged with the consensus");
	for who in [&alice, &bob, &charlie, &dave, &eve, &ferdie] {
		assert!(work_actions(&chain, who).is_empty());
	}
	let fb = chain
		.runtime_api("LlmnetReputationApi", "recent_feedback", &charlie.account().encode())
		.unwrap();
	assert_eq!(fb.as_seq().map(|s| s.len()), Some(2), "{fb:?}");

	// Alice reaps the record and gets her deposit back.
	submit(&chain, &node, &alice, "LlmnetQueryContracts", "reap", &id.encode());
	let gone = chain.runtime_api("LlmnetQueryApi", "query", &id.encode()).unwrap();
	assert_eq!(gone.variant_name(), Some("None"));
}
