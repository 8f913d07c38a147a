//! The LLM-Net runtime fuzzer: random sequences of the four LLM-Net pallets' extrinsics, root
//! calls, governance slashes and block advances, run natively on this tree's runtime (its real
//! parameter values and weights, every pallet's `try_state` compiled in), with oracles checked
//! after every step. Each run is a seed: the same seed replays the same sequence, so a failure
//! is reported as `seed S, step K` and replays with `--seed S`.
//!
//! Arguments are drawn with [`arbitrary::Unstructured`] from a seeded byte stream, from
//! edge-heavy sets: amounts (0, 1, the minimums, plus and minus one, large), phases and windows
//! (0, 1, 2, the minimums, short and long ones), shares (0, 1 ppb, 100 %), indices in and out of
//! range, origins that may and may not act. Commitments are computed from a drawn answer and
//! salt, so reveals can match; judgements, scores and votes are drawn too.
//!
//! Oracles after every step:
//! 1. no panic (a panic is caught and reported with its seed and step);
//! 2. every LLM-Net pallet's `try_state` (holds equal the pallets' records, indexes, counters);
//! 3. every node's live assignments are exactly its query work entries plus its submissions
//!    to open tasks;
//! 4. total issuance never grows (nothing in these pallets mints) and equals the sum of all
//!    accounts' free and reserved balances;
//! 5. a call that fails changes no storage (the storage root is unchanged);
//! 6. at the end, after a drain of blocks longer than every window drawn, no query or task is
//!    still open;
//! 7. then every delegator can undelegate everything, every node can deregister, and after
//!    the unbonding period everyone withdraws everything: no staking record or hold is left;
//! 8. the storage proof of every call (recorded from a committed state, as for a call first
//!    in its block) fits the proof size the call is charged, and the proof of every block's
//!    hooks fits the weight they return;
//! 9. the honest provider (actor 8: no random call is signed by it; at the end of every block
//!    it does all its open query work, as its worker would) never misses a deadline, so is
//!    never slashed for one.
//!
//! Usage: `llmnet-fuzz [--seeds N] [--from S] [--steps K] [--seed S]` (defaults: 50 seeds from 0,
//! 200 steps each). Exit status 0 when every oracle held.

use arbitrary::Unstructured;
use llmnet_runtime::{
	AccountId, Balance, BalancesConfig, BlockNumber, LlmnetQueryContracts, LlmnetReputation,
	LlmnetStaking, LlmnetStakingConfig, LlmnetValidation, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, UNIT,
};
use pallet_llmnet_query_contracts as qc;
use pallet_llmnet_staking as staking;
use pallet_llmnet_validation as validation;
use polkadot_sdk::{
	frame_support::traits::{GetCallMetadata, OnFinalize, OnInitialize},
	sp_core::H256,
	sp_io,
	sp_runtime::{
		traits::{BlakeTwo256, Dispatchable, Hash},
		BoundedVec, BuildStorage, Perbill, Percent, StateVersion,
	},
};
use std::{collections::BTreeMap, panic::AssertUnwindSafe, process::ExitCode, time::Instant};

/// Actors: 1..=8 providers and coordinators, 9..=11 validators, 12 a plain user.
const ACTORS: u8 = 12;
/// Blocks advanced at the end: longer than every window the generator draws (six query phases
/// of at most 40 blocks, a task of at most 3 epochs of 80 plus 40 plus 90).
const DRAIN: BlockNumber = 900;

fn account(i: u8) -> AccountId {
	AccountId::from([i; 32])
}

/// The genesis: 12 funded actors, domains `math` and `code`, actors 1..=11 registered with a
/// bond of 1,000 LLMN (capable at genesis), 12 not registered.
fn genesis() -> sp_io::TestExternalities {
	let nodes = (1..=11u8)
		.map(|i| {
			let roles = if i <= 8 {
				staking::Roles::PROVIDER_COORDINATOR
			} else {
				staking::Roles::VALIDATOR
			};
			(account(i), roles, vec![0, 1], b"sim-persona-0.7".to_vec(), 1_000 * UNIT)
		})
		.collect();
	let config = RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: (1..=ACTORS).map(|i| (account(i), 1_000_000 * UNIT)).collect(),
			..Default::default()
		},
		llmnet_staking: LlmnetStakingConfig {
			domains: vec![b"math".to_vec(), b"code".to_vec()],
			nodes,
		},
		..Default::default()
	};
	let storage = config.build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// What a run draws from.
struct Gen<'a> {
	u: Unstructured<'a>,
}

impl Gen<'_> {
	fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
		let i = self.u.choose_index(xs.len()).unwrap_or(0);
		xs[i]
	}
	fn below(&mut self, n: u32) -> u32 {
		self.u.int_in_range(0..=n.saturating_sub(1)).unwrap_or(0)
	}
	fn flip(&mut self) -> bool {
		self.u.arbitrary().unwrap_or(false)
	}
	fn actor(&mut self) -> u8 {
		1 + self.below(u32::from(ACTORS)) as u8
	}
	fn amount(&mut self) -> Balance {
		self.pick(&[
			0,
			1,
			UNIT / 1000,
			UNIT,
			UNIT - 1,
			UNIT + 1,
			10 * UNIT,
			100 * UNIT,
			199 * UNIT,
			200 * UNIT,
			1_000 * UNIT,
			5_000 * UNIT,
			2_000_000 * UNIT,
		])
	}
	fn perbill(&mut self) -> Perbill {
		self.pick(&[
			Perbill::zero(),
			Perbill::from_parts(1),
			Perbill::from_percent(10),
			Perbill::from_percent(50),
			Perbill::one(),
		])
	}
	fn domain(&mut self) -> u32 {
		self.pick(&[0, 0, 1, 1, 7])
	}
	fn bytes(&mut self, max: usize) -> Vec<u8> {
		let n = self.pick(&[0usize, 1, 8, max, max + 1]);
		vec![b'x'; n]
	}
	fn salt(&mut self) -> [u8; 32] {
		[self.below(4) as u8; 32]
	}
	fn answer(&mut self) -> Vec<u8> {
		self.pick::<&[u8]>(&[b"42", b"41", b"forty-two", b""]).to_vec()
	}
}

/// The actor number of `a`, if it is one of the actors.
fn actor_of(a: &AccountId) -> Option<u8> {
	let b: &[u8; 32] = a.as_ref();
	(b.iter().all(|x| *x == b[0]) && (1..=ACTORS).contains(&b[0])).then_some(b[0])
}

/// Who acts on query `q`: mostly one of its parties (requester, coordinator, respondents,
/// extra judges, drawn validators), sometimes anyone.
fn query_actor(g: &mut Gen, q: u64) -> u8 {
	let mut parties: Vec<u8> = Vec::new();
	if let Some(info) = qc::Queries::<Runtime>::get(q) {
		parties.extend(actor_of(&info.requester));
		parties.extend(info.params.coordinator.as_ref().and_then(actor_of));
		parties.extend(info.respondents.iter().filter_map(actor_of));
	}
	parties.extend(qc::ExtraJudges::<Runtime>::get(q).iter().filter_map(actor_of));
	parties.extend(qc::DrawnValidators::<Runtime>::get(q).iter().filter_map(actor_of));
	if parties.is_empty() || g.below(4) == 0 {
		g.actor()
	} else {
		g.pick(&parties)
	}
}

