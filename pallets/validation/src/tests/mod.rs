//! Unit tests of `pallet_llmnet_validation`. Every pallet test runs through
//! `build_and_execute`, which checks the `try_state` of this pallet and of staking.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod attacks;
mod calibration;
mod errors;
mod evaluation;
mod math;
mod migrations;
mod scoring;
mod training;

use crate::{mock::*, pallet::*, types::*, Event};
use frame::{
	arithmetic::Perbill,
	hashing::H256,
	testing_prelude::*,
	traits::fungible::{Inspect, InspectHold},
};

pub fn bounded<S: Get<u32>>(b: &[u8]) -> BoundedVec<u8, S> {
	b.to_vec().try_into().unwrap()
}

pub const SET: &[u8] = b"ipfs://final-set#abc";
pub const SET_SALT: [u8; 32] = [7; 32];

/// Commit 1, reveal 1, reveal-set 2, challenge 6 blocks (thirds of 2: the vote third has a
/// commit block and a reveal block); `epochs` rounds of 2 blocks.
pub fn lengths(epochs: u16) -> TaskLengths<u64> {
	TaskLengths { epochs, commit: 1, reveal: 1, reveal_set: 2, challenge: 6 }
}

/// The salt of `who`'s sealed votes in the tests.
pub fn vote_salt(who: AccountId) -> [u8; 32] {
	[who as u8; 32]
}

/// `who` commits a sealed vote on the challenge of submission `index`.
pub fn commit_vote(
	id: TaskId,
	who: AccountId,
	index: SubmissionIndex,
	uphold: bool,
) -> DispatchResult {
	let c = Validation::vote_commitment_of(id, index, &who, uphold, &vote_salt(who));
	Validation::commit_vote(RuntimeOrigin::signed(who), id, index, c)
}

/// `who` reveals its sealed vote.
pub fn reveal_vote(
	id: TaskId,
	who: AccountId,
	index: SubmissionIndex,
	uphold: bool,
) -> DispatchResult {
	Validation::reveal_vote(RuntimeOrigin::signed(who), id, index, uphold, vote_salt(who))
}

/// The first block of the vote third's commit half, and of its reveal half.
pub fn vote_windows(id: TaskId) -> (u64, u64) {
	let t = task(id);
	(t.deadline - Validation::third(t.lengths.challenge), Validation::vote_reveal_from(&t))
}

/// `votes` (validator, submission, uphold) committed in the commit half of the vote third
/// and revealed in its reveal half; the block is left in the reveal half.
pub fn cast_votes(id: TaskId, votes: &[(AccountId, SubmissionIndex, bool)]) {
	let (commit_at, reveal_at) = vote_windows(id);
	run_to_block(commit_at);
	for &(who, index, uphold) in votes {
		assert_ok!(commit_vote(id, who, index, uphold));
	}
	run_to_block(reveal_at);
	for &(who, index, uphold) in votes {
		assert_ok!(reveal_vote(id, who, index, uphold));
	}
}

pub fn create(kind: TaskKind, pool: Balance, epochs: u16) -> TaskId {
	create_with(kind, pool, lengths(epochs))
}

pub fn create_with(kind: TaskKind, pool: Balance, lengths: TaskLengths<u64>) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(Validation::create_task(
		RuntimeOrigin::signed(CREATOR),
		MATH,
		kind,
		bounded(b"ipfs://spec"),
		H256::repeat_byte(1),
		Validation::eval_commitment_of(SET, &SET_SALT),
		pool,
		lengths
	));
	id
}

pub fn task(id: TaskId) -> TaskOf<Test> {
	Tasks::<Test>::get(id).unwrap()
}

pub fn submit(id: TaskId, who: AccountId) {
	assert_ok!(Validation::submit(
		RuntimeOrigin::signed(who),
		id,
		H256::repeat_byte(who as u8),
		bounded(b"ipfs://model")
	));
}

pub fn salt(who: AccountId) -> [u8; 32] {
	[who as u8; 32]
}

pub fn scores(s: &[u32]) -> ScoresOf<Test> {
	s.iter().map(|p| Perbill::from_percent(*p)).collect::<Vec<_>>().try_into().unwrap()
}

pub fn commit(id: TaskId, who: AccountId, s: &[u32]) {
	let round = Validation::current_round(&task(id)).unwrap();
	let c = Validation::commitment_of(id, round, &who, &scores(s), &salt(who));
	assert_ok!(Validation::commit_scores(RuntimeOrigin::signed(who), id, c));
}

pub fn reveal(id: TaskId, who: AccountId, s: &[u32]) {
	assert_ok!(Validation::reveal_scores(RuntimeOrigin::signed(who), id, scores(s), salt(who)));
}

/// Run to the reveal window of the current round.
pub fn to_reveal(id: TaskId) {
	run_to_block(Validation::reveal_from(&task(id)));
}

/// Run to the current deadline (the transition runs).
pub fn to_deadline(id: TaskId) {
	run_to_block(task(id).deadline);
}

/// One full round: everyone in `reports` commits and reveals, then the round closes.
pub fn round(id: TaskId, reports: &[(AccountId, &[u32])]) {
	for (who, s) in reports {
		commit(id, *who, s);
	}
	to_reveal(id);
	for (who, s) in reports {
		reveal(id, *who, s);
	}
	to_deadline(id);
}

pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn pool_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Pool.into(), &who)
}

pub fn paid(id: TaskId) -> Vec<(AccountId, PayRole, Balance)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::Paid { task, who, role, amount } if task == id => Some((who, role, amount)),
			_ => None,
		})
		.collect()
}

pub fn paid_to(id: TaskId, who: AccountId, role: PayRole) -> Balance {
	paid(id).iter().filter(|p| p.0 == who && p.1 == role).map(|p| p.2).sum()
}

/// The pool of the training tasks of these tests.
pub const POOL: Balance = 100_000;

/// The own bond of node `who`.
pub fn stake(who: AccountId) -> Balance {
	pallet_llmnet_staking::Nodes::<Test>::get(who).unwrap().bond
}

/// Nodes 1, 2, 3 submit; validators 10, 11, 12 score them 90/60/80 (roughly) in both epochs;
/// the final round is scored by 10 and 11; returns the task in the challenge phase.
pub fn through_final() -> TaskId {
	through_final_with(lengths(2).challenge)
}

/// [`through_final`] with a challenge phase of `challenge` blocks.
pub fn through_final_with(challenge: u64) -> TaskId {
	let id = create_with(TaskKind::Training, POOL, TaskLengths { challenge, ..lengths(2) });
	for n in [1, 2, 3] {
		submit(id, n);
	}
	let epoch: [(AccountId, &[u32]); 3] =
		[(10, &[90, 60, 80]), (11, &[88, 62, 80]), (12, &[92, 58, 79])];
	round(id, &epoch);
	assert_eq!(task(id).phase, TaskPhase::Submission { epoch: 1 });
	round(id, &epoch);
	assert_eq!(task(id).phase, TaskPhase::FinalValidation);
	assert_ok!(Validation::reveal_eval_set(
		RuntimeOrigin::signed(CREATOR),
		id,
		bounded(SET),
		SET_SALT
	));
	round(id, &[(10, &[85, 50, 82]), (11, &[86, 52, 80])]);
	assert_eq!(task(id).phase, TaskPhase::Challenge);
	id
}
