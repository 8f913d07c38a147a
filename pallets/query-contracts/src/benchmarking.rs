//! Benchmarks for `pallet_llmnet_query_contracts` (frame-benchmarking v2). Each runs the worst
//! case of its call or transition and asserts that it did.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]

use super::*;
use alloc::vec::Vec;
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, Mutate},
};

/// What the benchmarks need from the staking registry (implemented by the runtime).
pub trait BenchmarkHelper<AccountId> {
	/// A fresh active domain.
	fn domain() -> DomainId;
	/// Register `who` (already funded) as provider, coordinator and validator in `domain`,
	/// capable there.
	fn register_node(who: &AccountId, domain: DomainId);
}

impl<T: pallet_llmnet_staking::Config> BenchmarkHelper<T::AccountId>
	for pallet_llmnet_staking::Pallet<T>
{
	fn domain() -> DomainId {
		pallet_llmnet_staking::bench_helpers::new_domain::<T>()
	}

	fn register_node(who: &T::AccountId, domain: DomainId) {
		let all =
			pallet_llmnet_staking::Roles { provider: true, coordinator: true, validator: true };
		pallet_llmnet_staking::bench_helpers::register_capable::<T>(who, all, domain);
	}
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let amount = T::MinBudget::get().max(T::Currency::minimum_balance()) * 1_000_000u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

fn node<T: Config + pallet_llmnet_staking::Config>(i: u32, domain: DomainId) -> T::AccountId
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	let who = funded::<T>("node", i);
	// The staking pallet holds its bond in its own currency: fund that side too.
	let amount = pallet_llmnet_staking::BalanceOf::<T>::from(1_000_000_000u32)
		* <T as pallet_llmnet_staking::Config>::MinValidatorBond::get().max(1u32.into());
	<T as pallet_llmnet_staking::Config>::Currency::set_balance(&who, amount);
	<pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::register_node(&who, domain);
	who
}

fn bytes(len: u32, tag: u32) -> Vec<u8> {
	let mut v = tag.to_le_bytes().to_vec();
	v.resize(len.max(4) as usize, b'x');
	v
}

fn phases<T: Config>() -> PhaseLengths<BlockNumberFor<T>> {
	let l = T::MinPhaseLength::get().max(10u32.into()).min(T::MaxPhaseLength::get());
	PhaseLengths {
		selecting: l,
		committing: l,
		revealing: l,
		debating: l,
		judging: l,
		validating: l,
	}
}

fn params<T: Config>(
	mode: Mode,
	respondents: u32,
	coordinator: Option<T::AccountId>,
) -> QueryParamsOf<T> {
	QueryParams {
		mode,
		respondents: respondents as u8,
		extra_judges: T::MaxExtraJudges::get() as u8,
		validators: 0,
		phases: phases::<T>(),
		shares: RewardShares::default(),
		answer_payout: AnswerPayout::GeometricRank,
		aggregation: Aggregation::BradleyTerry,
		quality_threshold: Percent::zero(),
		coordinator,
	}
}

/// A query in `domain` with a named coordinator; (id, requester, coordinator).
fn query<T: Config>(
	domain: DomainId,
	p: impl FnOnce(T::AccountId) -> QueryParamsOf<T>,
	coord: T::AccountId,
) -> (QueryId, T::AccountId) {
	let requester = funded::<T>("requester", 0);
	let prompt = bytes(T::MaxPromptLen::get(), 0).try_into().unwrap();
	let id = Pallet::<T>::do_create_query(
		requester.clone(),
		domain,
		prompt,
		p(coord),
		T::MinBudget::get() * 1_000u32.into(),
	)
	.unwrap();
	(id, requester)
}

fn set_block<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn salt(i: u32) -> [u8; 32] {
	[i as u8; 32]
}

/// The account number of the named coordinator of these benchmarks: a node of its own (the
/// respondents' work is what is measured).
const COORDINATOR: u32 = 9_000;

/// Providers `0..n` and a query selected by its coordinator (node [`COORDINATOR`]).
fn selected<T: Config + pallet_llmnet_staking::Config>(
	mode: Mode,
	n: u32,
) -> (QueryId, T::AccountId, Vec<T::AccountId>, u32)
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	selected_v::<T>(mode, n, 0, false)
}

