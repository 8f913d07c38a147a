//! Consensus over candidates (PROTOCOL section 4.3), as pure functions.
//!
//! - [`bradley_terry`]: the reputation-weighted Bradley-Terry fit by the minorization-
//!   maximization (MM) iteration, in fixed point ([`FixedU128`], 18 decimals), with a virtual
//!   opponent as prior so a candidate without wins keeps a finite score.
//! - [`majority`]: the baseline, scores proportional to the number of respondents holding each
//!   candidate.
//! - [`agreement`]: how far one judge's comparisons agree with a score vector.
//!
//! Everything is bounded by the caller (`k <= MaxRespondents`, iterations `<= MaxBtIterations`)
//! and never panics: divisions are checked, additions saturate.

use crate::types::PairOutcome;
use alloc::{vec, vec::Vec};
use frame::arithmetic::{
	traits::{CheckedDiv, One, Saturating, Zero},
	FixedPointNumber, FixedU128, PerThing, Perbill,
};

/// Weighted pairwise results over `k` candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
	/// `wins[i]`: total weight of the comparisons candidate `i` won (a tie counts half).
	wins: Vec<FixedU128>,
	/// `pairs[i][j]`: total weight of the comparisons between `i` and `j` (symmetric).
	pairs: Vec<Vec<FixedU128>>,
}

impl Tally {
	/// An empty tally over `k` candidates.
	pub fn new(k: usize) -> Self {
		Self { wins: vec![FixedU128::zero(); k], pairs: vec![vec![FixedU128::zero(); k]; k] }
	}

	/// Number of candidates.
	pub fn len(&self) -> usize {
		self.wins.len()
	}

	/// Whether there are no candidates.
	pub fn is_empty(&self) -> bool {
		self.wins.is_empty()
	}

	/// Add one comparison of `a` against `b` by a judge of weight `w`. Returns `false` (and
	/// changes nothing) when `a == b` or either is out of range.
	pub fn add(&mut self, w: FixedU128, a: usize, b: usize, outcome: PairOutcome) -> bool {
		if a == b || a >= self.len() || b >= self.len() {
			return false;
		}
		for (x, y) in [(a, b), (b, a)] {
			if let Some(cell) = self.pairs.get_mut(x).and_then(|row| row.get_mut(y)) {
				*cell = cell.saturating_add(w);
			}
		}
		let half = w.checked_div(&FixedU128::saturating_from_integer(2u32)).unwrap_or_default();
		let mut credit = |i: usize, v: FixedU128| {
			if let Some(cell) = self.wins.get_mut(i) {
				*cell = cell.saturating_add(v);
			}
		};
		match outcome {
			PairOutcome::A => credit(a, w),
			PairOutcome::B => credit(b, w),
			PairOutcome::Tie => {
				credit(a, half);
				credit(b, half);
			}
		}
		true
	}

	/// Total win weight of each candidate.
	pub fn wins(&self) -> &[FixedU128] {
		&self.wins
	}

	/// Total comparison weight between each pair.
	pub fn pairs(&self) -> &[Vec<FixedU128>] {
		&self.pairs
	}
}

/// Parameters of the fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BtParams {
	/// Upper bound on MM iterations.
	pub max_iterations: u32,
	/// Stop when no score moves by more than this (scores are normalised to sum `k`).
	pub tolerance: FixedU128,
	/// Weight of one virtual win and one virtual loss of every candidate against an opponent
	/// of score 1.
	pub prior: FixedU128,
}

/// Result of a fit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BtFit {
	/// Scores, normalised to sum `k` (mean 1).
	pub scores: Vec<FixedU128>,
	/// Iterations run.
	pub iterations: u32,
	/// Whether the tolerance was reached before `max_iterations`.
	pub converged: bool,
}

/// Fit Bradley-Terry scores by the MM iteration
/// `pi_i <- (W_i + p) / (sum_{j != i} N_ij / (pi_i + pi_j) + 2p / (pi_i + 1))`, then
/// normalise to sum `k`. All candidates start at 1 and are updated together (Jacobi).
pub fn bradley_terry(tally: &Tally, params: &BtParams) -> BtFit {
	let k = tally.len();
	let one = FixedU128::one();
	let k_fixed = FixedU128::saturating_from_integer(k as u128);
	let two_p = params.prior.saturating_add(params.prior);
	let mut pi = vec![one; k];
	let mut iterations = 0u32;
	let mut converged = k <= 1;
	while !converged && iterations < params.max_iterations {
		iterations = iterations.saturating_add(1);
		let next: Vec<FixedU128> = tally
			.wins
			.iter()
			.zip(tally.pairs.iter())
			.zip(pi.iter())
			.map(|((w_i, row), &pi_i)| {
				let mut denom = two_p.checked_div(&pi_i.saturating_add(one)).unwrap_or_default();
				for (n_ij, &pi_j) in row.iter().zip(pi.iter()) {
					if n_ij.is_zero() {
						continue;
					}
					denom = denom.saturating_add(
						n_ij.checked_div(&pi_i.saturating_add(pi_j)).unwrap_or_default(),
					);
				}
				w_i.saturating_add(params.prior).checked_div(&denom).unwrap_or(pi_i)
			})
			.collect();
		let next = normalise(next, k_fixed);
		let delta = next
			.iter()
			.zip(pi.iter())
			.map(|(a, b)| if a > b { a.saturating_sub(*b) } else { b.saturating_sub(*a) })
			.max()
			.unwrap_or_default();
		pi = next;
		converged = delta <= params.tolerance;
	}
	BtFit { scores: pi, iterations, converged }
}

