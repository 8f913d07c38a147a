//! Fixed-point payout mathematics of AIArena (seed `004_...`, section 2.3) and of decentralized
//! benchmark evaluation (seed `001_...`): the node/validator split, the stake-weighted
//! aggregate, geometric rank weights times stake^alpha, the distance softmax
//! `s^beta * exp(-lambda * d)`, and the stake-weighted median. Everything is `FixedU128`
//! (18 decimals) or `Perbill`; no floating point, no panics.

use alloc::vec::Vec;
use frame::arithmetic::{
	CheckedDiv, FixedPointNumber, FixedU128, One, PerThing, Perbill, Rounding, Saturating, Zero,
};

/// ln 2 to 18 decimals.
const LN_2: FixedU128 = FixedU128::from_inner(693_147_180_559_945_309);
/// Series terms used by [`ln_unit`] and [`exp_neg`] (errors below 1e-17).
const TERMS: u32 = 24;

/// `-ln(x)` for `x` in (0, 1]; `None` for 0 (minus infinity) or `x > 1`.
pub fn neg_ln_unit(x: FixedU128) -> Option<FixedU128> {
	if x.is_zero() || x > FixedU128::one() {
		return None;
	}
	// x = m / 2^n with m in [1, 2): -ln x = n ln 2 - ln m.
	let mut m = x;
	let mut n = 0u32;
	let two = FixedU128::saturating_from_integer(2u32);
	while m < FixedU128::one() {
		m = m.saturating_mul(two);
		n = n.saturating_add(1);
		if n > 200 {
			return None;
		}
	}
	// ln m = 2 atanh(z), z = (m - 1) / (m + 1) in [0, 1/3).
	let z = (m.saturating_sub(FixedU128::one())).div_or_zero(m.saturating_add(FixedU128::one()));
	let z2 = z.saturating_mul(z);
	let mut term = z;
	let mut sum = FixedU128::zero();
	for k in 0..TERMS {
		let denom = FixedU128::saturating_from_integer(k.saturating_mul(2).saturating_add(1));
		sum = sum.saturating_add(term.div_or_zero(denom));
		term = term.saturating_mul(z2);
		if term.is_zero() {
			break;
		}
	}
	let ln_m = sum.saturating_add(sum);
	Some(LN_2.saturating_mul(FixedU128::saturating_from_integer(n)).saturating_sub(ln_m))
}

/// `exp(-x)` for `x >= 0` (0 once it is below 1e-18).
pub fn exp_neg(x: FixedU128) -> FixedU128 {
	if x > FixedU128::saturating_from_integer(41u32) {
		return FixedU128::zero();
	}
	// x = n ln 2 + r, r in [0, ln 2): exp(-x) = 1 / (exp(r) 2^n).
	let n = x.div_or_zero(LN_2).into_inner() / FixedU128::DIV;
	let r = x.saturating_sub(LN_2.saturating_mul(FixedU128::saturating_from_integer(n)));
	let mut term = FixedU128::one();
	let mut exp_r = FixedU128::one();
	for k in 1..=TERMS {
		term = term.saturating_mul(r).div_or_zero(FixedU128::saturating_from_integer(k));
		if term.is_zero() {
			break;
		}
		exp_r = exp_r.saturating_add(term);
	}
	let pow2 = FixedU128::saturating_from_integer(1u128.checked_shl(n as u32).unwrap_or(u128::MAX));
	FixedU128::one().div_or_zero(exp_r.saturating_mul(pow2))
}

/// `x^a` for `x` in [0, 1] and any exponent `a >= 0` (`0^0 = 1`).
pub fn pow_unit(x: FixedU128, a: FixedU128) -> FixedU128 {
	if a.is_zero() {
		return FixedU128::one();
	}
	match neg_ln_unit(x) {
		Some(l) => exp_neg(l.saturating_mul(a)),
		None => FixedU128::zero(),
	}
}

/// `FixedU128` division that returns 0 on a zero divisor.
trait SafeDiv {
	fn div_or_zero(self, other: Self) -> Self;
}
impl SafeDiv for FixedU128 {
	fn div_or_zero(self, other: Self) -> Self {
		self.checked_div(&other).unwrap_or_default()
	}
}

/// `stakes` relative to the largest, as fixed point in [0, 1].
pub fn relative(stakes: &[u128]) -> Vec<FixedU128> {
	let max = stakes.iter().copied().max().unwrap_or(0);
	stakes.iter().map(|s| FixedU128::checked_from_rational(*s, max).unwrap_or_default()).collect()
}

/// The training-node part of a reward `R`: `R * (gamma / 2 + (1 - gamma) * S_n / (S_n + S_v))`
/// (AIArena 2.3.1: gamma balances a fixed and a stake-dependent component). The validators get
/// the rest, so nothing is created.
pub fn node_part(reward: u128, node_stake: u128, validator_stake: u128, gamma: Perbill) -> u128 {
	let fixed = Perbill::from_parts(gamma.deconstruct().saturating_div(2)).mul_floor(reward);
	let total = node_stake.saturating_add(validator_stake);
	let by_stake = if total == 0 {
		Perbill::from_percent(50)
	} else {
		Perbill::from_rational(node_stake, total)
	};
	let variable = gamma.left_from_one().mul_floor(by_stake.mul_floor(reward));
	fixed.saturating_add(variable).min(reward)
}

