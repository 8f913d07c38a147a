//! Evaluation tasks: ten validators report noisy benchmark scores; the consensus is the
//! stake-weighted median; rewards fall with the distance to it; the spread is recorded.

use super::*;
use rand::{rngs::SmallRng, Rng, SeedableRng};

/// Box-Muller normal sample.
fn normal(rng: &mut SmallRng, mean: f64, sd: f64) -> f64 {
	let (u, v): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
	mean + sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

#[test]
fn median_consensus_pays_by_distance_and_records_the_spread() {
	build_and_execute(|| {
		let id = create(TaskKind::Evaluation, 10_000, 1);
		// Nine honest reports near 62 %, one outlier at 10 %.
		let reports: Vec<(AccountId, Vec<u32>)> = VALIDATORS
			.iter()
			.zip([60u32, 61, 62, 62, 63, 64, 62, 61, 63, 10])
			.map(|(v, s)| (*v, vec![s]))
			.collect();
		let refs: Vec<(AccountId, &[u32])> =
			reports.iter().map(|(v, s)| (*v, s.as_slice())).collect();
		round(id, &refs);
		let t = task(id);
		assert_eq!(t.phase, TaskPhase::Closed, "evaluation tasks close after their rounds");
		let rec = &Rounds::<Test>::get(id)[0];
		assert_eq!(rec.reports, 10);
		assert_eq!(rec.consensus, Some(Perbill::from_percent(62)));
		assert_eq!(rec.to_nodes, 0);
		assert!(rec.spread > Perbill::from_percent(15), "the outlier widens the raw spread");
		// The outlier (largest stake!) earns least; exact median reporters earn most per stake.
		let pay = |v| paid_to(id, v, PayRole::Validator);
		assert!(pay(19) < pay(10), "outlier {} vs honest {}", pay(19), pay(10));
		assert!(pay(12) * 300 > pay(11) * 400, "62 beats 61 at equal stake weight");
		let total: Balance = paid(id).iter().map(|p| p.2).sum();
		assert!(total <= 10_000 && total > 9_990);
		assert_eq!(pool_held(CREATOR), 0);
	});
}

/// The seed's experiment (`001_...`: std over ten HumanEval runs 1.67 -> 0.28): ten runs
/// (epochs), each with ten validators reporting the model's score with noise; the spread of the
/// per-run medians is far below the spread of the raw reports.
pub fn spread_experiment(seed: u64) -> (f64, f64) {
	let mut out = (0.0, 0.0);
	build_and_execute(|| {
		let mut rng = SmallRng::seed_from_u64(seed);
		let id = create(TaskKind::Evaluation, 100_000, 10);
		let mut raw = Vec::new();
		for _ in 0..10 {
			let reports: Vec<(AccountId, Vec<u32>)> = VALIDATORS
				.iter()
				.map(|v| {
					let x = normal(&mut rng, 62.0, 1.67).round().clamp(0.0, 100.0) as u32;
					raw.push(x as f64);
					(*v, vec![x])
				})
				.collect();
			let refs: Vec<(AccountId, &[u32])> =
				reports.iter().map(|(v, s)| (*v, s.as_slice())).collect();
			round(id, &refs);
		}
		let medians: Vec<f64> = Rounds::<Test>::get(id)
			.iter()
			.map(|r| r.consensus.unwrap().deconstruct() as f64 / 1e7)
			.collect();
		assert_eq!(medians.len(), 10);
		let std = |v: &[f64]| {
			let m = v.iter().sum::<f64>() / v.len() as f64;
			(v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
		};
		out = (std(&raw), std(&medians));
		assert_eq!(task(id).phase, TaskPhase::Closed);
	});
	out
}

#[test]
fn median_consensus_has_lower_spread_than_raw_reports() {
	let (raw, med) = spread_experiment(1);
	println!(
		"spread of raw reports {raw:.2} points, of the per-run stake-weighted medians {med:.2}"
	);
	assert!(raw > 1.0 && med < raw / 2.0, "raw {raw:.2}, medians {med:.2}");
}
