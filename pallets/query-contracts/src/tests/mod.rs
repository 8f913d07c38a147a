//! Unit tests of `pallet_llmnet_query_contracts`. Every pallet test runs through
//! `ExtBuilder::build_and_execute`, which checks the `try_state` of the three LLM-Net pallets.
#![allow(clippy::arithmetic_side_effects)]

mod answering;
mod attacks;
mod consensus;
mod creation;
mod judging;
mod market;
mod market_mc;
mod migrations;
mod schedule;
mod series;
mod settlement;
mod worker;

use crate::{mock::*, pallet::*, types::*, Event};
use frame::{
	arithmetic::{Perbill, Percent},
	testing_prelude::*,
	traits::fungible::{Inspect, InspectHold},
};

pub fn bounded<S: Get<u32>>(b: &[u8]) -> BoundedVec<u8, S> {
	b.to_vec().try_into().unwrap()
}

/// Record an `Answer` observation `x` of `who` in `math` directly in the reputation pallet
/// (outside any query: no pair cap, no candidate index update).
pub fn observe_answer(who: AccountId, x: Perbill) {
	<Reputation as pallet_llmnet_reputation::Reputation<_, _>>::record_outcome(
		&who,
		MATH,
		pallet_llmnet_reputation::ReputationKind::Answer,
		x,
	);
}

/// Create a query as `REQUESTER`; its id.
pub fn create(params: QueryParams<AccountId, u64>, budget: Balance) -> QueryId {
	let id = NextQueryId::<Test>::get();
	assert_ok!(QueryContracts::create_query(
		RuntimeOrigin::signed(REQUESTER),
		MATH,
		bounded(b"What is 6 x 7?"),
		params,
		budget
	));
	id
}

/// `COORD` selects `who`.
pub fn select(id: QueryId, who: &[AccountId]) {
	assert_ok!(QueryContracts::select(
		RuntimeOrigin::signed(COORD),
		id,
		who.to_vec().try_into().unwrap(),
		bounded(b"best two")
	));
}

pub fn salt(who: AccountId) -> [u8; 32] {
	[who as u8; 32]
}

pub fn commit(id: QueryId, who: AccountId, answer: &[u8]) {
	let c = QueryContracts::commitment_of(id, &who, answer, &salt(who));
	assert_ok!(QueryContracts::commit(RuntimeOrigin::signed(who), id, c));
}

pub fn reveal(id: QueryId, who: AccountId, answer: &[u8]) {
	assert_ok!(QueryContracts::reveal(RuntimeOrigin::signed(who), id, bounded(answer), salt(who)));
}

/// Commit and reveal `answers` (respondent, answer) and run to the judging phase.
pub fn answer_all(id: QueryId, answers: &[(AccountId, &[u8])]) {
	for (who, a) in answers {
		commit(id, *who, a);
	}
	next_block();
	assert_eq!(phase(id), Phase::Revealing);
	for (who, a) in answers {
		reveal(id, *who, a);
	}
	next_block();
}

pub fn next_block() {
	run_to_block(System::block_number() + 1);
}

pub fn phase(id: QueryId) -> Phase {
	Queries::<Test>::get(id).unwrap().phase
}

pub fn query(id: QueryId) -> QueryInfoOf<Test> {
	Queries::<Test>::get(id).unwrap()
}

pub fn cmp(a: u8, b: u8, outcome: PairOutcome) -> ComparisonOf<Test> {
	Comparison { a, b, outcome, justification: bounded(b"because") }
}

/// `who` commits to `comparisons` (no feedback); revealed when the query reaches
/// `RevealingJudgements` (see [`crate::mock::reveal_sealed`]).
pub fn judge(id: QueryId, who: AccountId, comparisons: Vec<ComparisonOf<Test>>) {
	judge_with(id, who, comparisons, Vec::new());
}

/// `who` commits to `comparisons` and `feedback`; revealed like [`judge`]'s.
pub fn judge_with(
	id: QueryId,
	who: AccountId,
	comparisons: Vec<ComparisonOf<Test>>,
	feedback: Vec<PeerFeedbackOf<Test>>,
) {
	let c = QueryContracts::judgement_commitment_of(id, &who, &comparisons, &feedback, &salt(who));
	assert_ok!(QueryContracts::commit_judgement(RuntimeOrigin::signed(who), id, c));
	SEALED.with(|s| s.borrow_mut().push((id, who, comparisons, feedback)));
}

/// Drawn validator `who` commits to `score` (note `ok`); revealed when the query reaches
/// `RevealingValidations` (see [`crate::mock::reveal_sealed`]).
pub fn score(id: QueryId, who: AccountId, score: Percent) {
	let c = QueryContracts::validation_commitment_of(id, &who, score, b"ok", &salt(who));
	assert_ok!(QueryContracts::commit_validation(RuntimeOrigin::signed(who), id, c));
	SEALED_SCORES.with(|s| s.borrow_mut().push((id, who, score)));
}

/// Run blocks until the query has left judging (both halves).
pub fn past_judging(id: QueryId) {
	while matches!(phase(id), Phase::Judging | Phase::RevealingJudgements) {
		next_block();
	}
}

pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn escrow(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

pub fn deposit_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Deposit.into(), &who)
}

pub fn paid_events(id: QueryId) -> Vec<(AccountId, PayRole, Balance)> {
	query_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::Paid { query, who, role, amount } if query == id => Some((who, role, amount)),
			_ => None,
		})
		.collect()
}

pub fn percent(p: u8) -> Percent {
	Percent::from_percent(p)
}