/// Scale `v` so it sums to `total` (unchanged if it sums to zero).
fn normalise(v: Vec<FixedU128>, total: FixedU128) -> Vec<FixedU128> {
	let sum = v.iter().fold(FixedU128::zero(), |acc, x| acc.saturating_add(*x));
	if sum.is_zero() {
		return v;
	}
	v.into_iter().map(|x| x.saturating_mul(total).checked_div(&sum).unwrap_or(x)).collect()
}

/// Majority vote: scores proportional to the number of holders of each candidate, normalised
/// to sum `k`.
pub fn majority(holders: &[u32]) -> Vec<FixedU128> {
	let k = FixedU128::saturating_from_integer(holders.len() as u128);
	normalise(holders.iter().map(|h| FixedU128::saturating_from_integer(*h)).collect(), k)
}

/// Index of the highest score; ties go to the lowest index. `None` when empty.
pub fn argmax(scores: &[FixedU128]) -> Option<usize> {
	argmax_by(scores, &[])
}

/// Index of the highest score; ties go to the highest `tiebreak` (e.g. the number of holders),
/// then to the lowest index. `None` when empty.
pub fn argmax_by(scores: &[FixedU128], tiebreak: &[u32]) -> Option<usize> {
	let mut best: Option<(usize, FixedU128, u32)> = None;
	for (i, s) in scores.iter().enumerate() {
		let t = tiebreak.get(i).copied().unwrap_or(0);
		match best {
			Some((_, b, bt)) if *s < b || (*s == b && t <= bt) => {}
			_ => best = Some((i, *s, t)),
		}
	}
	best.map(|(i, _, _)| i)
}

/// Agreement of a judge's comparisons `(a, b, outcome)` with `scores`: 1 for a verdict that
/// matches the order of the scores, 1/2 for a tie verdict on unequal scores or a strict
/// verdict on equal scores, 0 otherwise; the mean over the comparisons. `None` when there
/// are no comparisons within range.
pub fn agreement<S: Ord>(
	scores: &[S],
	comparisons: impl IntoIterator<Item = (usize, usize, PairOutcome)>,
) -> Option<Perbill> {
	let mut halves = 0u64;
	let mut count = 0u64;
	for (a, b, outcome) in comparisons {
		let (Some(sa), Some(sb)) = (scores.get(a), scores.get(b)) else { continue };
		let points = match (outcome, sa.cmp(sb)) {
			(PairOutcome::Tie, core::cmp::Ordering::Equal) => 2,
			(PairOutcome::Tie, _) => 1,
			(_, core::cmp::Ordering::Equal) => 1,
			(PairOutcome::A, core::cmp::Ordering::Greater) => 2,
			(PairOutcome::B, core::cmp::Ordering::Less) => 2,
			_ => 0,
		};
		halves = halves.saturating_add(points);
		count = count.saturating_add(1);
	}
	(count > 0).then(|| Perbill::from_rational(halves, count.saturating_mul(2)))
}

/// The form in which two answers are compared when candidates are built: ASCII case folded,
/// runs of whitespace made one space, and leading and trailing whitespace and trailing full
/// stops removed, so "42", " 42" and "42." are one candidate.
pub fn canonical(answer: &[u8]) -> Vec<u8> {
	let mut out: Vec<u8> = Vec::with_capacity(answer.len());
	for word in answer.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
		if !out.is_empty() {
			out.push(b' ');
		}
		out.extend(word.iter().map(|b| b.to_ascii_lowercase()));
	}
	while out.last().is_some_and(|b| *b == b'.' || b.is_ascii_whitespace()) {
		out.pop();
	}
	out
}

/// `x / max` for score shares (1 when `max` is zero).
pub fn relative_to_perbill(x: Perbill, max: Perbill) -> Perbill {
	if max.is_zero() {
		return Perbill::one();
	}
	Perbill::from_rational(x.deconstruct(), max.deconstruct())
}

/// A judge's weight `max(reputation, floor)` as a fixed-point number.
pub fn judge_weight(reputation: Perbill, floor: Perbill) -> FixedU128 {
	let w = reputation.max(floor);
	FixedU128::saturating_from_rational(w.deconstruct(), Perbill::ACCURACY)
}
