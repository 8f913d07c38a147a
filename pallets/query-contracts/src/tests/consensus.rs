//! Bradley-Terry against an f64 reference, the named test vector, and a Monte-Carlo swarm.

use crate::{
	consensus::{agreement, argmax, bradley_terry, judge_weight, majority, BtParams, Tally},
	types::PairOutcome,
};
use frame::arithmetic::{FixedU128, One, Perbill, Zero};
use proptest::prelude::*;
use rand::{rngs::SmallRng, Rng, SeedableRng};

/// One judgement: weight, a, b, outcome.
type Judgement = (f64, usize, usize, PairOutcome);

fn fixed(x: f64) -> FixedU128 {
	FixedU128::from_inner((x * 1e18) as u128)
}

fn to_f64(x: FixedU128) -> f64 {
	x.into_inner() as f64 / 1e18
}

fn tally(k: usize, judgements: &[Judgement]) -> Tally {
	let mut t = Tally::new(k);
	for (w, a, b, o) in judgements {
		assert!(t.add(fixed(*w), *a, *b, *o));
	}
	t
}

/// The reference: the same model's maximum-likelihood scores in f64, by Newman's iteration
/// (a different algorithm from the runtime's Newton steps) run until no score moves by 1e-14
/// relative, normalised to sum `k`.
fn exact(k: usize, judgements: &[Judgement], prior: f64) -> Vec<f64> {
	// beat[i][j]: weight of i's wins over j (a tie counts half to each).
	let mut beat = vec![vec![0.0; k]; k];
	for (w, a, b, o) in judgements {
		match o {
			PairOutcome::A => beat[*a][*b] += w,
			PairOutcome::B => beat[*b][*a] += w,
			PairOutcome::Tie => {
				beat[*a][*b] += w / 2.0;
				beat[*b][*a] += w / 2.0;
			}
		}
	}
	let mut pi = vec![1.0f64; k];
	for _ in 0..2_000_000 {
		let mut moved = 0.0f64;
		for i in 0..k {
			let virt = prior / (pi[i] + 1.0);
			let (mut num, mut den) = (virt, virt);
			for j in 0..k {
				if j != i {
					let s = pi[i] + pi[j];
					num += beat[i][j] * pi[j] / s;
					den += beat[j][i] / s;
				}
			}
			let next = num / den;
			moved = moved.max(((next - pi[i]) / pi[i]).abs());
			pi[i] = next;
		}
		if moved <= 1e-14 {
			break;
		}
	}
	let sum: f64 = pi.iter().sum();
	pi.iter().map(|x| x * k as f64 / sum).collect()
}

/// How far the best score of `scores` leads the second (relative), and its index.
fn lead(scores: &[f64]) -> (usize, f64) {
	let best = (0..scores.len()).fold(0, |b, i| if scores[i] > scores[b] { i } else { b });
	let second = (0..scores.len()).filter(|i| *i != best).map(|i| scores[i]).fold(0.0, f64::max);
	(best, if second > 0.0 { scores[best] / second - 1.0 } else { f64::INFINITY })
}

/// The runtime's parameters: 32 Newton steps, tolerance 1e-9, prior 0.1.
fn runtime_params() -> BtParams {
	params(32, FixedU128::from_inner(1_000_000_000))
}

fn params(iterations: u32, tolerance: FixedU128) -> BtParams {
	BtParams { max_iterations: iterations, tolerance, prior: FixedU128::from_rational(1, 10) }
}