/// The answer and salt actor `who` commits to (mostly), so that its reveal matches; `42` is
/// right. Sometimes another answer or salt, to miss.
fn persona(g: &mut Gen, who: u8) -> (Vec<u8>, [u8; 32]) {
	if g.below(8) == 0 {
		(g.answer(), g.salt())
	} else {
		honest_answer(who)
	}
}

/// One step: a call with its origin, calls of honest parties, a block advance, or a
/// governance slash.
enum Step {
	Call(RuntimeOrigin, Box<RuntimeCall>),
	Many(Vec<(RuntimeOrigin, RuntimeCall)>),
	Advance(BlockNumber),
	Slash(u8, Perbill),
}

fn signed(i: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(i))
}

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>>(
	b: Vec<u8>,
) -> Option<polkadot_sdk::sp_runtime::BoundedVec<u8, S>> {
	b.try_into().ok()
}

/// What honest parties of the latest open query do in its current phase, as their off-chain
/// workers would: the coordinator selects eligible providers, respondents commit and reveal
/// their persona's answer, debate, judge every pair (conceding pairs with their own
/// candidate, preferring "42"), drawn validators score.
fn honest_query(q: u64) -> Vec<(RuntimeOrigin, RuntimeCall)> {
	use llmnet_primitives::NodeRegistry;
	let Some(info) = qc::Queries::<Runtime>::get(q) else { return vec![] };
	let respondents: Vec<u8> = info.respondents.iter().filter_map(actor_of).collect();
	let mut out: Vec<(RuntimeOrigin, RuntimeCall)> = Vec::new();
	let phase = info.phase;
	match phase {
		qc::Phase::Selecting => {
			let Some(c) = info.params.coordinator.as_ref().and_then(actor_of) else { return out };
			let picked: Vec<AccountId> = (1..=8u8)
				.filter(|i| *i != c && Some(*i) != actor_of(&info.requester))
				.map(account)
				.filter(|a| {
					<LlmnetStaking as NodeRegistry<_, _, _>>::is_eligible(
						a,
						llmnet_primitives::Role::Provider,
						info.domain,
					)
				})
				.take(usize::from(info.params.respondents))
				.collect();
			if let Ok(respondents) = picked.try_into() {
				let rationale = Default::default();
				out.push((signed(c), qc::Call::select { query: q, respondents, rationale }.into()));
			}
		}
		qc::Phase::Committing => {
			for r in respondents {
				let (answer, salt) = honest_answer(r);
				let commitment =
					qc::Pallet::<Runtime>::commitment_of(q, &account(r), &answer, &salt);
				out.push((signed(r), qc::Call::commit { query: q, commitment }.into()));
			}
		}
		qc::Phase::Revealing => {
			for r in respondents {
				let (answer, salt) = honest_answer(r);
				if let Ok(answer) = answer.try_into() {
					out.push((signed(r), qc::Call::reveal { query: q, answer, salt }.into()));
				}
			}
		}
		qc::Phase::Debating { round } => {
			for r in respondents {
				if let Ok(message) = b"I agree".to_vec().try_into() {
					let call = qc::Call::debate {
						query: q,
						round,
						message,
						revised_answer: None,
						agrees: true,
					};
					out.push((signed(r), call.into()));
				}
			}
		}
		qc::Phase::Judging | qc::Phase::RevealingJudgements => {
			let mut judges = respondents;
			judges.extend(qc::ExtraJudges::<Runtime>::get(q).iter().filter_map(actor_of));
			// The respondents and the drawn extra judges commit, then reveal (the generator's
			// other calls try anyone).
			for j in judges {
				let Some(comparisons) = honest_judgement(q, j) else { continue };
				let salt = [j; 32];
				let call = if phase == qc::Phase::Judging {
					let commitment = qc::Pallet::<Runtime>::judgement_commitment_of(
						q,
						&account(j),
						&comparisons,
						&[],
						&salt,
					);
					qc::Call::commit_judgement { query: q, commitment }
				} else {
					qc::Call::judge { query: q, comparisons, feedback: Default::default(), salt }
				};
				out.push((signed(j), call.into()));
			}
		}
		qc::Phase::Validating | qc::Phase::RevealingValidations => {
			for v in qc::DrawnValidators::<Runtime>::get(q).iter().filter_map(actor_of) {
				let (score, salt) = (Percent::from_percent(70), [v; 32]);
				let call = if phase == qc::Phase::Validating {
					let commitment = qc::Pallet::<Runtime>::validation_commitment_of(
						q,
						&account(v),
						score,
						&[],
						&salt,
					);
					qc::Call::commit_validation { query: q, commitment }
				} else {
					qc::Call::validate { query: q, score, note: Default::default(), salt }
				};
				out.push((signed(v), call.into()));
			}
		}
		qc::Phase::Settled | qc::Phase::Expired => {}
	}
	out
}

/// The comparisons an honest judge `j` gives in query `q`: the right answer first, its own
/// candidate conceded, two wrong ones tied.
fn honest_judgement(
	q: qc::QueryId,
	j: u8,
) -> Option<BoundedVec<qc::ComparisonOf<Runtime>, <Runtime as qc::Config>::MaxComparisons>> {
	let candidates = qc::Candidates::<Runtime>::get(q);
	let mine = honest_answer(j).0;
	let own = candidates.iter().position(|c| c.as_slice() == mine.as_slice());
	let own = own.and_then(|o| u8::try_from(o).ok());
	let mut comparisons: Vec<qc::ComparisonOf<Runtime>> = Vec::new();
	let n = candidates.len() as u8;
	for a in 0..n {
		for b in a.saturating_add(1)..n {
			let right =
				|i: u8| candidates.get(usize::from(i)).is_some_and(|c| c.as_slice() == b"42");
			let outcome = if own == Some(a) {
				qc::PairOutcome::B
			} else if own == Some(b) || right(a) {
				qc::PairOutcome::A
			} else if right(b) {
				qc::PairOutcome::B
			} else {
				qc::PairOutcome::Tie
			};
			comparisons.push(qc::Comparison { a, b, outcome, justification: Default::default() });
		}
	}
	comparisons.try_into().ok()
}

/// The answer and salt an honest actor `who` commits to: its persona's (`42` is right).
fn honest_answer(who: u8) -> (Vec<u8>, [u8; 32]) {
	let answer: &[u8] = match who % 3 {
		0 => b"42",
		1 => b"41",
		_ => b"forty-two",
	};
	(answer.to_vec(), [who; 32])
}

