//! LLM-Net table 10 on the pallet: five personas (intelligence 0.9, 0.7, 0.5, 0.3, 0.1) answer
//! and judge a series of automatically selected Swarm queries through the real calls, hooks,
//! Bradley-Terry fit, EMA reputations and selection rule; many seeded series give the
//! statistics that one end-to-end run on the dev node cannot.

use super::*;
use pallet_llmnet_reputation::{Reputation as _, ReputationKind};
use PairOutcome::*;

/// Providers 1..=5 and their intelligence index.
const PERSONAS: [(AccountId, f64); 5] = [(1, 0.9), (2, 0.7), (3, 0.5), (4, 0.3), (5, 0.1)];

/// xorshift64*: a deterministic stream per seed.
pub(super) struct Rng(pub(super) u64);
impl Rng {
	pub(super) fn unit(&mut self) -> f64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		(self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
	}
}

fn intelligence(who: AccountId) -> f64 {
	PERSONAS.iter().find(|p| p.0 == who).map(|p| p.1).unwrap_or(0.0)
}

/// A persona's answer: "42" with probability `p`, otherwise one of three wrong answers.
pub(super) fn persona_answer(rng: &mut Rng, p: f64) -> Vec<u8> {
	if rng.unit() < p {
		b"42".to_vec()
	} else {
		format!("{}", 40 + (rng.unit() * 3.0) as u8 % 3 * 3).into_bytes()
	}
}

/// A persona's comparisons of `k` candidates (`right` holds "42") except those with its own
/// candidate: it prefers the right one with probability `p`, otherwise picks a side at random;
/// two wrong ones tie.
pub(super) fn persona_comparisons(
	rng: &mut Rng,
	k: usize,
	right: Option<usize>,
	own: Option<u8>,
	p: f64,
) -> Vec<ComparisonOf<Test>> {
	let mut comparisons = Vec::new();
	for a in 0..k as u8 {
		for b in a + 1..k as u8 {
			if own == Some(a) || own == Some(b) {
				continue;
			}
			let outcome = match right {
				Some(r) if r == a as usize || r == b as usize => {
					let right_is_a = r == a as usize;
					let prefers_a = if rng.unit() < p { right_is_a } else { rng.unit() < 0.5 };
					if prefers_a {
						A
					} else {
						B
					}
				}
				_ => Tie,
			};
			comparisons.push(cmp(a, b, outcome));
		}
	}
	comparisons
}

/// One query: automatic selection of 3, the 2 others judge too. A persona answers right with
/// probability equal to its index, otherwise one of three wrong answers; a judge prefers the
/// right candidate with that probability, otherwise picks a side at random; two wrong ones tie.
/// Returns the respondents.
fn one_query(rng: &mut Rng) -> Vec<AccountId> {
	let params = QueryParams {
		coordinator: None,
		extra_judges: 2,
		phases: PhaseLengths {
			selecting: 1,
			committing: 3,
			revealing: 3,
			debating: 1,
			judging: 3,
			validating: 1,
		},
		..swarm(3)
	};
	let id = create(params, 1_000);
	while phase(id) == Phase::Selecting {
		next_block();
	}
	let respondents = query(id).respondents.to_vec();
	let answers: Vec<(AccountId, Vec<u8>)> =
		respondents.iter().map(|who| (*who, persona_answer(rng, intelligence(*who)))).collect();
	let refs: Vec<(AccountId, &[u8])> = answers.iter().map(|(w, a)| (*w, a.as_slice())).collect();
	answer_all(id, &refs);
	if phase(id) == Phase::Judging {
		let candidates = Candidates::<Test>::get(id);
		let right = candidates.iter().position(|c| c.as_slice() == b"42");
		for (who, p) in PERSONAS {
			let own = Responses::<Test>::get(id, who).and_then(|r| r.candidate);
			let comparisons = persona_comparisons(rng, candidates.len(), right, own, p);
			if !comparisons.is_empty() {
				judge(id, who, comparisons);
			}
		}
	}
	while !phase(id).is_final() {
		next_block();
	}
	assert_eq!(phase(id), Phase::Settled);
	respondents
}

struct Series {
	/// Answer reputations at the end, in parts per billion, by persona.
	reputations: Vec<u32>,
	/// Queries of the last third in which the 0.1 persona was selected.
	weakest_late: usize,
	/// Queries whose consensus is the right answer.
	right: usize,
}