/// Random instances: `k` in 2..=16 candidates, up to 40 judgements with weights in
/// [0.05, 1], all three outcomes; some candidates never win or never appear.
fn instance() -> impl Strategy<Value = (usize, Vec<Judgement>)> {
	(2usize..=16).prop_flat_map(|k| {
		let judgement =
			(0.05f64..=1.0, 0..k, 0..k, 0u8..3).prop_filter_map("a != b", |(w, a, b, o)| {
				(a != b).then_some((
					(w * 1e6).round() / 1e6,
					a,
					b,
					[PairOutcome::A, PairOutcome::B, PairOutcome::Tie][o as usize],
				))
			});
		(Just(k), prop::collection::vec(judgement, 0..40))
	})
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2_000))]

	/// The fixed-point Newton fit converges within the runtime's bound to the exact f64
	/// maximum-likelihood scores (within 1e-6 relative), and names the same winner unless the
	/// exact fit itself has a near-tie.
	#[test]
	fn bt_matches_the_exact_f64_fit((k, judgements) in instance()) {
		let fit = bradley_terry(&tally(k, &judgements), &runtime_params());
		prop_assert!(fit.converged, "{fit:?}");
		let want = exact(k, &judgements, 0.1);
		prop_assert_eq!(fit.scores.len(), k);
		for (got, want) in fit.scores.iter().zip(want.iter()) {
			let got = to_f64(*got);
			prop_assert!(
				(got - want).abs() <= 1e-6 * want.abs().max(1e-3),
				"got {got}, want {want}"
			);
		}
		let (best, lead) = lead(&want);
		if lead > 1e-9 {
			prop_assert_eq!(argmax(&fit.scores), Some(best));
		}
		// Normalised to mean 1.
		let sum: f64 = fit.scores.iter().map(|s| to_f64(*s)).sum();
		prop_assert!((sum - k as f64).abs() < 1e-9 * k as f64);
	}

	/// The fit never panics and stays positive on arbitrary weights, including huge ones.
	#[test]
	fn bt_is_total(k in 1usize..=16, raw in prop::collection::vec((any::<u64>(), 0usize..16, 0usize..16, 0u8..3), 0..60)) {
		let mut t = Tally::new(k);
		for (w, a, b, o) in raw {
			let o = [PairOutcome::A, PairOutcome::B, PairOutcome::Tie][o as usize];
			let added = t.add(FixedU128::from_inner(w as u128 * 1_000_000_000), a, b, o);
			prop_assert_eq!(added, a != b && a < k && b < k);
		}
		let fit = bradley_terry(&t, &runtime_params());
		prop_assert!(fit.iterations <= 32);
		prop_assert_eq!(fit.scores.len(), k);
		prop_assert!(fit.scores.iter().all(|s| !s.is_zero()));
	}
}

/// Random sparse weighted instances like the ones sparse judging produces: `k` in 2..=16
/// candidates with hidden strengths, `k` to `6k` comparisons, judge weights 1-5, one in ten a
/// tie. Returns the instance.
pub fn sparse_instance(rng: &mut SmallRng) -> (usize, Vec<Judgement>) {
	let k = rng.gen_range(2..=16);
	let m = rng.gen_range(k..=6 * k);
	let strength: Vec<f64> = (0..k).map(|_| rng.gen_range(-2.0f64..2.0).exp()).collect();
	let judgements = (0..m)
		.map(|_| {
			let a = rng.gen_range(0..k);
			let b = (a + rng.gen_range(1..k)) % k;
			let w = rng.gen_range(1..=5) as f64;
			let outcome = if rng.gen_bool(0.1) {
				PairOutcome::Tie
			} else if rng.gen_bool(strength[a] / (strength[a] + strength[b])) {
				PairOutcome::A
			} else {
				PairOutcome::B
			};
			(w, a, b, outcome)
		})
		.collect();
	(k, judgements)
}

/// Issue 18's convergence test: on 3,000 seeded sparse weighted instances the runtime's fit
/// converges within its bound every time and names the exact fit's winner wherever that
/// winner leads by more than 0.1 %. (The iteration it replaced, 50 Jacobi MM iterations,
/// converged in 13 % of such instances and named another winner in 3.3 %; a long release run of
/// this test over 100,000 instances is in docs/performance.md.)
#[test]
fn bt_finds_the_exact_winner_on_sparse_weighted_instances() {
	let n: usize = std::env::var("BT_INSTANCES").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000);
	let mut rng = SmallRng::seed_from_u64(18);
	let (mut steps, mut disagree, mut near_ties) = (Vec::new(), 0usize, 0usize);
	for _ in 0..n {
		let (k, j) = sparse_instance(&mut rng);
		let fit = bradley_terry(&tally(k, &j), &runtime_params());
		assert!(fit.converged, "k {k}, {j:?}: {fit:?}");
		steps.push(fit.iterations);
		let (best, lead) = lead(&exact(k, &j, 0.1));
		if lead <= 1e-3 {
			near_ties += 1;
		} else if argmax(&fit.scores) != Some(best) {
			disagree += 1;
		}
	}
	steps.sort();
	println!(
		"{n} sparse instances: Newton steps median {} p99 {} max {}; {near_ties} near-ties \
		 (lead <= 0.1 %); {disagree} other disagreements",
		steps[n / 2],
		steps[n * 99 / 100],
		steps[n - 1]
	);
	assert_eq!(disagree, 0);
}