/// [`selected`] asking for `validators` validators; with `pools`, every node (the
/// respondents and the coordinator) has a delegation pool with vesting rewards, so payments
/// and slashes take their slow branch.
fn selected_v<T: Config + pallet_llmnet_staking::Config>(
	mode: Mode,
	n: u32,
	validators: u32,
	pools: bool,
) -> (QueryId, T::AccountId, Vec<T::AccountId>, u32)
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
	let nodes: Vec<T::AccountId> = (0..n).map(|i| node::<T>(i, domain)).collect();
	let coord = node::<T>(COORDINATOR, domain);
	if pools {
		pooled::<T>(&nodes);
		pooled::<T>(core::slice::from_ref(&coord));
	}
	let p = |c| QueryParams { validators: validators as u8, ..params::<T>(mode, n, Some(c)) };
	let (id, requester) = query::<T>(domain, p, coord.clone());
	Pallet::<T>::do_select(
		&coord,
		id,
		nodes.clone().try_into().unwrap(),
		bytes(T::MaxRationaleLen::get(), 0).try_into().unwrap(),
	)
	.unwrap();
	(id, requester, nodes, domain)
}

/// Give each of `nodes` a delegation pool with rewards still vesting.
fn pooled<T: Config + pallet_llmnet_staking::Config>(nodes: &[T::AccountId]) {
	for who in nodes {
		let i = frame::hashing::blake2_256(&who.encode());
		let i = u32::from_le_bytes([i[0], i[1], i[2], i[3]]);
		pallet_llmnet_staking::bench_helpers::with_pool::<T>(who, i);
	}
}

/// A Single query answered and in `Validating`, with exactly `MaxValidators` validators
/// besides its respondent (every one drawn); (id, validators).
fn validating<T: Config + pallet_llmnet_staking::Config>() -> (QueryId, Vec<T::AccountId>)
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
	let nodes: Vec<T::AccountId> = (0..1).map(|i| node::<T>(i, domain)).collect();
	let coord = node::<T>(COORDINATOR, domain);
	let (id, _) = query::<T>(
		domain,
		|c| QueryParams {
			extra_judges: 0,
			validators: T::MaxValidators::get() as u8,
			..params::<T>(Mode::Single, 1, Some(c))
		},
		coord.clone(),
	);
	Pallet::<T>::do_select(&coord, id, nodes.clone().try_into().unwrap(), Default::default())
		.unwrap();
	let v = T::MaxValidators::get();
	let validators: Vec<T::AccountId> = (1..=v).map(|i| node::<T>(2_000 + i, domain)).collect();
	answered::<T>(id, &nodes);
	advance_now::<T>(id);
	assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Validating);
	assert_eq!(DrawnValidators::<T>::decode_len(id), Some(v as usize));
	(id, validators)
}

/// Give each of `accounts` a full record of requesters that rated it in the current period
/// (`MaxRatersPerProvider` others, none at its cap): an observation of it then reads and
/// writes the whole record and evicts one entry (the pair cap's worst case, AUDIT H8).
fn rated<T: Config>(accounts: &[T::AccountId]) {
	let period = Pallet::<T>::observation_period();
	for who in accounts {
		let raters: Vec<(T::AccountId, u32, u32)> = (0..T::MaxRatersPerProvider::get())
			.map(|i| (account::<T::AccountId>("rater", i, 0), period, 1))
			.collect();
		PairObservations::<T>::insert(who, BoundedVec::truncate_from(raters));
	}
}

/// Take query `id`'s respondents and coordinator out of the domain's node lists (benchmark
/// set-up only): a committee's sample then holds only the nodes it may draw (at most
/// `CommitteeScan`, each examined in full), so the draws fill every slot and cost their worst.
fn committee_only<T: Config + pallet_llmnet_staking::Config>(
	id: QueryId,
	nodes: &[T::AccountId],
	domain: DomainId,
) {
	let coordinator = Queries::<T>::get(id).unwrap().selected_by;
	for who in nodes.iter().chain(coordinator.iter()) {
		pallet_llmnet_staking::bench_helpers::unlist::<T>(who, domain);
	}
}