fn series(seed: u64, queries: usize) -> Series {
	let mut out = Series { reputations: Vec::new(), weakest_late: 0, right: 0 };
	// The series stands for the network's many requesters, not one that asks 30 times: the
	// per-pair cap (AUDIT H8, `attacks.rs`) is lifted here.
	MaxPairObservations::set(u32::MAX);
	ExtBuilder::default().providers(5).build_and_execute(|| {
		let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
		for n in 0..queries {
			let id = NextQueryId::<Test>::get();
			let chosen = one_query(&mut rng);
			if n * 3 >= queries * 2 && chosen.contains(&5) {
				out.weakest_late += 1;
			}
			if query(id).consensus.is_some_and(|c| c.answer.as_slice() == b"42") {
				out.right += 1;
			}
		}
		out.reputations = answer_reputations();
	});
	out
}

/// The personas' `Answer` reputations, in parts per billion.
fn answer_reputations() -> Vec<u32> {
	PERSONAS
		.iter()
		.map(|(w, _)| Reputation::reputation(w, MATH, ReputationKind::Answer).deconstruct())
		.collect()
}

/// Whether the 0.1 persona (the last) has the lowest of `reputations`.
fn weakest_lowest(reputations: &[u32]) -> bool {
	reputations[4] < *reputations[..4].iter().min().unwrap()
}

/// (series where the 0.1 persona ends lowest, series where it is not selected in the last
/// third, queries whose consensus is right).
fn figures(runs: &[Series]) -> (usize, usize, usize) {
	let lowest = runs.iter().filter(|r| weakest_lowest(&r.reputations)).count();
	let never_late = runs.iter().filter(|r| r.weakest_late == 0).count();
	let right = runs.iter().map(|r| r.right).sum();
	(lowest, never_late, right)
}

/// Tuning aid: `cargo test -p pallet-llmnet-query-contracts --lib table_10_grid -- --ignored
/// --nocapture` prints the Table 10 figures for several alphas and low-sample thresholds
/// (about 2 minutes); `TABLE10_GRID="90,8,60;95,12,90"` runs the given rows instead (alpha
/// in percent, `ExplorationBelow`, queries per series; 40 seeds each).
#[test]
#[ignore]
fn table_10_grid() {
	let grid: Vec<(u32, u32, usize)> = std::env::var("TABLE10_GRID")
		.ok()
		.map(|g| {
			g.split(';')
				.map(|t| {
					let v: Vec<u32> = t.split(',').map(|x| x.trim().parse().unwrap()).collect();
					(v[0], v[1], v[2] as usize)
				})
				.collect()
		})
		.unwrap_or_else(|| {
			[50u32, 65, 80].iter().flat_map(|a| [(*a, 3u32, 30usize), (*a, 5, 30)]).collect()
		});
	for (alpha, below, queries) in grid {
		Alpha::set(Perbill::from_percent(alpha));
		ExplorationBelow::set(below);
		let runs: Vec<Series> = (1..=40).map(|s| series(s, queries)).collect();
		let (lowest, never_late, right) = figures(&runs);
		println!(
			"alpha {alpha} below {below} queries {queries}: lowest {lowest}/40, unselected late \
			 {never_late}/40, right {right}/{}",
			40 * queries
		);
	}
}

