//! End-to-end: the sample query of `./scripts/run-dev.sh` ("What is 6 x 7?" with the demo's
//! defaults, simulator personas 0.9 .. 0.1) settles on 42 with a fit the judges decided.
//!
//! The simulator is deterministic and the defaults select all five providers, so nothing in
//! this set-up depends on block hashes: the outcome below is the outcome of every run (the
//! seeds only break ties in automatic selection, and with five of five there is no choice).
//! The old defaults (three respondents chosen by Bob, two extra judges) settled on 41: Bob
//! took Bob (42), Charlie (41) and Ferdie (41); the two left to judge, the 0.5 and 0.3
//! personas, give opposite verdicts in the two orders of the pair, so it is a tie, the fit is
//! undecided and the majority wins (`llmnet_e2e::demo`).

use llmnet_e2e::{
	demo::{self, Options},
	providers,
};

#[test]
fn the_sample_query_settles_on_the_right_answer_with_a_decided_fit() {
	let net = providers::SimNode::start(&[]).with_personas();
	let (node, chain) = (&net.node, net.connect());

	let o = demo::run(&chain, &Options::new("What is 6 x 7?"), |l| println!("{l}"))
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(60)));
	print!("{}", demo::report(&o));
	assert_eq!(providers::phase_name(&o.view), "Settled");
	assert_eq!(o.answers.len(), 5, "all five answered: {:?}", o.answers);
	assert_eq!(o.judgements.len(), 5, "all five judged: {:?}", o.judgements);
	assert!(o.decided(), "the judges decided the fit: {:?}", o.scores);
	assert_eq!(o.consensus, "42");
	let best = o.scores.iter().max().copied().unwrap_or(0);
	let right = o.candidates.iter().position(|c| c == "42").expect("42 is a candidate");
	assert_eq!(o.scores[right], best, "42 has the largest Bradley-Terry share");
}