/// The reputation weighting: two judges disagree about one pair; the heavier judge's verdict
/// wins, the fit is the maximum-likelihood fit of the weighted counts, and swapping the
/// weights swaps the winner. Equal weights leave the pair tied.
#[test]
fn judge_weights_move_the_fit_as_the_model_says() {
	let fit_of = |wa: f64, wb: f64| {
		let j = vec![(wa, 0, 1, PairOutcome::A), (wb, 0, 1, PairOutcome::B)];
		let fit = bradley_terry(&tally(2, &j), &runtime_params());
		let want = exact(2, &j, 0.1);
		for (got, want) in fit.scores.iter().zip(want.iter()) {
			assert!((to_f64(*got) - want).abs() < 1e-9, "{fit:?} vs {want:?}");
		}
		fit.scores
	};
	let heavy_a = fit_of(0.9, 0.1);
	assert!(heavy_a[0] > heavy_a[1], "{heavy_a:?}");
	let heavy_b = fit_of(0.1, 0.9);
	assert!(heavy_b[1] > heavy_b[0], "{heavy_b:?}");
	assert_eq!(heavy_a[0], heavy_b[1], "the model is symmetric in the candidates");
	let equal = fit_of(0.5, 0.5);
	assert_eq!(equal[0], equal[1]);
	// Five light judges against one heavy one: 5 x 0.1 < 0.9, so the heavy judge still wins.
	let mut j = vec![(0.9, 0, 1, PairOutcome::A)];
	j.extend(std::iter::repeat_n((0.1, 0, 1, PairOutcome::B), 5));
	let fit = bradley_terry(&tally(2, &j), &runtime_params());
	assert_eq!(argmax(&fit.scores), Some(0), "{fit:?}");
	// ... and ten of them (1.0 > 0.9) outweigh it.
	j.extend(std::iter::repeat_n((0.1, 0, 1, PairOutcome::B), 5));
	let fit = bradley_terry(&tally(2, &j), &runtime_params());
	assert_eq!(argmax(&fit.scores), Some(1), "{fit:?}");
}

#[test]
fn converges_within_the_runtime_bound_on_typical_data() {
	// Three candidates, clear preferences.
	let j = vec![
		(1.0, 0, 1, PairOutcome::A),
		(1.0, 0, 2, PairOutcome::A),
		(1.0, 1, 2, PairOutcome::A),
		(0.5, 0, 1, PairOutcome::Tie),
	];
	let fit = bradley_terry(&tally(3, &j), &runtime_params());
	assert!(fit.converged, "{fit:?}");
	assert!(fit.iterations < 32);
	assert_eq!(argmax(&fit.scores), Some(0));
	assert!(fit.scores[0] > fit.scores[1] && fit.scores[1] > fit.scores[2]);
}

#[test]
fn no_judgements_gives_equal_scores_and_lowest_index() {
	let fit = bradley_terry(&Tally::new(4), &runtime_params());
	assert!(fit.scores.iter().all(|s| *s == FixedU128::one()));
	assert_eq!(argmax(&fit.scores), Some(0));
	assert!(fit.converged);
}

#[test]
fn tally_rejects_self_and_out_of_range() {
	let mut t = Tally::new(2);
	assert!(!t.add(FixedU128::one(), 0, 0, PairOutcome::A));
	assert!(!t.add(FixedU128::one(), 0, 2, PairOutcome::A));
	assert_eq!(t, Tally::new(2));
	assert!(t.add(FixedU128::one(), 0, 1, PairOutcome::Tie));
	assert_eq!(t.wins(), &[FixedU128::from_rational(1, 2), FixedU128::from_rational(1, 2)]);
}

