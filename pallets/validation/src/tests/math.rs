//! The fixed-point payout mathematics against f64 references.

use crate::math::*;
use frame::arithmetic::{FixedPointNumber, FixedU128, Perbill};
use proptest::prelude::*;

fn f(x: FixedU128) -> f64 {
	x.into_inner() as f64 / 1e18
}

fn fixed(x: f64) -> FixedU128 {
	FixedU128::from_inner((x * 1e18) as u128)
}

#[test]
fn exp_and_ln_match_f64() {
	for x in [0.0, 1e-9, 0.1, 0.5, 0.693, 1.0, 2.5, 10.0, 30.0, 40.0] {
		let got = f(exp_neg(fixed(x)));
		assert!((got - (-x).exp()).abs() < 1e-12, "exp(-{x}) = {got}");
	}
	assert_eq!(exp_neg(FixedU128::saturating_from_integer(50u32)), FixedU128::from_inner(0));
	for x in [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.75, 0.999, 1.0] {
		let got = f(neg_ln_unit(fixed(x)).unwrap());
		assert!((got + x.ln()).abs() < 1e-9, "-ln({x}) = {got}");
	}
	assert_eq!(neg_ln_unit(FixedU128::from_inner(0)), None);
	assert_eq!(neg_ln_unit(fixed(1.5)), None);
}

proptest! {
	#[test]
	fn pow_unit_matches_f64(x in 1e-6f64..=1.0, a in 0.0f64..4.0) {
		let got = f(pow_unit(fixed(x), fixed(a)));
		prop_assert!((got - x.powf(a)).abs() < 1e-9, "{x}^{a}: {got} vs {}", x.powf(a));
	}

	#[test]
	fn split_never_exceeds_the_amount(amount in 0u128..=u128::MAX / 2, ws in prop::collection::vec(0u128..=u64::MAX as u128, 0..40)) {
		let weights: Vec<FixedU128> = ws.iter().map(|w| FixedU128::from_inner(*w)).collect();
		let shares = split(amount, &weights);
		let total: u128 = shares.iter().sum();
		prop_assert!(total <= amount);
		// Floor rounding loses less than one unit per share.
		if ws.iter().any(|w| *w > 0) {
			prop_assert!(amount - total <= ws.len() as u128);
		}
	}

	#[test]
	fn node_part_plus_rest_is_the_reward(r in 0u128..=u128::MAX / 4, n in 0u128..1u128 << 100, v in 0u128..1u128 << 100, g in 0u32..=1_000_000_000) {
		let part = node_part(r, n, v, Perbill::from_parts(g));
		prop_assert!(part <= r);
		let gf = g as f64 / 1e9;
		let want = r as f64 * (gf / 2.0 + (1.0 - gf) * if n + v == 0 { 0.5 } else { n as f64 / (n + v) as f64 });
		prop_assert!((part as f64 - want).abs() <= want * 1e-6 + 3.0);
	}

	#[test]
	fn weighted_median_matches_a_sorted_scan(entries in prop::collection::vec((0u32..=100, 1u128..1000), 1..20)) {
		let e: Vec<(Perbill, u128)> = entries.iter().map(|(v, s)| (Perbill::from_percent(*v), *s)).collect();
		let m = weighted_median(&e).unwrap();
		let total: u128 = e.iter().map(|x| x.1).sum();
		let below: u128 = e.iter().filter(|x| x.0 < m).map(|x| x.1).sum();
		let upto: u128 = e.iter().filter(|x| x.0 <= m).map(|x| x.1).sum();
		prop_assert!(2 * below < total && 2 * upto >= total);
	}
}

#[test]
fn aggregate_rank_and_softmax_match_the_aiarena_formulas() {
	// Three submissions scored by three validators with stakes 1, 2, 3.
	let scores = [[0.9, 0.5, 0.7], [0.8, 0.6, 0.7], [0.85, 0.4, 0.9]];
	let stakes = [100u128, 200, 300];
	let agg: Vec<f64> = (0..3)
		.map(|i| (0..3).map(|j| scores[j][i] * stakes[j] as f64).sum::<f64>() / 600.0)
		.collect();
	let got: Vec<Perbill> = (0..3)
		.map(|i| {
			let e: Vec<(Perbill, u128)> =
				(0..3).map(|j| (Perbill::from_float(scores[j][i]), stakes[j])).collect();
			weighted_mean(&e).unwrap()
		})
		.collect();
	for i in 0..3 {
		assert!((got[i].deconstruct() as f64 / 1e9 - agg[i]).abs() < 1e-8);
	}
	// Node weights: ranks 0 (sub 0), 1 (sub 2), 2 (sub 1); ratio 0.5; stakes 1000, 500, 1000; alpha 0.5.
	let w = node_weights(
		&got.iter().map(|g| Some(*g)).collect::<Vec<_>>(),
		&[1000, 500, 1000],
		Perbill::from_percent(50),
		fixed(0.5),
	);
	let want = [1.0, 0.25 * 0.5f64.sqrt(), 0.5];
	for i in 0..3 {
		assert!((f(w[i]) - want[i]).abs() < 1e-9, "{i}: {} vs {}", f(w[i]), want[i]);
	}
	// Validators: distance = mean |x - a|; weight (s / s_max)^beta exp(-lambda d), beta 1, lambda 10.
	let d: Vec<f64> =
		(0..3).map(|j| (0..3).map(|i| (scores[j][i] - agg[i]).abs()).sum::<f64>() / 3.0).collect();
	let vw = validator_weights(
		&d.iter().map(|x| Perbill::from_float(*x)).collect::<Vec<_>>(),
		&stakes,
		fixed(1.0),
		fixed(10.0),
	);
	for j in 0..3 {
		let want = stakes[j] as f64 / 300.0 * (-10.0 * d[j]).exp();
		assert!((f(vw[j]) - want).abs() < 1e-8, "{j}: {} vs {want}", f(vw[j]));
	}
	// Shares of 1_000_000 follow the weights.
	let shares = split(1_000_000, &vw);
	let total: f64 = (0..3).map(|j| f(vw[j])).sum();
	for j in 0..3 {
		assert!((shares[j] as f64 - 1e6 * f(vw[j]) / total).abs() <= 1.0);
	}
}

#[test]
fn rank_weights_skip_unscored_and_break_ties_by_index() {
	let p = |x| Some(Perbill::from_percent(x));
	let w = rank_weights(&[p(50), None, p(80), p(50)], Perbill::from_percent(50));
	assert_eq!(w.iter().map(|x| f(*x)).collect::<Vec<_>>(), vec![0.5, 0.0, 1.0, 0.25]);
}

#[test]
fn mean_and_spread_of_reports() {
	let v: Vec<Perbill> = [60u32, 70, 80].iter().map(|p| Perbill::from_percent(*p)).collect();
	let (m, s) = mean_std(&v);
	assert_eq!(m, Perbill::from_percent(70));
	let want = (200.0f64 / 3.0).sqrt() / 100.0;
	assert!((s.deconstruct() as f64 / 1e9 - want).abs() < 1e-8);
	assert_eq!(mean_std(&[]), (Perbill::zero(), Perbill::zero()));
}