/// `count` more nodes of `domain` (accounts `node` 1000 and up, with delegation pools), for
/// the extra judges drawn when judging opens.
fn judge_pool<T: Config + pallet_llmnet_staking::Config>(
	domain: DomainId,
	count: u32,
) -> Vec<T::AccountId>
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	let pool: Vec<T::AccountId> = (0..count).map(|e| node::<T>(1_000 + e, domain)).collect();
	pooled::<T>(&pool);
	pool
}

/// Fill `domain`'s [`Leaders`] with `MaxLeaders` entries scored above any node (accounts
/// `leader` 0 and up): every update of a provider's place then reads and writes the whole
/// index.
fn full_leaders<T: Config>(domain: DomainId) {
	let all: Vec<(T::AccountId, u128)> = (0..T::MaxLeaders::get())
		.map(|i| (account("leader", i, 0), u128::MAX - u128::from(i)))
		.collect();
	Leaders::<T>::insert(domain, BoundedVec::truncate_from(all));
}

/// Make the nodes of `domain` outside query `id`'s selection sample (at most `MaxLeaders`)
/// its [`Leaders`]: with `SelectionScan + MaxLeaders` nodes in the domain, the selection pool
/// then holds every one of them (the pool's worst case).
fn leaders_outside_sample<T: Config + pallet_llmnet_staking::Config>(
	domain: DomainId,
	id: QueryId,
) {
	let seed = Pallet::<T>::pool_seed(Pallet::<T>::draw_seed(), id);
	let sample = T::Registry::sample_domain(domain, T::SelectionScan::get(), seed);
	let outside: Vec<(T::AccountId, u128)> =
		pallet_llmnet_staking::DomainNodes::<T>::iter_key_prefix(domain)
			.filter(|n| !sample.contains(n))
			.take(T::MaxLeaders::get() as usize)
			.map(|n| (n, 1))
			.collect();
	Leaders::<T>::insert(domain, BoundedVec::truncate_from(outside));
}

/// Fill the schedule slots of the `slots` blocks from `at` (the worst case of a later
/// `schedule(_, at)`: it probes each of them before it finds room).
fn fill_schedule<T: Config>(at: BlockNumberFor<T>, slots: u32) {
	for j in 0..slots {
		let full: Vec<QueryId> =
			(0..T::MaxDuePerBlock::get()).map(|x| u64::MAX - u64::from(j * 1_000 + x)).collect();
		Schedule::<T>::insert(at + j.into(), BoundedVec::truncate_from(full));
	}
}

/// Maximal answers that stay distinct candidates (`llmnet_primitives::canonical_answer` folds case and
/// whitespace, so the tag is a lowercase letter).
fn answer<T: Config>(i: u32) -> AnswerOf<T> {
	bytes(T::MaxAnswerLen::get(), u32::from(b'a') + i).try_into().unwrap()
}

/// Commit and reveal distinct maximal answers for all `nodes`; the query is then past
/// revealing (the caller runs the transition).
fn answered<T: Config>(id: QueryId, nodes: &[T::AccountId]) {
	for (i, who) in nodes.iter().enumerate() {
		let c = Pallet::<T>::commitment_of(id, who, &answer::<T>(i as u32), &salt(i as u32));
		Pallet::<T>::do_commit(who, id, c).unwrap();
	}
	advance_now::<T>(id);
	for (i, who) in nodes.iter().enumerate() {
		Pallet::<T>::do_reveal(who, id, answer::<T>(i as u32), salt(i as u32)).unwrap();
	}
}

/// Jump to the query's deadline and run its transition.
fn advance_now<T: Config>(id: QueryId) {
	let q = Queries::<T>::get(id).unwrap();
	set_block::<T>(q.deadline.max(now::<T>()));
	Pallet::<T>::do_advance(id).unwrap();
}

/// Every pair `(a, b)` with `a < b < k` that does not involve `own`, the first `limit`.
fn pairs<T: Config>(k: u8, own: Option<u8>, limit: u32) -> Vec<ComparisonOf<T>> {
	let mut out = Vec::new();
	for a in 0..k {
		for b in (a + 1)..k {
			if Some(a) == own || Some(b) == own || out.len() as u32 >= limit {
				continue;
			}
			// A total order: the lower index always wins (slow to converge: scores spread).
			out.push(Comparison {
				a,
				b,
				outcome: PairOutcome::A,
				justification: bytes(T::MaxJustificationLen::get(), 0).try_into().unwrap(),
			});
		}
	}
	out
}