/// The seed's thirty-five-judges shape: the correct answer A is held by 5 respondents, B by
/// 20, C by 10. Judges never compare their own answer: B's holders compare A with C and
/// prefer A; C's holders compare A with B and prefer A; A's holders compare B with C and
/// split. Bradley-Terry picks A; majority vote picks B.
#[test]
fn thirty_five_judges_vector() {
	let holders = [5u32, 20, 10];
	let mut j: Vec<Judgement> = Vec::new();
	for _ in 0..20 {
		j.push((1.0, 0, 2, PairOutcome::A));
	}
	for _ in 0..10 {
		j.push((1.0, 0, 1, PairOutcome::A));
	}
	for i in 0..5 {
		j.push((1.0, 1, 2, if i % 2 == 0 { PairOutcome::A } else { PairOutcome::B }));
	}
	let fit = bradley_terry(&tally(3, &j), &runtime_params());
	assert_eq!(argmax(&fit.scores), Some(0), "BT picks the correct answer: {fit:?}");
	assert_eq!(argmax(&majority(&holders)), Some(1), "majority picks the popular one");
}

#[test]
fn agreement_scores_verdicts_against_the_order() {
	let s = [Perbill::from_percent(60), Perbill::from_percent(30), Perbill::from_percent(30)];
	assert_eq!(agreement(&s, [(0, 1, PairOutcome::A)]), Some(Perbill::one()));
	assert_eq!(agreement(&s, [(0, 1, PairOutcome::B)]), Some(Perbill::zero()));
	assert_eq!(agreement(&s, [(0, 1, PairOutcome::Tie)]), Some(Perbill::from_percent(50)));
	assert_eq!(agreement(&s, [(1, 2, PairOutcome::Tie)]), Some(Perbill::one()));
	assert_eq!(agreement(&s, [(1, 2, PairOutcome::A)]), Some(Perbill::from_percent(50)));
	assert_eq!(
		agreement(&s, [(0, 1, PairOutcome::A), (1, 0, PairOutcome::A)]),
		Some(Perbill::from_percent(50))
	);
	assert_eq!(agreement(&s, [(0, 7, PairOutcome::A)]), None);
	assert_eq!(
		judge_weight(Perbill::zero(), Perbill::from_percent(5)),
		FixedU128::from_rational(1, 20)
	);
}

/// Result of a Monte-Carlo run: (BT accuracy, majority accuracy).
pub fn monte_carlo(trials: u32, seed: u64) -> (f64, f64) {
	// 35 nodes; an answer is correct with 0.3, else one of three wrong answers with
	// 0.4 / 0.2 / 0.1 (a popular wrong answer). Judges prefer the correct answer with 0.75
	// when it is in the pair and pick at random (ties 1/5) between two wrong answers.
	let mut rng = SmallRng::seed_from_u64(seed);
	let (mut bt_ok, mut mv_ok) = (0u32, 0u32);
	for _ in 0..trials {
		let answers: Vec<usize> = (0..35)
			.map(|_| {
				let x: f64 = rng.gen();
				if x < 0.3 {
					0
				} else if x < 0.7 {
					1
				} else if x < 0.9 {
					2
				} else {
					3
				}
			})
			.collect();
		// Candidates in order of first appearance, as the pallet builds them.
		let mut order: Vec<usize> = Vec::new();
		for a in &answers {
			if !order.contains(a) {
				order.push(*a);
			}
		}
		let k = order.len();
		let index = |a: usize| order.iter().position(|x| *x == a).unwrap();
		let mut holders = vec![0u32; k];
		for a in &answers {
			holders[index(*a)] += 1;
		}
		let mut t = Tally::new(k);
		for own in &answers {
			let own = index(*own);
			for a in 0..k {
				for b in (a + 1)..k {
					if a == own || b == own {
						continue;
					}
					let (ta, tb) = (order[a], order[b]);
					let outcome = if ta == 0 || tb == 0 {
						let correct_first = ta == 0;
						if rng.gen_bool(0.75) == correct_first {
							PairOutcome::A
						} else {
							PairOutcome::B
						}
					} else {
						match rng.gen_range(0..5) {
							0 => PairOutcome::Tie,
							1 | 2 => PairOutcome::A,
							_ => PairOutcome::B,
						}
					};
					t.add(FixedU128::from_rational(1, 2), a, b, outcome);
				}
			}
		}
		let fit = bradley_terry(&t, &runtime_params());
		let correct = order.iter().position(|x| *x == 0);
		if correct.is_some() && argmax(&fit.scores) == correct {
			bt_ok += 1;
		}
		if correct.is_some() && argmax(&majority(&holders)) == correct {
			mv_ok += 1;
		}
	}
	(bt_ok as f64 / trials as f64, mv_ok as f64 / trials as f64)
}