/// What honest parties of task `t` do now: nodes 1..=3 submit in a submission epoch,
/// validators 9..=11 commit then reveal scores of every submission, the creator reveals the
/// evaluation set in the final validation.
fn honest_task(t: u32) -> Vec<(RuntimeOrigin, RuntimeCall)> {
	let Some(task) = validation::Tasks::<Runtime>::get(t) else { return vec![] };
	let mut out: Vec<(RuntimeOrigin, RuntimeCall)> = Vec::new();
	let now = System::block_number();
	if matches!(task.phase, validation::TaskPhase::Submission { .. })
		&& task.kind == validation::TaskKind::Training
	{
		for n in 1..=3u8 {
			if let Ok(uri) = b"ipfs://m".to_vec().try_into() {
				let artifact = H256::repeat_byte(n);
				out.push((signed(n), validation::Call::submit { task: t, artifact, uri }.into()));
			}
		}
	}
	if task.phase == validation::TaskPhase::FinalValidation && task.eval_set.is_none() {
		if let (Some(creator), Ok(eval_set)) = (actor_of(&task.creator), b"set".to_vec().try_into())
		{
			out.push((
				signed(creator),
				validation::Call::reveal_eval_set { task: t, eval_set, salt: [1; 32] }.into(),
			));
		}
	}
	if task.phase == validation::TaskPhase::Challenge {
		honest_challenge(t, &task, now, &mut out);
	}
	let Some(round) = validation::Pallet::<Runtime>::current_round(&task) else { return out };
	let n = match task.kind {
		validation::TaskKind::Evaluation => 1,
		validation::TaskKind::Training => {
			validation::Submissions::<Runtime>::decode_len(t).unwrap_or(0)
		}
	};
	for v in 9..=11u8 {
		let scores: Vec<Perbill> = (0..n)
			.map(|i| Perbill::from_percent(50 + 10 * (i as u32 % 4) + u32::from(v)))
			.collect();
		let salt = [v; 32];
		if now < validation::Pallet::<Runtime>::reveal_from(&task) {
			let commitment =
				validation::Pallet::<Runtime>::commitment_of(t, round, &account(v), &scores, &salt);
			out.push((signed(v), validation::Call::commit_scores { task: t, commitment }.into()));
		} else if let Ok(scores) = scores.try_into() {
			out.push((signed(v), validation::Call::reveal_scores { task: t, scores, salt }.into()));
		}
	}
	out
}

/// What honest parties of the open calibration rounds do now: providers 1..=7 commit their
/// answers (`honest_answer`) in the commit window and reveal them in the reveal window, the
/// creator (root for governance rounds) reveals the key `["42"]` (salt 3) in the key window,
/// and actor 12 closes an expired round. Each commitment holds the calibrant deposit.
fn honest_calibration() -> Vec<(RuntimeOrigin, RuntimeCall)> {
	let mut out: Vec<(RuntimeOrigin, RuntimeCall)> = Vec::new();
	let now = System::block_number();
	for id in validation::OpenCalibrations::<Runtime>::get() {
		let Some(c) = validation::Calibrations::<Runtime>::get(id) else { continue };
		match validation::Pallet::<Runtime>::calibration_phase(&c, now) {
			validation::CalibrationPhase::Commit => {
				for n in 1..=7u8 {
					let (answer, salt) = honest_answer(n);
					let commitment = validation::Pallet::<Runtime>::calibration_commitment_of(
						id,
						&account(n),
						&[answer],
						&salt,
					);
					let call = validation::Call::commit_calibration { calibration: id, commitment };
					out.push((signed(n), call.into()));
				}
			}
			validation::CalibrationPhase::Reveal => {
				for n in 1..=7u8 {
					let (answer, salt) = honest_answer(n);
					let Some(answers) = bounded(answer).and_then(|a| vec![a].try_into().ok())
					else {
						continue;
					};
					let call =
						validation::Call::reveal_calibration { calibration: id, answers, salt };
					out.push((signed(n), call.into()));
				}
			}
			validation::CalibrationPhase::Key => {
				let origin = match &c.creator {
					None => RuntimeOrigin::root(),
					Some(creator) => match actor_of(creator) {
						Some(a) => signed(a),
						None => continue,
					},
				};
				let Some(key) = bounded(b"42".to_vec()).and_then(|k| vec![k].try_into().ok())
				else {
					continue;
				};
				let call = validation::Call::reveal_key { calibration: id, key, salt: [3; 32] };
				out.push((origin, call.into()));
			}
			validation::CalibrationPhase::Expired => {
				let call = validation::Call::close_calibration { calibration: id };
				out.push((signed(12), call.into()));
			}
		}
	}
	out
}

/// The challenge phase of training task `t`, played in its windows: actor 12 challenges
/// submission 0 in the first third, its node answers in the second, validators 9..=11 commit
/// sealed votes in the first half of the last third and reveal them in the second (the side
/// and salt fixed per validator, as the random `commit_vote` and `reveal_vote` draws use, so
/// either may reveal the other's commitment).
fn honest_challenge(
	t: u32,
	task: &validation::TaskOf<Runtime>,
	now: u32,
	out: &mut Vec<(RuntimeOrigin, RuntimeCall)>,
) {
	let third = validation::Pallet::<Runtime>::third(task.lengths.challenge);
	let reveals_from = validation::Pallet::<Runtime>::vote_reveal_from(task);
	let challenge = validation::Challenges::<Runtime>::get(t, 0);
	let Some(node) =
		validation::Submissions::<Runtime>::get(t).first().and_then(|s| actor_of(&s.node))
	else {
		return;
	};
	if now < task.deadline.saturating_sub(2 * third) {
		if challenge.is_none() && node != 12 {
			if let Ok(reason) = b"copied".to_vec().try_into() {
				let c = validation::Call::challenge { task: t, index: 0, reason, bond: 10 * UNIT };
				out.push((signed(12), c.into()));
			}
		}
	} else if now < task.deadline.saturating_sub(third) {
		if challenge.is_some_and(|c| c.proof.is_none()) {
			if let Ok(uri) = b"ipfs://log".to_vec().try_into() {
				let c = validation::Call::respond { task: t, index: 0, proof: H256::zero(), uri };
				out.push((signed(node), c.into()));
			}
		}
	} else {
		for v in 9..=11u8 {
			let (uphold, salt) = (!v.is_multiple_of(4), [v; 32]);
			let c: RuntimeCall = if now < reveals_from {
				let commitment = validation::Pallet::<Runtime>::vote_commitment_of(
					t,
					0,
					&account(v),
					uphold,
					&salt,
				);
				validation::Call::commit_vote { task: t, index: 0, commitment }.into()
			} else {
				validation::Call::reveal_vote { task: t, index: 0, uphold, salt }.into()
			};
			out.push((signed(v), c));
		}
	}
}