/// Stake-weighted mean of `(value, stake)`; `None` when the stakes sum to zero.
pub fn weighted_mean(entries: &[(Perbill, u128)]) -> Option<Perbill> {
	let total = entries.iter().fold(0u128, |a, (_, s)| a.saturating_add(*s));
	if total == 0 {
		return None;
	}
	// Sum of value * stake / total, in parts per billion (exact enough: each term rounds down).
	let sum = entries.iter().fold(0u128, |a, (v, s)| {
		a.saturating_add(multiply(u128::from(v.deconstruct()), *s, total))
	});
	Some(Perbill::from_parts(u32::try_from(sum).unwrap_or(u32::MAX).min(1_000_000_000)))
}

/// Stake-weighted median of `(value, stake)`: the smallest value whose cumulative stake
/// reaches half of the total; `None` when the stakes sum to zero.
pub fn weighted_median(entries: &[(Perbill, u128)]) -> Option<Perbill> {
	let total = entries.iter().fold(0u128, |a, (_, s)| a.saturating_add(*s));
	if total == 0 {
		return None;
	}
	let mut sorted: Vec<(Perbill, u128)> = entries.to_vec();
	sorted.sort_by_key(|e| e.0);
	let mut acc = 0u128;
	for (v, s) in sorted {
		acc = acc.saturating_add(s);
		// acc >= total / 2, without rounding: 2 acc >= total.
		if acc.saturating_mul(2) >= total {
			return Some(v);
		}
	}
	None
}

/// Geometric rank weights `r^rank` (rank 0 = best; ties share the better rank's order by
/// index) for `scores`, `None` entries weigh nothing.
pub fn rank_weights(scores: &[Option<Perbill>], ratio: Perbill) -> Vec<FixedU128> {
	let mut order: Vec<usize> =
		(0..scores.len()).filter(|i| scores.get(*i).is_some_and(|s| s.is_some())).collect();
	order.sort_by(|a, b| scores.get(*b).cmp(&scores.get(*a)).then(a.cmp(b)));
	let mut w = alloc::vec![FixedU128::zero(); scores.len()];
	let r = FixedU128::from_perbill(ratio);
	let mut g = FixedU128::one();
	for i in order {
		if let Some(x) = w.get_mut(i) {
			*x = g;
		}
		g = g.saturating_mul(r);
	}
	w
}

/// Node weights: geometric rank weight times relative stake^alpha.
pub fn node_weights(
	scores: &[Option<Perbill>],
	stakes: &[u128],
	ratio: Perbill,
	alpha: FixedU128,
) -> Vec<FixedU128> {
	let rel = relative(stakes);
	rank_weights(scores, ratio)
		.into_iter()
		.zip(rel)
		.map(|(g, s)| g.saturating_mul(pow_unit(s, alpha)))
		.collect()
}

/// Validator weights: relative stake^beta times exp(-lambda * distance), distance in [0, 1].
pub fn validator_weights(
	distances: &[Perbill],
	stakes: &[u128],
	beta: FixedU128,
	lambda: FixedU128,
) -> Vec<FixedU128> {
	relative(stakes)
		.into_iter()
		.zip(distances.iter())
		.map(|(s, d)| {
			pow_unit(s, beta)
				.saturating_mul(exp_neg(lambda.saturating_mul(FixedU128::from_perbill(*d))))
		})
		.collect()
}

/// Split `amount` by `weights`: each share is `floor(amount * w / sum w)`, so the shares never
/// sum to more than `amount`. All zero when the weights sum to zero.
pub fn split(amount: u128, weights: &[FixedU128]) -> Vec<u128> {
	let total = weights.iter().fold(0u128, |a, w| a.saturating_add(w.into_inner()));
	weights.iter().map(|w| multiply(amount, w.into_inner(), total)).collect()
}

/// `floor(a * b / c)` without overflow; 0 when `c` is 0.
pub fn multiply(a: u128, b: u128, c: u128) -> u128 {
	if c == 0 {
		return 0;
	}
	frame::arithmetic::helpers_128bit::multiply_by_rational_with_rounding(a, b, c, Rounding::Down)
		.unwrap_or(0)
}

/// `|a - b|`.
pub fn distance(a: Perbill, b: Perbill) -> Perbill {
	if a > b {
		a.saturating_sub(b)
	} else {
		b.saturating_sub(a)
	}
}

/// Mean and population standard deviation of `values` (unweighted), in parts per billion of
/// the score scale; (0, 0) for none.
pub fn mean_std(values: &[Perbill]) -> (Perbill, Perbill) {
	let n = values.len() as u128;
	if n == 0 {
		return (Perbill::zero(), Perbill::zero());
	}
	let sum = values.iter().fold(0u128, |a, v| a.saturating_add(v.deconstruct().into()));
	let mean = sum.checked_div(n).unwrap_or(0);
	let var = values.iter().fold(0u128, |a, v| {
		let d = u128::from(v.deconstruct()).abs_diff(mean);
		a.saturating_add(d.saturating_mul(d))
	});
	let var = var.checked_div(n).unwrap_or(0);
	let std = FixedU128::from_inner(var).sqrt().into_inner();
	// sqrt of parts^2 (as an inner value scaled by 1e18): sqrt(var * 1e-18) * 1e18 = sqrt(var) * 1e9.
	let std_parts = std / 1_000_000_000;
	(
		Perbill::from_parts(u32::try_from(mean).unwrap_or(u32::MAX)),
		Perbill::from_parts(u32::try_from(std_parts).unwrap_or(u32::MAX).min(1_000_000_000)),
	)
}