/// A simulated swarm of 35 nodes, individual accuracy 0.3, judges better than chance:
/// Bradley-Terry consensus is right far more often than majority vote (figures in
/// `docs/protocol-choices.md`).
#[test]
fn monte_carlo_swarm_bt_beats_majority() {
	let (bt, mv) = monte_carlo(400, 42);
	println!("Monte-Carlo (400 trials, seed 42): BT accuracy {bt:.3}, majority {mv:.3}");
	assert!(bt >= 0.9, "BT accuracy {bt}");
	assert!(bt - mv >= 0.5, "BT {bt} vs majority {mv}");
}

#[test]
fn ties_break_by_holders_then_lowest_index() {
	use crate::consensus::argmax_by;
	let one = FixedU128::one();
	assert_eq!(argmax_by(&[one, one, one], &[1, 3, 3]), Some(1));
	assert_eq!(argmax_by(&[one, one + one, one], &[5, 1, 5]), Some(1), "scores first");
	assert_eq!(argmax_by(&[one, one], &[2, 2]), Some(0));
	assert_eq!(argmax_by(&[], &[]), None);
}

/// How a judge's LLM call decides one ordered pair.
#[derive(Clone, Copy, Debug)]
enum JudgeModel {
	/// One right answer, fifteen wrong ones: a call prefers the right answer with this
	/// probability, and picks at random between two wrong ones (the swarm test's model).
	Binary(f64),
	/// Graded answers (the right one 1, the others uniform in [0, 0.95]): a call prefers
	/// `a` with probability `1 / (1 + e^((q_b - q_a) / tau))`.
	Graded(f64),
}

/// One Monte-Carlo trial of 16 respondents with 16 different answers (answer 0 is right),
/// every respondent a judge (on a pair with its own answer it may only concede), each
/// comparison asked of the LLM in both orders (two calls; disagreeing orders make a tie),
/// every judge of equal weight. Returns (the consensus is answer 0, LLM calls).
fn judging_trial(rng: &mut SmallRng, model: JudgeModel, sparse: bool) -> (bool, usize) {
	use crate::consensus::{design_seed, sparse_judging};
	const K: usize = 16;
	let quality: Vec<f64> =
		(0..K).map(|i| if i == 0 { 1.0 } else { rng.gen_range(0.0..0.95) }).collect();
	let mut tally = Tally::new(K);
	let mut calls = 0usize;
	for judge in 0..K {
		let mut ask = |a: u8, b: u8| {
			calls += 2;
			let p = match model {
				JudgeModel::Binary(right) if a == 0 => right,
				JudgeModel::Binary(right) if b == 0 => 1.0 - right,
				JudgeModel::Binary(_) => 0.5,
				JudgeModel::Graded(tau) => {
					1.0 / (1.0 + ((quality[b as usize] - quality[a as usize]) / tau).exp())
				}
			};
			let outcome = match (rng.gen_bool(p), rng.gen_bool(p)) {
				(true, true) => PairOutcome::A,
				(false, false) => PairOutcome::B,
				_ => PairOutcome::Tie,
			};
			outcome.allowed_for(Some(judge as u8), a, b).then_some(outcome)
		};
		let verdicts: Vec<(u8, u8, PairOutcome)> = if sparse {
			sparse_judging(K, &design_seed(7, &[judge as u8]), ask)
		} else {
			(0..K as u8)
				.flat_map(|a| (a + 1..K as u8).map(move |b| (a, b)))
				.filter_map(|(a, b)| ask(a, b).map(|o| (a, b, o)))
				.collect()
		};
		for (a, b, o) in verdicts {
			tally.add(FixedU128::from_rational(1, 2), a as usize, b as usize, o);
		}
	}
	let fit = bradley_terry(&tally, &runtime_params());
	(argmax(&fit.scores) == Some(0), calls)
}