/// Draw the next step, or `None` when the input is exhausted or an argument did not fit its
/// bound (that draw is skipped).
fn draw(g: &mut Gen) -> Option<Step> {
	if g.u.is_empty() {
		return None;
	}
	let who = g.actor();
	let next_query = qc::NextQueryId::<Runtime>::get();
	let query = g.pick(&[
		next_query.saturating_sub(1),
		next_query.saturating_sub(1),
		next_query.saturating_sub(2),
		next_query.saturating_sub(3),
		0,
		next_query,
	]);
	let next_task = validation::NextTaskId::<Runtime>::get();
	let task = g.pick(&[
		next_task.saturating_sub(1),
		next_task.saturating_sub(1),
		next_task.saturating_sub(2),
		0,
		next_task,
	]);
	let next_cal = validation::NextCalibrationId::<Runtime>::get();
	let cal = g.pick(&[next_cal.saturating_sub(1), next_cal]);
	// Honest parties act often (the deep paths); the queries' participants act more often
	// than anyone else does anything.
	let kind = match g.below(80) {
		60..=69 => return Some(Step::Many(honest_query(query))),
		70..=74 => {
			// Half the time the task in its challenge phase, if any (the challenge, answer
			// and sealed-vote windows are otherwise rarely met in order).
			let in_challenge = || {
				validation::OpenTasks::<Runtime>::iter_keys().find(|t| {
					validation::Tasks::<Runtime>::get(t)
						.is_some_and(|t| t.phase == validation::TaskPhase::Challenge)
				})
			};
			return Some(Step::Many(match g.below(3) {
				0 => honest_calibration(),
				1 => honest_task(in_challenge().unwrap_or(task)),
				_ => honest_task(task),
			}));
		}
		75..=79 => return Some(Step::Advance(g.pick(&[1, 2, 3]))),
		k @ 0..=39 => k,
		40..=44 => 23,
		45..=49 => 24,
		50..=54 => 26,
		55..=57 => 28,
		_ => 22,
	};
	let call: RuntimeCall = match kind {
		0..=5 => return Some(Step::Advance(g.pick(&[1, 1, 2, 3, 5, 10, 30]))),
		6 => return Some(Step::Slash(g.actor(), g.perbill())),
		// Staking.
		7 => {
			let roles = g.pick(&[
				staking::Roles::PROVIDER,
				staking::Roles::VALIDATOR,
				staking::Roles::PROVIDER_COORDINATOR,
			]);
			let domains = g.pick::<&[u32]>(&[&[0], &[1], &[0, 1], &[], &[0, 0], &[7]]).to_vec();
			staking::Call::register {
				roles,
				domains: domains.try_into().ok()?,
				model: bounded(g.bytes(16))?,
				description: Default::default(),
				bond: g.amount(),
			}
			.into()
		}
		8 => staking::Call::bond_extra { amount: g.amount() }.into(),
		9 => staking::Call::unbond { amount: g.amount() }.into(),
		10 => staking::Call::withdraw_unbonded {}.into(),
		11 => staking::Call::deregister {}.into(),
		12 => staking::Call::set_commission { commission: g.perbill() }.into(),
		13 => staking::Call::delegate { node: account(g.actor()), amount: g.amount() }.into(),
		14 => staking::Call::undelegate { node: account(g.actor()), amount: g.amount() }.into(),
		15 => {
			let node = account(g.actor());
			if g.flip() {
				staking::Call::claim_rewards { node }.into()
			} else {
				staking::Call::compound { node }.into()
			}
		}
		16 => {
			let domains = g.pick::<&[u32]>(&[&[0], &[1], &[0, 1]]).to_vec();
			let model = if g.flip() { b"sim-persona-0.7".to_vec() } else { b"other".to_vec() };
			staking::Call::update_profile {
				roles: staking::Roles::PROVIDER_COORDINATOR,
				domains: domains.try_into().ok()?,
				model: bounded(model)?,
				description: Default::default(),
			}
			.into()
		}
		17 => {
			let c: RuntimeCall = staking::Call::set_capability {
				who: account(g.actor()),
				domain: g.domain(),
				capable: g.flip(),
			}
			.into();
			return Some(Step::Call(RuntimeOrigin::root(), Box::new(c)));
		}
		// Query contracts.
		18..=20 => {
			// Mostly a well-formed query (the deep paths), sometimes edge values everywhere.
			let valid = g.below(4) != 0;
			let (mode, respondents) = if valid {
				g.pick(&[
					(qc::Mode::Swarm, 3u8),
					(qc::Mode::Swarm, 2),
					(qc::Mode::Debate { rounds: 1 }, 3),
					(qc::Mode::Single, 1),
				])
			} else {
				(
					g.pick(&[qc::Mode::Single, qc::Mode::Swarm, qc::Mode::Debate { rounds: 0 }]),
					g.pick(&[0u8, 1, 2, 16, 17]),
				)
			};
			// Providers' default terms accept phases of at least 10 blocks.
			let p = if valid { g.pick(&[10, 12]) } else { g.pick(&[0, 1, 2, 10]) };
			let phases = qc::PhaseLengths {
				selecting: if valid { g.pick(&[2, 10]) } else { g.pick(&[0, 2, p]) },
				committing: p,
				revealing: p,
				debating: p,
				judging: p,
				validating: if valid { p } else { g.pick(&[p, 0, 2]) },
			};
			let shares = if valid || g.flip() {
				Default::default()
			} else {
				qc::RewardShares {
					coordinator: g.perbill(),
					validators: g.perbill(),
					judges: g.perbill(),
					answers: g.perbill(),
				}
			};
			let single = mode == qc::Mode::Single;
			let params = qc::QueryParams {
				mode,
				respondents,
				extra_judges: if valid && single { 0 } else { g.pick(&[0, 1, 2]) },
				validators: g.pick(&[0, 1, 2]),
				phases,
				shares,
				answer_payout: g
					.pick(&[qc::AnswerPayout::Proportional, qc::AnswerPayout::GeometricRank]),
				aggregation: g
					.pick(&[qc::Aggregation::BradleyTerry, qc::Aggregation::MajorityVote]),
				quality_threshold: if valid {
					g.pick(&[Percent::zero(), Percent::from_percent(50)])
				} else {
					g.pick(&[Percent::zero(), Percent::from_percent(81), Percent::one()])
				},
				coordinator: if g.below(3) != 0 {
					None
				} else {
					Some(account(1 + g.below(8) as u8))
				},
			};
			let c: RuntimeCall = qc::Call::create_query {
				domain: if valid { g.pick(&[0, 1]) } else { g.pick(&[0, 7]) },
				prompt: bounded(if valid { b"What is 6 x 7?".to_vec() } else { g.bytes(8) })?,
				params,
				budget: if valid {
					g.pick(&[100 * UNIT, 1_000 * UNIT])
				} else {
					g.pick(&[10 * UNIT, UNIT, 0, 2_000_000 * UNIT])
				},
			}
			.into();
			return Some(Step::Call(signed(g.pick(&[12, 12, who])), Box::new(c)));
		}
		21 => qc::Call::cancel { query }.into(),
		22 => {
			let n = qc::Queries::<Runtime>::get(query)
				.map_or(3, |q| usize::from(q.params.respondents))
				.min(8);
			let n = g.pick(&[n, n, n.saturating_sub(1), 0]);
			let picked: Vec<AccountId> = (0..n).map(|_| account(1 + g.below(8) as u8)).collect();
			let c: RuntimeCall = qc::Call::select {
				query,
				respondents: picked.try_into().ok()?,
				rationale: bounded(vec![])?,
			}
			.into();
			let coordinator = qc::Queries::<Runtime>::get(query)
				.and_then(|q| q.params.coordinator)
				.as_ref()
				.and_then(actor_of)
				.unwrap_or(who);
			return Some(Step::Call(signed(g.pick(&[coordinator, coordinator, who])), Box::new(c)));
		}
		23 => {
			let who = query_actor(g, query);
			let (answer, salt) = persona(g, who);
			let commitment =
				qc::Pallet::<Runtime>::commitment_of(query, &account(who), &answer, &salt);
			return Some(Step::Call(
				signed(who),
				Box::new(qc::Call::commit { query, commitment }.into()),
			));
		}
		24 => {
			let who = query_actor(g, query);
			let (answer, salt) = persona(g, who);
			let c: RuntimeCall = qc::Call::reveal { query, answer: bounded(answer)?, salt }.into();
			return Some(Step::Call(signed(who), Box::new(c)));
		}
		25 => {
			let revised = if g.flip() { Some(bounded(g.answer())?) } else { None };
			qc::Call::debate {
				query,
				round: g.pick(&[0, 1]),
				message: bounded(g.answer())?,
				revised_answer: revised,
				agrees: g.flip(),
			}
			.into()
		}
		26..=27 => {
			let n = g.pick(&[0usize, 1, 2, 3]);
			let comparisons: Vec<qc::ComparisonOf<Runtime>> = (0..n)
				.map(|_| qc::Comparison {
					a: g.pick(&[0, 1, 2, 9]),
					b: g.pick(&[0, 1, 2, 9]),
					outcome: g.pick(&[
						qc::PairOutcome::A,
						qc::PairOutcome::B,
						qc::PairOutcome::Tie,
					]),
					justification: Default::default(),
				})
				.collect();
			let m = g.pick(&[0usize, 1, 2]);
			let feedback: Vec<qc::PeerFeedbackOf<Runtime>> = (0..m)
				.map(|_| qc::PeerFeedback { to: account(g.actor()), text: Default::default() })
				.collect();
			let who = query_actor(g, query);
			let comparisons: BoundedVec<_, <Runtime as qc::Config>::MaxComparisons> =
				comparisons.try_into().ok()?;
			let feedback: BoundedVec<_, <Runtime as qc::Config>::MaxRespondents> =
				feedback.try_into().ok()?;
			let salt = [who; 32];
			// A commitment to this judgement, or a reveal of it (the honest flow commits and
			// reveals matching ones).
			let c: RuntimeCall = if g.below(2) == 0 {
				let commitment = qc::Pallet::<Runtime>::judgement_commitment_of(
					query,
					&account(who),
					&comparisons,
					&feedback,
					&salt,
				);
				qc::Call::commit_judgement { query, commitment }.into()
			} else {
				qc::Call::judge { query, comparisons, feedback, salt }.into()
			};
			return Some(Step::Call(signed(who), Box::new(c)));
		}
		28 => {
			let who = query_actor(g, query);
			let score = g.pick(&[Percent::zero(), Percent::from_percent(70), Percent::one()]);
			let salt = [who; 32];
			// A commitment to this score, or a reveal of it.
			let c: RuntimeCall = if g.below(2) == 0 {
				let commitment = qc::Pallet::<Runtime>::validation_commitment_of(
					query,
					&account(who),
					score,
					&[],
					&salt,
				);
				qc::Call::commit_validation { query, commitment }.into()
			} else {
				qc::Call::validate { query, score, note: bounded(vec![])?, salt }.into()
			};
			return Some(Step::Call(signed(who), Box::new(c)));
		}
		29 => qc::Call::advance { query }.into(),
		30 => qc::Call::reap { query }.into(),
		31 => qc::Call::set_terms {
			domain: g.domain(),
			terms: qc::ProviderTerms {
				answer: g.pick(&[0, UNIT / 100, UNIT]),
				comparison: g.pick(&[0, UNIT / 100]),
				validation: g.pick(&[0, UNIT / 100]),
				min_phase: g.pick(&[0, 1, 10, 50]),
			},
		}
		.into(),
		// Validation tasks and calibration.
		32 => {
			let valid = g.below(4) != 0;
			let lengths = if valid {
				validation::TaskLengths {
					epochs: g.pick(&[1, 2, 3]),
					commit: g.pick(&[2, 5, 10]),
					reveal: g.pick(&[2, 5, 10]),
					reveal_set: g.pick(&[2, 10]),
					challenge: g.pick(&[30, 60, 90]),
				}
			} else {
				validation::TaskLengths {
					epochs: g.pick(&[0, 1, 31]),
					commit: g.pick(&[0, 1, 2]),
					reveal: g.pick(&[0, 1, 2]),
					reveal_set: g.pick(&[0, 2]),
					challenge: g.pick(&[0, 29, 30]),
				}
			};
			validation::Call::create_task {
				domain: g.domain(),
				kind: if g.flip() {
					validation::TaskKind::Training
				} else {
					validation::TaskKind::Evaluation
				},
				spec_uri: bounded(b"ipfs://spec".to_vec())?,
				spec_hash: H256::repeat_byte(1),
				eval_commitment: validation::Pallet::<Runtime>::eval_commitment_of(
					b"set", &[1; 32],
				),
				pool: if valid { 1_000 * UNIT } else { g.pick(&[10 * UNIT, 0]) },
				lengths,
			}
			.into()
		}
		33 => {
			let c: RuntimeCall = validation::Call::submit {
				task,
				artifact: H256::repeat_byte(who),
				uri: bounded(b"ipfs://m".to_vec())?,
			}
			.into();
			let provider = 1 + g.below(8) as u8;
			return Some(Step::Call(signed(g.pick(&[provider, provider, who])), Box::new(c)));
		}
		34 => {
			// Validators 9..=11 score every submission so far (one score for evaluation).
			let who = g.pick(&[9, 10, 11, who]);
			let subs = validation::Submissions::<Runtime>::decode_len(task).unwrap_or(0);
			let n = match validation::Tasks::<Runtime>::get(task).map(|t| t.kind) {
				Some(validation::TaskKind::Evaluation) => 1,
				_ => subs,
			};
			let n = g.pick(&[n, n, n, 0, n + 1]);
			let scores: Vec<Perbill> = (0..n)
				.map(|i| Perbill::from_percent(40 + 10 * (i as u32 % 5) + u32::from(who)))
				.collect();
			let salt = [who; 32];
			let c: RuntimeCall = match validation::Tasks::<Runtime>::get(task)
				.and_then(|t| validation::Pallet::<Runtime>::current_round(&t))
			{
				Some(round) if g.flip() => validation::Call::commit_scores {
					task,
					commitment: validation::Pallet::<Runtime>::commitment_of(
						task,
						round,
						&account(who),
						&scores,
						&salt,
					),
				}
				.into(),
				_ => {
					validation::Call::reveal_scores { task, scores: scores.try_into().ok()?, salt }
						.into()
				}
			};
			return Some(Step::Call(signed(who), Box::new(c)));
		}
		35 => {
			let c: RuntimeCall = validation::Call::reveal_eval_set {
				task,
				eval_set: b"set".to_vec().try_into().ok()?,
				salt: [g.pick(&[1, 2]); 32],
			}
			.into();
			return Some(Step::Call(signed(g.pick(&[12, who])), Box::new(c)));
		}
		36 => {
			let index = g.pick(&[0u16, 1, 5]);
			let node = validation::Submissions::<Runtime>::get(task)
				.get(usize::from(index))
				.and_then(|s| actor_of(&s.node))
				.unwrap_or(who);
			let (who, c): (u8, RuntimeCall) = match g.below(3) {
				0 => (
					who,
					validation::Call::challenge {
						task,
						index,
						reason: bounded(vec![])?,
						bond: g.pick(&[UNIT, 10 * UNIT, 0, 5_000_000 * UNIT]),
					}
					.into(),
				),
				1 => (
					g.pick(&[node, node, who]),
					validation::Call::respond {
						task,
						index,
						proof: H256::zero(),
						uri: bounded(vec![])?,
					}
					.into(),
				),
				_ => {
					// Sealed votes with a side and salt fixed per actor, so a later reveal by
					// the same actor matches its commitment.
					let voter = g.pick(&[9, 10, 11, who]);
					let uphold = !voter.is_multiple_of(4);
					let salt = [voter; 32];
					let c: RuntimeCall = if g.flip() {
						validation::Call::commit_vote {
							task,
							index,
							commitment: validation::Pallet::<Runtime>::vote_commitment_of(
								task,
								index,
								&account(voter),
								uphold,
								&salt,
							),
						}
						.into()
					} else {
						validation::Call::reveal_vote { task, index, uphold, salt }.into()
					};
					(voter, c)
				}
			};
			return Some(Step::Call(signed(who), Box::new(c)));
		}
		37 => {
			if g.flip() {
				validation::Call::advance { task }.into()
			} else {
				validation::Call::reap { task }.into()
			}
		}
		38 => {
			// Calibration: governance or signed rounds with the key to ["42"] (salt 3).
			let key: Vec<Vec<u8>> = vec![b"42".to_vec()];
			let origin = if g.flip() { RuntimeOrigin::root() } else { signed(who) };
			let c: RuntimeCall = match g.below(5) {
				0 => validation::Call::create_calibration {
					domain: g.domain(),
					questions: vec![bounded(b"What is 6 x 7?".to_vec())?].try_into().ok()?,
					key_commitment: validation::Pallet::<Runtime>::key_commitment_of(
						&key, &[3; 32],
					),
					threshold: g.pick(&[1, 1, 0, 2]),
					lengths: validation::CalibrationLengths {
						commit: g.pick(&[0, 2, 10]),
						reveal: g.pick(&[2, 10]),
						key: g.pick(&[2, 10]),
					},
				}
				.into(),
				1 => {
					let (answer, salt) = persona(g, who);
					let answers = vec![answer];
					validation::Call::commit_calibration {
						calibration: cal,
						commitment: validation::Pallet::<Runtime>::calibration_commitment_of(
							cal,
							&account(who),
							&answers,
							&salt,
						),
					}
					.into()
				}
				2 => {
					let (answer, salt) = persona(g, who);
					validation::Call::reveal_calibration {
						calibration: cal,
						answers: vec![bounded(answer)?].try_into().ok()?,
						salt,
					}
					.into()
				}
				3 => validation::Call::reveal_key {
					calibration: cal,
					key: vec![bounded(b"42".to_vec())?].try_into().ok()?,
					salt: [g.pick(&[3, 4]); 32],
				}
				.into(),
				_ => validation::Call::close_calibration { calibration: cal }.into(),
			};
			let origin = match &c {
				RuntimeCall::LlmnetValidation(
					validation::Call::create_calibration { .. }
					| validation::Call::reveal_key { .. },
				) => origin,
				_ => signed(who),
			};
			return Some(Step::Call(origin, Box::new(c)));
		}
		_ => {
			// Reputation: governance only.
			let c: RuntimeCall =
				pallet_llmnet_reputation::Call::clear_feedback { who: account(g.actor()) }.into();
			return Some(Step::Call(RuntimeOrigin::root(), Box::new(c)));
		}
	};
	Some(Step::Call(signed(who), Box::new(call)))
}

