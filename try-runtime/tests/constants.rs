//! Relations between the runtime's constants that no single pallet's `integrity_test` can see,
//! because they span pallets.

use llmnet_runtime::BlockNumber;
use llmnet_runtime::Runtime;
use pallet_llmnet_query_contracts as qc;
use pallet_llmnet_staking as staking;
use pallet_llmnet_validation as validation;
use polkadot_sdk::frame_support::traits::Get;

/// AUDIT M1: every slashable window ends within the unbonding period, so stake that backed
/// work when it was accepted (bonded, or unbonding: chunks are slashable) is still held when
/// the work is judged, for delegators too (a node's own chunks also wait for its assignments
/// to close). The longest query has five phases and two per debate round, each at most
/// `MaxPhaseLength`; a task's challenge phase, where the challenge slash lands, is one window.
#[test]
fn unbonding_outlasts_every_slashable_window() {
	let unbonding: BlockNumber = <Runtime as staking::Config>::UnbondingPeriod::get();
	let phase: BlockNumber = <Runtime as qc::Config>::MaxPhaseLength::get();
	let rounds: u32 = <Runtime as qc::Config>::MaxDebateRounds::get();
	let phases: BlockNumber = 5 + 2 * rounds;
	let longest_query = phase * phases;
	assert!(
		longest_query <= unbonding,
		"{phases} phases of {phase} blocks = {longest_query} > unbonding {unbonding}"
	);
	let window: BlockNumber = <Runtime as validation::Config>::MaxWindow::get();
	assert!(window <= unbonding, "a challenge phase of {window} > unbonding {unbonding}");
	// Votes are counted in the challenge phase's last third, which must also fit (AUDIT H1).
	let min_response: BlockNumber = <Runtime as validation::Config>::MinResponseWindow::get();
	assert!(3 * min_response <= window);
}

/// Both schedules' hooks run in the same `on_initialize`: `MaxDuePerBlock` of each pallet's
/// heaviest transition (compound transitions summed, schedule probes counted, AUDIT M3/M4)
/// fit in half a block, so a block never exceeds its limits (the hooks are `Mandatory`) and
/// extrinsics keep at least half of it even when every slot is due at its worst. (The
/// transitions of phases completed within a block, run in `on_finalize`, are registered by the
/// calls that complete them only while the block has room for them: issue 18.)
/// `transition_weight` bounds the validators' draw by the extra judges' (same committee
/// function and window; `advance_open_judging` draws `MaxExtraJudges`).
#[test]
fn a_validator_committee_is_no_larger_than_an_extra_judge_committee() {
	use polkadot_sdk::frame_support::traits::Get;
	let validators: u32 = <Runtime as qc::Config>::MaxValidators::get();
	let judges: u32 = <Runtime as qc::Config>::MaxExtraJudges::get();
	assert!(validators <= judges, "MaxValidators {validators} > MaxExtraJudges {judges}");
}

#[test]
fn the_hooks_worst_case_fits_in_half_a_block() {
	use polkadot_sdk::{frame_support::weights::Weight, frame_system};
	let due = |n: u32| u64::from(n);
	let queries = qc::Pallet::<Runtime>::transition_weight()
		.saturating_mul(due(<Runtime as qc::Config>::MaxDuePerBlock::get()));
	let tasks = validation::Pallet::<Runtime>::transition_weight()
		.saturating_mul(due(<Runtime as validation::Config>::MaxDuePerBlock::get()));
	let hooks: Weight = queries.saturating_add(tasks);
	let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let half = Weight::from_parts(block.ref_time() / 2, block.proof_size() / 2);
	// The figures docs/performance.md cites (`--nocapture`).
	println!(
		"one query transition {:?}; hooks' worst case {hooks:?} of half the block {half:?}",
		qc::Pallet::<Runtime>::transition_weight()
	);
	assert!(
		hooks.all_lte(half),
		"hooks' worst case {hooks:?} (queries {queries:?}, tasks {tasks:?}) > half the block \
		 {half:?}"
	);
}