/// Full tournament and sparse judging on the same seeded trials: (accuracy full, accuracy
/// sparse, calls per judge full, calls per judge sparse).
fn full_and_sparse(model: JudgeModel, trials: usize) -> (f64, f64, f64, f64) {
	let (mut full_ok, mut sparse_ok, mut full_calls, mut sparse_calls) = (0, 0, 0, 0);
	for t in 0..trials {
		let (ok, calls) = judging_trial(&mut SmallRng::seed_from_u64(t as u64), model, false);
		full_ok += ok as usize;
		full_calls += calls;
		let (ok, calls) = judging_trial(&mut SmallRng::seed_from_u64(t as u64), model, true);
		sparse_ok += ok as usize;
		sparse_calls += calls;
	}
	let per_judge = |calls: usize| calls as f64 / (trials * 16) as f64;
	let figures = (
		full_ok as f64 / trials as f64,
		sparse_ok as f64 / trials as f64,
		per_judge(full_calls),
		per_judge(sparse_calls),
	);
	println!(
		"{model:?}, {trials} trials, k = 16: full tournament accuracy {:.3} with {:.1} calls per \
		 judge; sparse {:.3} with {:.1}",
		figures.0, figures.2, figures.1, figures.3
	);
	figures
}

/// Issue 18's sparse judging, k = 16, with the swarm test's judges (a call prefers the right
/// answer with 0.75): each judge's ring (16 pairs) and its rounds among its own leaders (30
/// pairs in all) against the full tournament (120 pairs), on the same 300 seeded trials:
/// consensus accuracy within 1 point (measured: 1.000 and 1.000), LLM calls per judge down
/// 4x (240 to 60). Weaker judges lose more: see `sparse_judging_grid`.
#[test]
fn sparse_judging_keeps_the_full_tournaments_accuracy_at_a_quarter_of_the_calls() {
	let (full, sparse, full_calls, sparse_calls) = full_and_sparse(JudgeModel::Binary(0.75), 300);
	assert!(full - sparse <= 0.01, "accuracy {full} (full) vs {sparse} (sparse)");
	assert!(full_calls >= 4.0 * sparse_calls, "{full_calls} vs {sparse_calls} calls per judge");
}

/// The figures of docs/performance.md for weaker judges (`cargo test -p
/// pallet-llmnet-query-contracts --lib sparse_judging_grid -- --ignored --nocapture`).
#[test]
#[ignore]
fn sparse_judging_grid() {
	for model in [
		JudgeModel::Binary(0.75),
		JudgeModel::Binary(0.65),
		JudgeModel::Binary(0.6),
		JudgeModel::Graded(0.1),
		JudgeModel::Graded(0.15),
		JudgeModel::Graded(0.3),
	] {
		full_and_sparse(model, 300);
	}
}

/// Sparse judging's shape: every pair up to 4 candidates; from 5, at most `2k - 2` distinct
/// pairs in range, the first `k` a ring through every candidate (so one judge's comparisons
/// connect all candidates), the same pairs for the same seed and other pairs for another.
#[test]
fn sparse_judging_asks_a_connected_bounded_set_of_pairs() {
	use crate::consensus::{design_seed, judging_budget, sparse_judging};
	for k in 0..=16usize {
		let asked = |seed: u8| {
			let mut pairs = Vec::new();
			sparse_judging(k, &design_seed(1, &[seed]), |a, b| {
				pairs.push((a, b));
				Some(if a % 2 == 0 { PairOutcome::A } else { PairOutcome::B })
			});
			pairs
		};
		let pairs = asked(1);
		let all = k * k.saturating_sub(1) / 2;
		assert_eq!(pairs.len(), judging_budget(k), "k {k}");
		if k <= 4 {
			assert_eq!(pairs.len(), all);
		} else {
			assert_eq!(pairs.len(), 2 * k - 2);
			assert_ne!(pairs, asked(2), "another judge, other pairs");
		}
		assert_eq!(pairs, asked(1), "deterministic");
		let mut seen = pairs.clone();
		seen.sort();
		seen.dedup();
		assert_eq!(seen.len(), pairs.len(), "distinct");
		assert!(pairs.iter().all(|(a, b)| a < b && usize::from(*b) < k));
		// Connected by the first k pairs (the ring) alone.
		if k >= 5 {
			let mut reached = vec![false; k];
			reached[usize::from(pairs[0].0)] = true;
			for _ in 0..k {
				for (a, b) in &pairs[..k] {
					let (a, b) = (usize::from(*a), usize::from(*b));
					if reached[a] || reached[b] {
						reached[a] = true;
						reached[b] = true;
					}
				}
			}
			assert!(reached.iter().all(|r| *r), "k {k}: {pairs:?}");
		}
	}
}