/// Advance one block: the LLM-Net pallets' hooks (the parachain system's need relay data and
/// are not part of what is fuzzed), proven as in [`proven`] (oracle 8: the proof of the hooks
/// fits the weight they return).
fn next_block(ext: &mut Ext, stats: &mut Stats) -> Result<(), String> {
	// The honest provider acts on all its open work before the block ends, as its worker
	// would (oracle 9).
	let work: Vec<(RuntimeOrigin, RuntimeCall)> = ext.execute_with(|| {
		qc::Work::<Runtime>::iter_key_prefix(account(HONEST))
			.flat_map(honest_query)
			.filter(|(o, _)| is_honest(o))
			.collect()
	});
	for (origin, call) in work {
		dispatch(ext, origin, call, stats)?;
		stats.honest += 1;
	}
	// The end of the block: queries whose phase completed in it move on (their transitions'
	// weight was registered by the calls that completed them).
	fresh(ext)?;
	let (weight, proof) = proven(ext, || {
		let now = System::block_number();
		let weight = qc::Pallet::<Runtime>::transition_weight()
			.saturating_mul(qc::Ready::<Runtime>::decode_len().unwrap_or(0) as u64);
		<(LlmnetStaking, LlmnetReputation, LlmnetQueryContracts, LlmnetValidation) as OnFinalize<
			BlockNumber,
		>>::on_finalize(now);
		weight
	});
	// (Reading the empty list is in `on_initialize`'s weight.)
	if weight.ref_time() > 0 && proof > weight.proof_size() {
		return Err(format!(
			"end of block: proof {proof} bytes > registered {}",
			weight.proof_size()
		));
	}
	let n = ext.execute_with(|| {
		let n = System::block_number().saturating_add(1);
		System::set_block_number(n);
		System::set_parent_hash(BlakeTwo256::hash_of(&n));
		// What the runtime's parachain-system hook notes from each block's relay state proof.
		LlmnetQueryContracts::note_relay_randomness(Some(BlakeTwo256::hash_of(&(n, 1u8)).0), None);
		n
	});
	fresh(ext)?;
	let (weight, proof) = proven(ext, || {
		<(LlmnetStaking, LlmnetReputation, LlmnetQueryContracts, LlmnetValidation) as OnInitialize<
			BlockNumber,
		>>::on_initialize(n)
	});
	if proof > weight.proof_size() {
		return Err(format!("#{n} hooks: proof {proof} bytes > declared {}", weight.proof_size()));
	}
	// Oracle 9 on the hooks' events: in the next step's `fresh` or `check`, before they go.
	Ok(())
}