/// Every respondent judges every pair it may, and the drawn extra judges (`MaxExtraJudges`
/// of them: see [`judge_pool`]) judge every pair.
fn judged<T: Config + pallet_llmnet_staking::Config>(id: QueryId, nodes: &[T::AccountId])
where
	pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>,
{
	let n = nodes.len() as u8;
	let mut sealed: Vec<(T::AccountId, Vec<ComparisonOf<T>>)> = Vec::new();
	for (i, who) in nodes.iter().enumerate() {
		sealed.push((who.clone(), pairs::<T>(n, Some(i as u8), T::MaxComparisons::get())));
	}
	let drawn = ExtraJudges::<T>::get(id);
	assert_eq!(drawn.len() as u32, T::MaxExtraJudges::get(), "every extra judge drawn");
	for who in drawn {
		sealed.push((who, pairs::<T>(n, None, T::MaxComparisons::get())));
	}
	for (who, c) in sealed.iter() {
		let commitment = Pallet::<T>::judgement_commitment_of(id, who, c, &[], &salt(7));
		Pallet::<T>::do_commit_judgement(who, id, commitment).unwrap();
	}
	advance_now::<T>(id);
	assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::RevealingJudgements);
	for (who, c) in sealed {
		Pallet::<T>::do_judge(&who, id, c.try_into().unwrap(), Default::default(), salt(7))
			.unwrap();
	}
}