#[test]
fn table_10_the_weakest_persona_ends_lowest_and_unselected() {
	const SERIES: u64 = 40;
	const QUERIES: usize = 30;
	let runs: Vec<Series> = (1..=SERIES).map(|s| series(s, QUERIES)).collect();
	let mean =
		|i: usize| runs.iter().map(|r| r.reputations[i] as f64 / 1e9).sum::<f64>() / SERIES as f64;
	let means: Vec<f64> = (0..PERSONAS.len()).map(mean).collect();
	let (lowest, never_late, right) = figures(&runs);
	println!(
		"{SERIES} series of {QUERIES} queries: mean Answer reputation by persona {means:.3?}; \
		 0.1 persona lowest in {lowest}/{SERIES}; not selected in the last third in \
		 {never_late}/{SERIES}; consensus right {right}/{}",
		SERIES as usize * QUERIES
	);
	// Measured (seeds 1..=40), spec 11 (sealed judgements): means [0.819, 0.751, 0.653, 0.496,
	// 0.439], lowest 26/40, unselected in the last third 32/40, consensus right 896/1200.
	// Spec 8 (the exact Bradley-Terry fit by Newton steps): means
	// [0.820, 0.753, 0.626, 0.498, 0.411], lowest 23/40, unselected in the last third 30/40,
	// consensus right 899/1200 (spec 7, 50 MM iterations: 25/40, 29/40, 900/1200; before the
	// market: 27/40, 31/40, 878/1200). Chance would put the 0.1 persona lowest in 1 series of
	// 5. With alpha = 0.8 and x = pi / max pi the EMA remembers about five observations, and
	// the weak personas stop being sampled once explored, so "lowest" holds in most series,
	// not all. Sharper observations tried on these seeds did not help: x = 1 for the winner
	// and 0 otherwise gave 23/40 and 24/40; x = 0.5^rank 18/40 and 34/40. Issue 16's 36/40
	// is not met: longer series, more exploration and alpha 0.9 reach at most 30/40 lowest
	// (grid and the bound for any answer-based rule: docs/operating-a-provider.md, section 7;
	// the deviation: docs/protocol-choices.md, "Table 10").
	for w in means.windows(2) {
		assert!(w[0] > w[1], "mean reputations follow intelligence: {means:?}");
	}
	assert!(lowest * 2 > SERIES as usize, "0.1 persona lowest in {lowest}/{SERIES}");
	assert!(
		never_late * 10 >= SERIES as usize * 7,
		"0.1 persona unselected late in {never_late}/{SERIES}"
	);
	assert!(right * 3 > SERIES as usize * QUERIES * 2, "consensus right {right}");
}

/// One series of LLM-Net's text mechanism (below).
struct Coordinated {
	/// Queries in which the 0.1 persona was selected.
	weakest: usize,
	/// Of those, queries in the last third of the series.
	weakest_late: usize,
	/// Queries whose consensus is right.
	right: usize,
	/// Answer reputations at the end, in parts per billion, by persona.
	reputations: Vec<u32>,
}

/// A provider's simulator persona (`sim-persona-0.9` for provider 1, ...).
fn sim_model(who: AccountId) -> String {
	format!("sim-persona-{}", intelligence(who))
}

/// A series of `queries` Swarm queries of 3 respondents chosen by the named coordinator
/// (provider 1) the way its off-chain worker chooses: the prompt built from
/// [`Pallet::selection_candidates`] (each candidate's scores, sample size and three newest
/// feedback texts) by `llmnet_ocw::prompts::select`, answered by the simulator's coordinator
/// (`llmnet_sim::reply`: answer score, plus 0.1 per "Correct" note and minus 0.1 per "Wrong"
/// note) and parsed by `llmnet_ocw::parse::choice`. The respondents answer as the simulator's
/// personas (`llmnet_sim::answer`), judge the other candidates as in [`one_query`], and write
/// the simulator's feedback on each other (`prompts::feedback`, `parse::feedback`): a persona
/// checks an answer with its intelligence as probability and writes "Correct and concise." or
/// "Wrong: X is not the answer.", else "Plausible, but I could not check it.". Questions are
/// `What is a x b?` with seeded `a`, `b`. With `read_feedback` false the feedback texts are
/// left out of the coordinator's prompt (still recorded on chain): the control.
fn coordinated_series(seed: u64, queries: usize, read_feedback: bool) -> Coordinated {
	let mut out = Coordinated { weakest: 0, weakest_late: 0, right: 0, reputations: Vec::new() };
	MaxPairObservations::set(u32::MAX);
	ExtBuilder::default().providers(5).build_and_execute(|| {
		let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
		for n in 0..queries {
			let (a, b) = (2 + (rng.unit() * 97.0) as u32, 2 + (rng.unit() * 97.0) as u32);
			let question = format!("What is {a} x {b}?");
			let id = NextQueryId::<Test>::get();
			assert_ok!(QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(question.as_bytes()),
				swarm(3),
				1_000
			));
			let (pool, mut info) = QueryContracts::selection_candidates(id, &query(id));
			if !read_feedback {
				info.iter_mut().for_each(|c| c.feedback.clear());
			}
			let prompt = llmnet_ocw::prompts::select(b"math", question.as_bytes(), &info, 3);
			let reply =
				llmnet_sim::reply(&sim_model(COORD), &prompt[0].content, &prompt[1].content);
			let chosen: Vec<AccountId> = llmnet_ocw::parse::choice(&reply, pool.len(), 3)
				.expect("the simulator's coordinator chooses")
				.into_iter()
				.map(|i| pool[i])
				.collect();
			select(id, &chosen);
			if chosen.contains(&5) {
				out.weakest += 1;
				if n * 3 >= queries * 2 {
					out.weakest_late += 1;
				}
			}
			let answers: Vec<(AccountId, Vec<u8>)> = chosen
				.iter()
				.map(|w| (*w, llmnet_sim::answer(&sim_model(*w), &question).into_bytes()))
				.collect();
			let refs: Vec<(AccountId, &[u8])> =
				answers.iter().map(|(w, a)| (*w, a.as_slice())).collect();
			answer_all(id, &refs);
			let right_answer = llmnet_sim::correct_answer(&question).into_bytes();
			if phase(id) == Phase::Judging {
				let candidates = Candidates::<Test>::get(id);
				let right = candidates.iter().position(|c| c.as_slice() == right_answer);
				for (who, _) in answers.iter() {
					let own = Responses::<Test>::get(id, who).and_then(|r| r.candidate);
					let p = intelligence(*who);
					let comparisons =
						persona_comparisons(&mut rng, candidates.len(), right, own, p);
					let feedback: Vec<PeerFeedbackOf<Test>> = answers
						.iter()
						.filter(|(to, _)| to != who)
						.map(|(to, theirs)| {
							let m = llmnet_ocw::prompts::feedback(question.as_bytes(), theirs);
							let r =
								llmnet_sim::reply(&sim_model(*who), &m[0].content, &m[1].content);
							let text = llmnet_ocw::parse::feedback(&r, 32).unwrap_or_default();
							PeerFeedback { to: *to, text: BoundedVec::truncate_from(text) }
						})
						.collect();
					judge_with(id, *who, comparisons, feedback);
				}
			}
			while !phase(id).is_final() {
				next_block();
			}
			if query(id).consensus.is_some_and(|c| c.answer.as_slice() == right_answer) {
				out.right += 1;
			}
		}
		out.reputations = answer_reputations();
	});
	out
}