/// The honest provider: no random call is ever signed by it (they are signed by the plain
/// user instead); at the end of every block it does all its open query work (oracle 9).
const HONEST: u8 = 8;

fn is_honest(origin: &RuntimeOrigin) -> bool {
	polkadot_sdk::frame_system::ensure_signed(origin.clone()).ok() == Some(account(HONEST))
}

/// Oracle 9: the honest provider, which acts within every window, never missed a deadline
/// (so was never slashed for one).
fn honest_never_slashed() -> Result<(), String> {
	for e in System::events() {
		if let llmnet_runtime::RuntimeEvent::LlmnetQueryContracts(qc::Event::DeadlineMissed {
			query,
			who,
			slashed,
		}) = e.event
		{
			if who == account(HONEST) {
				return Err(format!(
					"the honest provider was slashed {slashed} for a missed deadline in query {query}"
				));
			}
		}
	}
	Ok(())
}

type Ext = sp_io::TestExternalities;

/// Make the next step start as if first in its block: the events so far are checked (oracle
/// 9) and cleared (a live block keeps its events in memory, never in the proof, while here
/// they would be committed and re-read by the next event's append), and everything is
/// committed, so that [`proven`] records every trie node the step reads.
fn fresh(ext: &mut Ext) -> Result<(), String> {
	ext.execute_with(|| {
		honest_never_slashed()?;
		System::reset_events();
		Ok::<(), String>(())
	})?;
	ext.commit_all()
}

