//! Monte-Carlo of the selection rule under a budget (issue 16): automatic selection (top
//! `Answer` reputation x stake among the providers whose price the query's pay meets, one
//! exploration slot) against two coordinator rules a requester could use instead, "top
//! reputation" (the three best-reputed whatever their price, with the budget raised until
//! they accept) and "cheapest" (the three cheapest, with the smallest budget they accept).
//! Seven priced personas answer and judge 30 Swarm queries per series, 40 seeds per rule.

use super::{
	series::{persona_answer, persona_comparisons, Rng},
	*,
};
use pallet_llmnet_reputation::{Reputation as _, ReputationKind};

/// Providers 2..=8: intelligence and answer price. 4 is a bargain, 5 is overpriced.
const MARKET: [(AccountId, f64, Balance); 7] = [
	(2, 0.9, 300),
	(3, 0.8, 250),
	(4, 0.7, 60),
	(5, 0.4, 200),
	(6, 0.5, 40),
	(7, 0.3, 20),
	(8, 0.2, 10),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Rule {
	/// Automatic selection with this budget.
	Automatic(Balance),
	TopReputation,
	Cheapest,
}

fn intelligence(who: AccountId) -> f64 {
	MARKET.iter().find(|m| m.0 == who).map(|m| m.1).unwrap_or(0.0)
}

fn price(who: AccountId) -> Balance {
	MARKET.iter().find(|m| m.0 == who).map(|m| m.2).unwrap_or(Balance::MAX)
}

/// The budget at which three respondents are paid `per_answer` each (answers' share 70 %).
fn budget_for(per_answer: Balance) -> Balance {
	(per_answer * 3 * 10).div_ceil(7).max(MIN_BUDGET)
}

/// One query under `rule`; (budget, consensus right).
fn one_query(rule: Rule, rng: &mut Rng) -> (Balance, bool) {
	let reputation = |w: AccountId| Reputation::reputation(&w, MATH, ReputationKind::Answer);
	let (budget, coordinator, chosen) = match rule {
		Rule::Automatic(budget) => (budget, None, None),
		Rule::TopReputation => {
			let mut by_rep: Vec<AccountId> = MARKET.iter().map(|m| m.0).collect();
			by_rep.sort_by(|a, b| reputation(*b).cmp(&reputation(*a)).then(a.cmp(b)));
			by_rep.truncate(3);
			let dearest = by_rep.iter().map(|w| price(*w)).max().unwrap();
			(budget_for(dearest).max(1_000), Some(COORD), Some(by_rep))
		}
		Rule::Cheapest => {
			let mut by_price: Vec<AccountId> = MARKET.iter().map(|m| m.0).collect();
			by_price.sort_by_key(|w| price(*w));
			by_price.truncate(3);
			let dearest = by_price.iter().map(|w| price(*w)).max().unwrap();
			(budget_for(dearest), Some(COORD), Some(by_price))
		}
	};
	let params = QueryParams {
		coordinator,
		phases: PhaseLengths {
			selecting: 2,
			committing: 3,
			revealing: 3,
			debating: 3,
			judging: 3,
			validating: 3,
		},
		..swarm(3)
	};
	let id = create(params, budget);
	match chosen {
		Some(who) => select(id, &who),
		None => {
			while phase(id) == Phase::Selecting {
				next_block();
			}
		}
	}
	let respondents = query(id).respondents.to_vec();
	let answers: Vec<(AccountId, Vec<u8>)> =
		respondents.iter().map(|who| (*who, persona_answer(rng, intelligence(*who)))).collect();
	let refs: Vec<(AccountId, &[u8])> = answers.iter().map(|(w, a)| (*w, a.as_slice())).collect();
	answer_all(id, &refs);
	if phase(id) == Phase::Judging {
		let candidates = Candidates::<Test>::get(id);
		let right = candidates.iter().position(|c| c.as_slice() == b"42");
		for who in respondents.iter() {
			let own = Responses::<Test>::get(id, who).and_then(|r| r.candidate);
			let p = intelligence(*who);
			let comparisons = persona_comparisons(rng, candidates.len(), right, own, p);
			judge(id, *who, comparisons);
		}
	}
	while !phase(id).is_final() {
		next_block();
	}
	let right = query(id).consensus.is_some_and(|c| c.answer.as_slice() == b"42");
	(budget, right)
}

/// (mean budget, consensus right) over `seeds` series of `queries`.
fn run(rule: Rule, seeds: u64, queries: usize) -> (f64, usize) {
	let (mut spent, mut right) = (0u128, 0usize);
	for seed in 1..=seeds {
		// Many requesters in the model: the per-pair cap (AUDIT H8) is lifted.
		MaxPairObservations::set(u32::MAX);
		ExtBuilder::default().build_and_execute(|| {
			// The coordinator does not answer here: its price is out of reach.
			assert_ok!(QueryContracts::set_terms(
				RuntimeOrigin::signed(COORD),
				MATH,
				ProviderTerms { answer: 1_000_000, ..terms() }
			));
			for (who, _, answer) in MARKET {
				assert_ok!(QueryContracts::set_terms(
					RuntimeOrigin::signed(who),
					MATH,
					ProviderTerms { answer, ..terms() }
				));
			}
			run_to_block(System::block_number() + TERMS_DELAY);
			let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
			for _ in 0..queries {
				let (b, r) = one_query(rule, &mut rng);
				spent += b;
				right += usize::from(r);
			}
		});
	}
	(spent as f64 / (seeds as usize * queries) as f64, right)
}

#[test]
fn budget_aware_selection_against_top_reputation_and_cheapest() {
	const SEEDS: u64 = 20;
	const QUERIES: usize = 30;
	let total = SEEDS as usize * QUERIES;
	let rules = [
		Rule::Cheapest,
		Rule::Automatic(budget_for(40)),
		Rule::Automatic(1_000),
		Rule::Automatic(budget_for(300)),
		Rule::TopReputation,
	];
	let results: Vec<(Rule, f64, usize)> = rules
		.into_iter()
		.map(|rule| {
			let (budget, right) = run(rule, SEEDS, QUERIES);
			println!(
				"{rule:?}: mean budget {budget:.0}, consensus right {right}/{total} ({:.1} %)",
				100.0 * right as f64 / total as f64
			);
			(rule, budget, right)
		})
		.collect();
	let right = |i: usize| results[i].2;
	// Measured (20 seeds x 30 queries; docs/protocol-choices.md): cheapest 238/600 at 172;
	// automatic 226 at 172, 321 at 1,000, 482 at 1,286; top reputation 545 at a mean 1,263.
	// Within the cheapest set's budget automatic selection does about as well (it can only
	// pick those three); each budget step buys quality; with the budget the best-reputed set
	// needs it stays about 10 points behind that set, the price of its exploration slot.
	assert!(right(1) * 10 >= right(0) * 9, "{results:?}");
	assert!(right(2) > right(1) && right(3) > right(2), "{results:?}");
	assert!(right(3) * 10 >= right(4) * 8 && right(3) < right(4), "{results:?}");
}