/// LLM-Net's text mechanism changes selection (issue 16): a coordinator that reads the peers'
/// feedback selects the weakest persona less often than the same coordinator shown only the
/// scores, over the same seeded series (see [`coordinated_series`]), and the network answers
/// right more often. Measured (seeds 1..=40, 30 queries each, spec 15): the 0.1 persona
/// selected in 274 of 1,200 queries with the feedback read, 359 without; never selected in
/// the last third in 27 and 25 of 40 series; lowest `Answer` reputation at the end in 10 and
/// 6 of 40 (once kept out it is no longer observed, so its EMA freezes); consensus right 950
/// and 862 of 1,200. The scores alone let a weak persona back in whenever the others' EMA
/// dips below its own; the "Wrong" notes its peers left keep it out more often. (Spec 12-14
/// showed 195 against 530, 34 and 23 of 40: the pool was listed in account-hash order, the
/// same for every query, and the simulator's coordinator breaks ties by list order, so where
/// the 0.1 persona's key hashed weighed on both figures; pools are now listed in an order
/// drawn per query.)
#[test]
fn text_feedback_keeps_the_coordinator_away_from_the_weakest_persona() {
	const SERIES: u64 = 40;
	const QUERIES: usize = 30;
	let run = |read: bool| {
		let runs: Vec<Coordinated> =
			(1..=SERIES).map(|s| coordinated_series(s, QUERIES, read)).collect();
		let weakest: usize = runs.iter().map(|r| r.weakest).sum();
		let right: usize = runs.iter().map(|r| r.right).sum();
		let never_late = runs.iter().filter(|r| r.weakest_late == 0).count();
		let lowest = runs.iter().filter(|r| weakest_lowest(&r.reputations)).count();
		(weakest, right, never_late, lowest)
	};
	let (with, right_with, late_with, lowest_with) = run(true);
	let (without, right_without, late_without, lowest_without) = run(false);
	let total = SERIES as usize * QUERIES;
	println!(
		"{SERIES} series of {QUERIES} coordinated queries: the 0.1 persona selected in {with} \
		 with the feedback read, {without} without; unselected in the last third in \
		 {late_with}/{SERIES} and {late_without}/{SERIES}; lowest Answer reputation in \
		 {lowest_with}/{SERIES} and {lowest_without}/{SERIES}; consensus right {right_with} and \
		 {right_without} of {total}"
	);
	assert!(
		with * 5 < without * 4,
		"0.1 persona selected: feedback read {with}, not read {without}"
	);
	assert!(
		right_with > right_without + 40,
		"right: feedback read {right_with}, not {right_without}"
	);
	assert!(late_with >= late_without, "unselected late: {late_with} and {late_without}");
}