/// Run `f` with a fresh storage proof recorder (after [`fresh`]): `f`'s result and the size
/// of the storage proof its reads need (the worst case: no earlier call warmed the trie
/// nodes it reads).
fn proven<R>(ext: &mut Ext, f: impl FnOnce() -> R) -> (R, u64) {
	let (r, proof) = ext.execute_and_prove(f);
	use polkadot_sdk::sp_runtime::codec::Encode as _;
	(r, proof.encoded_size() as u64)
}

/// Oracles 2 and 3; the issuance now.
fn check(issuance_before: Balance) -> Result<Balance, String> {
	staking::Pallet::<Runtime>::do_try_state().map_err(|e| format!("staking try_state: {e:?}"))?;
	pallet_llmnet_reputation::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("reputation try_state: {e:?}"))?;
	qc::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("query-contracts try_state: {e:?}"))?;
	validation::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("validation try_state: {e:?}"))?;
	// Every node's live assignments are exactly its query work entries plus its submissions
	// to open tasks (the pallets' own checks can each see only their part).
	let mut work: BTreeMap<AccountId, u32> = BTreeMap::new();
	for (who, _, _) in qc::Work::<Runtime>::iter() {
		*work.entry(who).or_default() += 1;
	}
	for (id, subs) in validation::Submissions::<Runtime>::iter() {
		let open = validation::Tasks::<Runtime>::get(id)
			.is_some_and(|t| t.phase != validation::TaskPhase::Closed);
		if !open {
			continue;
		}
		for s in subs {
			*work.entry(s.node).or_default() += 1;
		}
	}
	for (who, node) in staking::Nodes::<Runtime>::iter() {
		let expected = work.get(&who).copied().unwrap_or(0);
		if node.live_assignments != expected {
			return Err(format!(
				"{who:?}: {} live assignments, {expected} work entries and submissions",
				node.live_assignments
			));
		}
	}
	honest_never_slashed()?;
	let issuance = llmnet_runtime::Balances::total_issuance();
	if issuance > issuance_before {
		return Err(format!("issuance grew: {issuance_before} -> {issuance}"));
	}
	let held: Balance = polkadot_sdk::frame_system::Account::<Runtime>::iter()
		.map(|(_, a)| a.data.free.saturating_add(a.data.reserved))
		.sum();
	if held != issuance {
		return Err(format!("accounts hold {held}, issuance is {issuance}"));
	}
	Ok(issuance)
}

/// Stats of one seed.
#[derive(Default)]
struct Stats {
	/// Per call, `Ok` or the error: how often (for `--stats`).
	outcomes: BTreeMap<(String, String), u64>,
	calls: u64,
	ok: u64,
	blocks: u64,
	queries: u32,
	settled: u32,
	tasks: u32,
	/// Positions undelegated and nodes deregistered by oracle 7.
	left: (u32, u32),
	/// The largest storage proof of one call, and the call (oracle 8).
	proof: (u64, String),
	/// Calls of the honest provider (oracle 9).
	honest: u64,
	slashes: u64,
}

/// Dispatch `call` from `origin`, count its outcome, and check oracles 5 (a failed call
/// changes no storage) and 8 (the storage proof of the call fits the proof size it declares,
/// or the smaller one it reports after dispatch).
fn dispatch(
	ext: &mut Ext,
	origin: RuntimeOrigin,
	call: RuntimeCall,
	stats: &mut Stats,
) -> Result<(), String> {
	use polkadot_sdk::frame_support::dispatch::GetDispatchInfo;
	let who = if trace() {
		format!("{:?}", origin.caller)
			.chars()
			.filter(|c| c.is_ascii_hexdigit())
			.take(2)
			.collect::<String>()
	} else {
		String::new()
	};
	fresh(ext)?;
	let root = ext.execute_with(|| sp_io::storage::root(StateVersion::V1));
	let info = call.get_dispatch_info();
	let declared = info.total_weight();
	let (result, proof) = proven(ext, || call.clone().dispatch(origin));
	stats.calls += 1;
	let meta = call.get_call_metadata();
	let name = format!("{}.{}", meta.pallet_name, meta.function_name);
	let what = match &result {
		Ok(_) => "Ok".to_string(),
		Err(e) => match e.error {
			polkadot_sdk::sp_runtime::DispatchError::Module(m) => {
				m.message.unwrap_or("?").to_string()
			}
			other => format!("{other:?}"),
		},
	};
	if trace() {
		let n = ext.execute_with(System::block_number);
		eprintln!("#{n} {who} {name}: {what} (proof {proof} of {})", declared.proof_size());
	}
	*stats.outcomes.entry((name.clone(), what)).or_default() += 1;
	let post = match &result {
		Ok(p) => p,
		Err(e) => &e.post_info,
	};
	let charged = post.calc_actual_weight(&info);
	if proof > charged.proof_size() {
		return Err(format!(
			"{name}: storage proof {proof} bytes > {} charged ({} declared): {call:?}",
			charged.proof_size(),
			declared.proof_size()
		));
	}
	if proof > stats.proof.0 {
		stats.proof = (proof, name);
	}
	match result {
		Ok(_) => stats.ok += 1,
		Err(e) => {
			if ext.execute_with(|| sp_io::storage::root(StateVersion::V1)) != root {
				return Err(format!("failed call changed storage: {call:?}: {:?}", e.error));
			}
		}
	}
	Ok(())
}