#[benchmarks(where T: pallet_llmnet_staking::Config, pallet_llmnet_staking::Pallet<T>: BenchmarkHelper<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_query() {
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		let coord = node::<T>(0, domain);
		// Worst case of the terms check: a full selection sample and a full index of
		// leaders outside it, eligible providers each with announced terms.
		for i in 1..T::SelectionScan::get() + T::MaxLeaders::get() {
			let n = node::<T>(i, domain);
			Pallet::<T>::do_set_terms(&n, domain, Pallet::<T>::default_terms()).unwrap();
		}
		leaders_outside_sample::<T>(domain, NextQueryId::<T>::get());
		let requester = funded::<T>("requester", 0);
		let prompt: BoundedVec<u8, T::MaxPromptLen> =
			bytes(T::MaxPromptLen::get(), 0).try_into().unwrap();
		// No coordinator named: one is drawn from a second full scan (every node is a
		// coordinator whose `min_phase` the selection phase meets).
		let p = params::<T>(Mode::Debate { rounds: 1 }, 2, None);
		let budget = T::MinBudget::get() * 1_000u32.into();

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), domain, prompt, p, budget);

		let drawn = Queries::<T>::get(0).unwrap().params.coordinator.unwrap();
		assert_eq!(Work::<T>::get(&drawn, 0), Some(Assignment::Coordinator));
		let _ = coord;
	}

	#[benchmark]
	fn cancel() {
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		let coord = node::<T>(0, domain);
		node::<T>(1, domain);
		let (id, requester) = query::<T>(domain, |c| params::<T>(Mode::Swarm, 2, Some(c)), coord);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), id);

		assert!(Queries::<T>::get(id).is_none());
	}

	#[benchmark]
	fn select(n: Linear<2, { T::MaxRespondents::get() }>) {
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		let nodes: Vec<T::AccountId> = (0..n).map(|i| node::<T>(i, domain)).collect();
		let coord = node::<T>(COORDINATOR, domain);
		let (id, _) = query::<T>(domain, |c| params::<T>(Mode::Swarm, n, Some(c)), coord.clone());
		let chosen: BoundedVec<T::AccountId, T::MaxRespondents> = nodes.clone().try_into().unwrap();
		let rationale = bytes(T::MaxRationaleLen::get(), 0).try_into().unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(coord), id, chosen, rationale);

		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Committing);
	}

	#[benchmark]
	fn commit() {
		let (id, _, nodes, _) = selected::<T>(Mode::Swarm, 2);
		let c0 = Pallet::<T>::commitment_of(id, &nodes[0], b"a", &salt(0));
		Pallet::<T>::do_commit(&nodes[0], id, c0).unwrap();
		let c1 = Pallet::<T>::commitment_of(id, &nodes[1], b"b", &salt(1));

		// The last commitment: the phase's deadline moves up too.
		#[extrinsic_call]
		_(RawOrigin::Signed(nodes[1].clone()), id, c1);

		let q = Queries::<T>::get(id).unwrap();
		assert_eq!(q.progress, q.expected);
	}

	#[benchmark]
	fn reveal() {
		let (id, _, nodes, _) = selected::<T>(Mode::Swarm, 2);
		for (i, who) in nodes.iter().enumerate() {
			let c = Pallet::<T>::commitment_of(id, who, &answer::<T>(i as u32), &salt(i as u32));
			Pallet::<T>::do_commit(who, id, c).unwrap();
		}
		advance_now::<T>(id);
		Pallet::<T>::do_reveal(&nodes[0], id, answer::<T>(0), salt(0)).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(nodes[1].clone()), id, answer::<T>(1), salt(1));

		let q = Queries::<T>::get(id).unwrap();
		assert_eq!(q.progress, q.expected);
	}

	// Proof size as measured: the MaxEncodedLen estimate undershot it (AUDIT M4).
	#[benchmark(pov_mode = Measured)]
	fn debate() {
		let n = T::MaxRespondents::get();
		let (id, _, nodes, _) = selected::<T>(Mode::Debate { rounds: 1 }, n);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		for who in nodes.iter().skip(1) {
			Pallet::<T>::do_debate(who, id, 0, answer::<T>(99), None, false).unwrap();
		}

		// The last message of a full round, with a revision.
		#[extrinsic_call]
		_(RawOrigin::Signed(nodes[0].clone()), id, 0, answer::<T>(98), Some(answer::<T>(97)), true);

		assert_eq!(Debates::<T>::decode_len(id, 0), Some(n as usize));
	}

	// Proof size as measured: the MaxEncodedLen estimate undershot it (AUDIT M4).
	#[benchmark(pov_mode = Measured)]
	fn judge(
		c: Linear<0, { T::MaxComparisons::get() }>,
		f: Linear<0, { T::MaxRespondents::get() }>,
	) {
		let n = T::MaxRespondents::get();
		let (id, _, nodes, domain) = selected::<T>(Mode::Swarm, n);
		// The only other node of the domain: the one extra judge drawn (every pair is open
		// to it).
		let extra = judge_pool::<T>(domain, 1).remove(0);
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		assert_eq!(ExtraJudges::<T>::get(id).to_vec(), alloc::vec![extra.clone()]);
		let comparisons: BoundedVec<ComparisonOf<T>, T::MaxComparisons> =
			pairs::<T>(n as u8, None, c).try_into().unwrap();
		assert_eq!(comparisons.len() as u32, c.min(n * (n - 1) / 2));
		let feedback: BoundedVec<PeerFeedbackOf<T>, T::MaxRespondents> = nodes
			.iter()
			.take(f as usize)
			.map(|to| PeerFeedback {
				to: to.clone(),
				text: bytes(T::MaxFeedbackLen::get(), 0).try_into().unwrap(),
			})
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();

		let commitment =
			Pallet::<T>::judgement_commitment_of(id, &extra, &comparisons, &feedback, &salt(3));
		Pallet::<T>::do_commit_judgement(&extra, id, commitment).unwrap();
		advance_now::<T>(id);
		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::RevealingJudgements);

		// The only commitment: its reveal is the last expected action (the query joins `Ready`).
		#[extrinsic_call]
		_(RawOrigin::Signed(extra.clone()), id, comparisons, feedback, salt(3));

		assert!(Judgements::<T>::contains_key(id, &extra));
		assert!(Ready::<T>::get().iter().any(|(q, _)| *q == id));
	}

	/// A drawn extra judge's commitment (it checks the drawn committee) that is the last
	/// expected one of the phase (the query joins `Ready`).
	// Proof size as measured: the MaxEncodedLen estimate (the largest item's, not the sum)
	// undershot it by 6 %.
	#[benchmark(pov_mode = Measured)]
	fn commit_judgement() {
		let n = T::MaxRespondents::get();
		let (id, _, nodes, domain) = selected::<T>(Mode::Swarm, n);
		judge_pool::<T>(domain, T::MaxExtraJudges::get());
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		for who in nodes.iter() {
			Pallet::<T>::do_commit_judgement(who, id, H256::repeat_byte(1)).unwrap();
		}
		let mut drawn = ExtraJudges::<T>::get(id).to_vec();
		assert_eq!(drawn.len() as u32, T::MaxExtraJudges::get());
		let extra = drawn.pop().unwrap();
		for who in drawn.iter() {
			Pallet::<T>::do_commit_judgement(who, id, H256::repeat_byte(1)).unwrap();
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(extra.clone()), id, H256::repeat_byte(2));

		assert!(JudgementCommitments::<T>::contains_key(id, &extra));
		assert!(Ready::<T>::get().iter().any(|(q, _)| *q == id));
	}

	/// Judging -> RevealingJudgements: `n` respondents with candidates did not commit (each an
	/// observation of 0), one extra judge did.
	#[benchmark]
	fn advance_judged(n: Linear<3, { T::MaxRespondents::get() }>) {
		let (id, _, nodes, domain) = selected::<T>(Mode::Swarm, n);
		let extra = judge_pool::<T>(domain, 1).remove(0);
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		Pallet::<T>::do_commit_judgement(&extra, id, H256::repeat_byte(1)).unwrap();
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		rated::<T>(&nodes);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::RevealingJudgements);
	}

	#[benchmark]
	fn validate() {
		let (id, validators) = validating::<T>();
		let v = T::MaxValidators::get();
		let note: BoundedVec<u8, T::MaxRationaleLen> =
			bytes(T::MaxRationaleLen::get(), 0).try_into().unwrap();
		let score = |i: usize| Percent::from_percent(80 + i as u8 % 20);
		for (i, who) in validators.iter().enumerate() {
			let c = Pallet::<T>::validation_commitment_of(id, who, score(i), &note, &salt(9));
			Pallet::<T>::do_commit_validation(who, id, c).unwrap();
		}
		advance_now::<T>(id);
		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::RevealingValidations);
		for (i, who) in validators.iter().enumerate().take(v as usize - 1) {
			Pallet::<T>::do_validate(who, id, score(i), note.clone(), salt(9)).unwrap();
		}
		let last = validators[v as usize - 1].clone();

		// The last reveal (with the longest note): the query joins `Ready`.
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, score(v as usize - 1), note.clone(), salt(9));

		assert_eq!(Validations::<T>::decode_len(id), Some(v as usize));
		assert!(Ready::<T>::get().iter().any(|(q, _)| *q == id));
	}

	/// The last drawn validator's commitment (the query joins `Ready`).
	#[benchmark]
	fn commit_validation() {
		let (id, validators) = validating::<T>();
		let v = T::MaxValidators::get();
		for who in validators.iter().take(v as usize - 1) {
			Pallet::<T>::do_commit_validation(who, id, H256::repeat_byte(1)).unwrap();
		}
		let last = validators[v as usize - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), id, H256::repeat_byte(2));

		assert!(ValidationCommitments::<T>::contains_key(id, &last));
		assert!(Ready::<T>::get().iter().any(|(q, _)| *q == id));
	}

	/// Automatic selection over `n` nodes of the domain (all eligible, all low-sample) of
	/// `MaxRespondents` respondents: the respondents' writes are at their maximum at every
	/// point, so the fit in `n` is the scan's (a respondent count growing with `n` up to its
	/// bound made the linear fit undershoot the largest scans; found by the weights check).
	/// Past `SelectionScan`, the nodes outside the sample are the domain's leaders, so the
	/// pool holds all `n`; the leaders are refreshed after the pick.
	#[benchmark]
	fn advance_select(
		n: Linear<
			{ T::MaxRespondents::get() + 1 },
			{ T::SelectionScan::get() + T::MaxLeaders::get() },
		>,
	) {
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		let nodes: Vec<T::AccountId> = (0..n).map(|i| node::<T>(i, domain)).collect();
		let wanted = T::MaxRespondents::get();
		let (id, _) =
			query::<T>(domain, |_| params::<T>(Mode::Swarm, wanted, None), nodes[0].clone());
		leaders_outside_sample::<T>(domain, id);
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Committing);
	}

	/// Revealing -> Judging with `n` distinct maximal answers: `MaxExtraJudges` extra judges
	/// are drawn from a full `CommitteeScan` sample of eligible nodes and their work opened.
	/// The respondents and the coordinator leave the domain's node list once selected, so the
	/// sample holds only candidates for the committee (each examined in full: the worst case).
	#[benchmark]
	fn advance_open_judging(n: Linear<2, { T::MaxRespondents::get() }>) {
		let (id, _, nodes, domain) = selected::<T>(Mode::Swarm, n);
		judge_pool::<T>(domain, T::CommitteeScan::get());
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Judging);
		assert_eq!(Candidates::<T>::decode_len(id), Some(n as usize));
		assert_eq!(ExtraJudges::<T>::decode_len(id), Some(T::MaxExtraJudges::get() as usize));
	}

	/// Judging -> Settled: `MaxRespondents` candidates, every respondent and
	/// `MaxExtraJudges` extra judges judged every pair they may, Bradley-Terry runs (its
	/// worst case is the `bradley_terry` benchmark), everyone is paid and rated.
	///
	/// Every payee (respondents, coordinator, extra judges) has a delegation pool with
	/// vesting rewards, so every payment takes `reward`'s pool branch (AUDIT M4).
	// Proof size as measured: the MaxEncodedLen estimate undershot it (AUDIT M4).
	#[benchmark(pov_mode = Measured)]
	fn advance_settle() {
		let n = T::MaxRespondents::get();
		let (id, requester, nodes, domain) = selected_v::<T>(Mode::Swarm, n, 0, true);
		judge_pool::<T>(domain, T::MaxExtraJudges::get());
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		judged::<T>(id, &nodes);
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		rated::<T>(&nodes);
		rated::<T>(&ExtraJudges::<T>::get(id));
		full_leaders::<T>(domain);
		let caller = funded::<T>("caller", 0);
		let before = <T as Config>::Currency::balance(&requester);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		let q = Queries::<T>::get(id).unwrap();
		assert_eq!(q.phase, Phase::Settled);
		let c = q.consensus.unwrap();
		assert_eq!(c.candidate, 0);
		// The fit's own worst case, `MaxBtIterations` Newton steps, is `bradley_terry`'s
		// benchmark, added to this one in `transition_weight`.
		assert!(c.iterations >= 1, "Bradley-Terry ran");
		assert!(<T as Config>::Currency::balance(&requester) > before);
	}

	/// Validating -> Settled: `MaxRespondents` candidates judged by everyone, `MaxValidators`
	/// validators scored, every payee (respondents, coordinator, extra judges, validators)
	/// with a delegation pool (AUDIT M4: the validators' payments and the pool branch).
	// Proof size as measured, like `advance_settle`'s (whose estimate undershot, AUDIT M4).
	#[benchmark(pov_mode = Measured)]
	fn advance_validated() {
		let n = T::MaxRespondents::get();
		let v = T::MaxValidators::get();
		let (id, requester, nodes, domain) = selected_v::<T>(Mode::Swarm, n, v, true);
		let validators: Vec<T::AccountId> = (1..=v).map(|i| node::<T>(2_000 + i, domain)).collect();
		pooled::<T>(&validators);
		judge_pool::<T>(domain, T::MaxExtraJudges::get());
		committee_only::<T>(id, &nodes, domain);
		answered::<T>(id, &nodes);
		advance_now::<T>(id);
		let extra = ExtraJudges::<T>::get(id);
		judged::<T>(id, &nodes);
		advance_now::<T>(id);
		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Validating);
		let drawn = DrawnValidators::<T>::get(id);
		assert_eq!(drawn.len() as u32, v);
		let note: BoundedVec<u8, T::MaxRationaleLen> =
			bytes(T::MaxRationaleLen::get(), 0).try_into().unwrap();
		let score = Percent::from_percent(90);
		for who in drawn.iter() {
			let c = Pallet::<T>::validation_commitment_of(id, who, score, &note, &salt(9));
			Pallet::<T>::do_commit_validation(who, id, c).unwrap();
		}
		advance_now::<T>(id);
		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::RevealingValidations);
		for who in drawn.iter() {
			Pallet::<T>::do_validate(who, id, score, note.clone(), salt(9)).unwrap();
		}
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		rated::<T>(&nodes);
		rated::<T>(&extra);
		full_leaders::<T>(domain);
		let caller = funded::<T>("caller", 0);
		let before = <T as Config>::Currency::balance(&requester);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		let q = Queries::<T>::get(id).unwrap();
		assert_eq!(q.phase, Phase::Settled);
		assert!(<T as Config>::Currency::balance(&requester) > before);
	}

	/// Committing -> Expired: none of `n` respondents committed; each is slashed (its pool
	/// too) and rated 0 (AUDIT M4: the missed-deadline transitions).
	#[benchmark]
	fn advance_missed(n: Linear<2, { T::MaxRespondents::get() }>) {
		let (id, _, nodes, domain) = selected_v::<T>(Mode::Swarm, n, 0, true);
		set_block::<T>(Queries::<T>::get(id).unwrap().deadline);
		rated::<T>(&nodes);
		full_leaders::<T>(domain);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);

		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Expired);
		assert_eq!(nodes.len() as u32, n);
	}

	/// `schedule(id, at)` when the `s - 1` slots from `at` are full: `s` probes (AUDIT M3; at
	/// most `SCHEDULE_REACH`).
	#[benchmark]
	fn schedule(s: Linear<1, { llmnet_primitives::schedule::SCHEDULE_REACH }>) {
		let at = now::<T>() + 10u32.into();
		fill_schedule::<T>(at, s - 1);
		let placed;

		#[block]
		{
			placed = Pallet::<T>::schedule(0, at);
		}

		assert_eq!(placed.unwrap(), at + (s - 1).into());
	}

	#[benchmark]
	fn set_terms() {
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		let who = node::<T>(0, domain);
		// Worst case: terms announced earlier and now in force are promoted first.
		Pallet::<T>::do_set_terms(&who, domain, Pallet::<T>::default_terms()).unwrap();
		full_leaders::<T>(domain);
		set_block::<T>(now::<T>() + T::TermsDelay::get());
		let terms = ProviderTerms { answer: T::MinBudget::get(), ..Pallet::<T>::default_terms() };

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), domain, terms);

		assert!(Terms::<T>::get(&who, domain).is_some());
		assert_eq!(PendingTerms::<T>::get(&who, domain).map(|p| p.0), Some(terms));
	}

	#[benchmark]
	fn reap() {
		// Two providers whose terms rise above the query's pay before selection: automatic
		// selection finds nobody and the query expires.
		let domain = <pallet_llmnet_staking::Pallet<T> as BenchmarkHelper<_>>::domain();
		for i in 0..2 {
			let n = node::<T>(i, domain);
			let dear = ProviderTerms {
				answer: T::MinBudget::get() * 2u32.into(),
				..Pallet::<T>::default_terms()
			};
			PendingTerms::<T>::insert(&n, domain, (dear, now::<T>() + 1u32.into()));
		}
		let requester = funded::<T>("requester", 0);
		let prompt = bytes(T::MaxPromptLen::get(), 0).try_into().unwrap();
		let id = Pallet::<T>::do_create_query(
			requester.clone(),
			domain,
			prompt,
			params::<T>(Mode::Swarm, 2, None),
			T::MinBudget::get(),
		)
		.unwrap();
		advance_now::<T>(id);
		assert_eq!(Queries::<T>::get(id).unwrap().phase, Phase::Expired);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), id);

		assert!(Queries::<T>::get(id).is_none());
	}

	/// The Bradley-Terry fit alone, `s` Newton steps (tolerance zero, so none stops early) over
	/// `MaxRespondents` candidates with every pair judged by `MaxRespondents + MaxExtraJudges`
	/// judges of unequal weights, with mixed verdicts and ties.
	#[benchmark]
	fn bradley_terry(s: Linear<1, { T::MaxBtIterations::get() }>) {
		let k = T::MaxRespondents::get() as usize;
		let judges = k + T::MaxExtraJudges::get() as usize;
		let mut tally = consensus::Tally::new(k);
		for j in 0..judges {
			let w = FixedU128::from_rational(1 + (j % 5) as u128, 5);
			for a in 0..k {
				for b in (a + 1)..k {
					let outcome = match (a + 2 * b + j) % 7 {
						0 => PairOutcome::Tie,
						1 | 2 => PairOutcome::B,
						_ => PairOutcome::A,
					};
					tally.add(w, a, b, outcome);
				}
			}
		}
		let params = consensus::BtParams {
			max_iterations: s,
			tolerance: FixedU128::zero(),
			prior: T::BtPrior::get(),
		};
		let fit;

		#[block]
		{
			fit = consensus::bradley_terry(&tally, &params);
		}

		assert_eq!(fit.iterations, s);
		assert!(!fit.converged, "every step ran");
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
