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