/// Run seed `seed` for `steps` steps; `Err((step, what))` on the first violated oracle.
fn run(seed: u64, steps: u32) -> Result<Stats, (u32, String)> {
	let mut bytes = vec![0u8; 64 * 1024];
	let mut x = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
	for chunk in bytes.chunks_mut(8) {
		// splitmix64
		x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = x;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^= z >> 31;
		chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
	}
	let mut ext = genesis();
	let mut g = Gen { u: Unstructured::new(&bytes) };
	let mut stats = Stats::default();
	let mut issuance = ext.execute_with(|| check(Balance::MAX)).map_err(|e| (0, e))?;
	for step in 1..=steps {
		let Some(s) = ext.execute_with(|| draw(&mut g)) else { break };
		match s {
			Step::Advance(n) => {
				for _ in 0..n {
					next_block(&mut ext, &mut stats).map_err(|e| (step, e))?;
				}
				stats.blocks += u64::from(n);
			}
			Step::Slash(who, f) => ext.execute_with(|| {
				if trace() {
					eprintln!("#{} step {step}: slash {who} {f:?}", System::block_number());
				}
				use llmnet_primitives::NodeRegistry;
				let _ = <LlmnetStaking as NodeRegistry<_, _, _>>::slash(
					&account(who),
					f,
					llmnet_primitives::SlashReason::Governance,
				);
				stats.slashes += 1;
			}),
			Step::Call(origin, call) => {
				let origin = if is_honest(&origin) { signed(12) } else { origin };
				dispatch(&mut ext, origin, *call, &mut stats).map_err(|e| (step, e))?;
			}
			Step::Many(calls) => {
				for (origin, call) in calls {
					dispatch(&mut ext, origin, call, &mut stats).map_err(|e| (step, e))?;
					issuance = ext.execute_with(|| check(issuance)).map_err(|e| (step, e))?;
				}
			}
		}
		issuance = ext.execute_with(|| check(issuance)).map_err(|e| (step, e))?;
	}
	// Drain: every window drawn has passed; nothing may stay open.
	for _ in 0..DRAIN {
		next_block(&mut ext, &mut stats).map_err(|e| (steps, format!("in the drain: {e}")))?;
	}
	stats.blocks += u64::from(DRAIN);
	ext.execute_with(|| {
		check(issuance).map_err(|e| (steps, format!("after the drain: {e}")))?;
		for (id, q) in qc::Queries::<Runtime>::iter() {
			stats.queries += 1;
			if q.phase == qc::Phase::Settled {
				stats.settled += 1;
			}
			if !q.phase.is_final() {
				return Err((steps, format!("query {id} still {:?} after the drain", q.phase)));
			}
		}
		stats.tasks = validation::NextTaskId::<Runtime>::get();
		if let Some((id, _)) = validation::OpenTasks::<Runtime>::iter().next() {
			return Err((steps, format!("task {id} still open after the drain")));
		}
		stats.left = leave_everything(issuance).map_err(|e| (steps, format!("leaving: {e}")))?;
		Ok(())
	})?;
	Ok(stats)
}

/// Oracle 7, liveness of stake: once nothing is open, every delegator can undelegate all, every
/// node can deregister, and after the unbonding period everyone withdraws everything: no
/// staking record and no staking hold is left, and nothing was minted.
fn leave_everything(issuance_before: Balance) -> Result<(u32, u32), String> {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	let jump = || {
		let period: BlockNumber = <Runtime as staking::Config>::UnbondingPeriod::get();
		System::set_block_number(System::block_number() + period + 1);
	};
	let withdraw_all = || -> Result<(), String> {
		for i in 1..=ACTORS {
			LlmnetStaking::withdraw_unbonded(signed(i))
				.map_err(|e| format!("actor {i} cannot withdraw: {e:?}"))?;
		}
		Ok(())
	};
	jump();
	withdraw_all()?;
	let delegations: Vec<(AccountId, AccountId)> =
		staking::Delegations::<Runtime>::iter_keys().collect();
	let left = (delegations.len() as u32, staking::Nodes::<Runtime>::iter_keys().count() as u32);
	for (delegator, node) in delegations {
		LlmnetStaking::undelegate(
			RuntimeOrigin::signed(delegator.clone()),
			node.clone(),
			Balance::MAX,
		)
		.map_err(|e| format!("{delegator:?} cannot undelegate from {node:?}: {e:?}"))?;
	}
	let nodes: Vec<AccountId> = staking::Nodes::<Runtime>::iter_keys().collect();
	for node in nodes {
		LlmnetStaking::deregister(RuntimeOrigin::signed(node.clone()))
			.map_err(|e| format!("{node:?} cannot deregister: {e:?}"))?;
	}
	jump();
	withdraw_all()?;
	staking::Pallet::<Runtime>::do_try_state().map_err(|e| format!("staking try_state: {e:?}"))?;
	if staking::Pools::<Runtime>::iter().next().is_some()
		|| staking::Delegations::<Runtime>::iter().next().is_some()
		|| staking::Unbonding::<Runtime>::iter().next().is_some()
		|| staking::PoolVesting::<Runtime>::iter().next().is_some()
	{
		return Err("staking records left after everyone withdrew".into());
	}
	for (who, _) in polkadot_sdk::frame_system::Account::<Runtime>::iter() {
		for reason in [
			llmnet_runtime::RuntimeHoldReason::LlmnetStaking(staking::HoldReason::NodeBond),
			llmnet_runtime::RuntimeHoldReason::LlmnetStaking(staking::HoldReason::Delegation),
		] {
			let held = llmnet_runtime::Balances::balance_on_hold(&reason, &who);
			if held != 0 {
				return Err(format!("{who:?} still holds {held} for {reason:?}"));
			}
		}
	}
	let issuance = llmnet_runtime::Balances::total_issuance();
	if issuance > issuance_before {
		return Err(format!("issuance grew: {issuance_before} -> {issuance}"));
	}
	Ok(left)
}

/// Whether to print every step (`LLMNET_FUZZ_TRACE=1`, for replaying one seed).
fn trace() -> bool {
	std::env::var("LLMNET_FUZZ_TRACE").is_ok()
}

fn arg(name: &str) -> Option<u64> {
	let args: Vec<String> = std::env::args().collect();
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok())
}

fn main() -> ExitCode {
	let steps = arg("--steps").unwrap_or(200) as u32;
	let (from, seeds) = match arg("--seed") {
		Some(s) => (s, 1),
		None => (arg("--from").unwrap_or(0), arg("--seeds").unwrap_or(50)),
	};
	// Runtime log lines (defensive errors) go to stderr only with RUST_LOG set.
	let started = Instant::now();
	let mut total = Stats::default();
	let mut failures = 0u32;
	for seed in from..from.saturating_add(seeds) {
		let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(seed, steps)));
		match outcome {
			Ok(Ok(s)) => {
				total.calls += s.calls;
				total.ok += s.ok;
				total.blocks += s.blocks;
				total.queries += s.queries;
				total.settled += s.settled;
				total.tasks += s.tasks;
				total.left.0 += s.left.0;
				total.left.1 += s.left.1;
				total.slashes += s.slashes;
				total.honest += s.honest;
				if s.proof.0 > total.proof.0 {
					total.proof = s.proof;
				}
				for (k, n) in s.outcomes {
					*total.outcomes.entry(k).or_default() += n;
				}
			}
			Ok(Err((step, what))) => {
				failures += 1;
				eprintln!("llmnet-fuzz: seed {seed}, step {step}: {what}");
			}
			Err(_) => {
				failures += 1;
				eprintln!("llmnet-fuzz: seed {seed}: PANIC (replay with --seed {seed})");
			}
		}
	}
	println!(
		"llmnet-fuzz: {seeds} seeds from {from}, {steps} steps each: {} calls ({} succeeded), {} slashes, {} blocks, {} queries ({} settled), {} tasks; at the end {} delegations undelegated and {} nodes deregistered; {} calls of the honest provider; largest call proof {} bytes ({}); {failures} failing seeds; {:.1} s",
		total.calls,
		total.ok,
		total.slashes,
		total.blocks,
		total.queries,
		total.settled,
		total.tasks,
		total.left.0,
		total.left.1,
		total.honest,
		total.proof.0,
		total.proof.1,
		started.elapsed().as_secs_f64()
	);
	if std::env::args().any(|a| a == "--stats") {
		for ((call, what), n) in &total.outcomes {
			println!("{n:>8}  {call}: {what}");
		}
	}
	if failures == 0 {
		ExitCode::SUCCESS
	} else {
		ExitCode::FAILURE
	}
}
