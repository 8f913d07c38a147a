//! Runtime API of the validation pallet, for front ends, validators' tooling and task
//! creators (`api.call.llmnetValidationApi.*` in polkadot.js, decorated from metadata).

use crate::{
	pallet::{BalanceOf, Challenges, Commits, Config, Reports, Rounds, Submissions, Tasks},
	types::*,
	Pallet,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame::{arithmetic::Perbill, hashing::H256, prelude::*};
use llmnet_primitives::DomainId;
use scale_info::TypeInfo;

/// A calibration round as front ends and providers' workers see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct CalibrationView<AccountId, Balance, BlockNumber> {
	/// Its id.
	pub id: CalibrationId,
	/// Its creator (`None`: governance).
	pub creator: Option<AccountId>,
	/// The creator's deposit.
	pub deposit: Balance,
	/// The domain it certifies.
	pub domain: DomainId,
	/// Where it stands now.
	pub phase: CalibrationPhase,
	/// The questions.
	pub questions: Vec<Vec<u8>>,
	/// Correct answers needed.
	pub threshold: u8,
	/// The commitment to the answer key.
	pub key_commitment: H256,
	/// End of the commit window (exclusive).
	pub commit_end: BlockNumber,
	/// End of the reveal window (exclusive).
	pub reveal_end: BlockNumber,
	/// End of the key window (exclusive).
	pub key_end: BlockNumber,
	/// The providers that committed, and whether each revealed.
	pub entries: Vec<(AccountId, bool)>,
}

/// A challenge as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ChallengeView<AccountId, Balance> {
	/// The challenged submission.
	pub index: SubmissionIndex,
	/// The challenger.
	pub challenger: AccountId,
	/// Its bond.
	pub bond: Balance,
	/// Its reason.
	pub reason: Vec<u8>,
	/// The node's proof (hash, URI) once answered.
	pub proof: Option<(H256, Vec<u8>)>,
	/// Stake voting to uphold / to reject.
	pub uphold: Balance,
	/// Stake voting to reject.
	pub reject: Balance,
	/// Voters so far.
	pub voters: u32,
	/// Stake that must vote to uphold it (`ChallengeQuorum` of the domain's validator stake
	/// when it was made).
	pub quorum: Balance,
}

/// A submission as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct SubmissionView<AccountId, Balance> {
	/// Its index.
	pub index: SubmissionIndex,
	/// The training node.
	pub node: AccountId,
	/// Artifact hash.
	pub artifact: H256,
	/// Artifact URI.
	pub uri: Vec<u8>,
	/// Latest epoch aggregate.
	pub score: Option<Perbill>,
	/// Final-round aggregate.
	pub final_score: Option<Perbill>,
	/// Paid so far.
	pub earned: Balance,
	/// Vested, paid when the challenge phase ends.
	pub vested: Balance,
}

/// A task with everything a front end shows.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct TaskView<AccountId, Balance, BlockNumber> {
	/// The task.
	pub id: TaskId,
	/// Creator.
	pub creator: AccountId,
	/// Domain.
	pub domain: DomainId,
	/// Kind.
	pub kind: TaskKind,
	/// Spec URI.
	pub spec_uri: Vec<u8>,
	/// Spec hash.
	pub spec_hash: H256,
	/// Final evaluation set, once revealed.
	pub eval_set: Option<Vec<u8>>,
	/// Pool, held part, final part, paid so far.
	pub pool: Balance,
	/// Still held.
	pub held: Balance,
	/// Reserved for the final validation.
	pub final_pool: Balance,
	/// Paid so far.
	pub paid: Balance,
	/// Phase lengths.
	pub lengths: TaskLengths<BlockNumber>,
	/// Phase.
	pub phase: TaskPhase,
	/// The current round (scoring phases only).
	pub round: Option<RoundIndex>,
	/// First block of the current round's commit window.
	pub round_start: BlockNumber,
	/// First block of its reveal window.
	pub reveal_from: BlockNumber,
	/// End of the current phase or round.
	pub deadline: BlockNumber,
	/// Commitments and reports in the current round.
	pub commits: u32,
	/// Reports revealed in the current round.
	pub reports: u32,
	/// Submissions.
	pub submissions: Vec<SubmissionView<AccountId, Balance>>,
	/// Closed rounds (consensus, raw mean and spread, payouts).
	pub rounds: Vec<RoundRecord<Balance>>,
	/// Open challenges.
	pub challenges: Vec<ChallengeView<AccountId, Balance>>,
}

impl<T: Config> Pallet<T> {
	/// The view of task `id`.
	pub fn task_view(
		id: TaskId,
	) -> Option<TaskView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let t = Tasks::<T>::get(id)?;
		let submissions = Submissions::<T>::get(id)
			.into_iter()
			.enumerate()
			.map(|(i, s)| SubmissionView {
				index: SubmissionIndex::try_from(i).unwrap_or(SubmissionIndex::MAX),
				node: s.node,
				artifact: s.artifact,
				uri: s.uri.into_inner(),
				score: s.score,
				final_score: s.final_score,
				earned: s.earned,
				vested: s.vested,
			})
			.collect();
		let challenges = Challenges::<T>::iter_prefix(id)
			.map(|(index, c)| ChallengeView {
				index,
				challenger: c.challenger,
				bond: c.bond,
				reason: c.reason.into_inner(),
				proof: c.proof.map(|(h, u)| (h, u.into_inner())),
				uphold: c.uphold,
				reject: c.reject,
				voters: c.voters.len() as u32,
				quorum: T::ChallengeQuorum::get().mul_ceil(c.electorate),
			})
			.collect();
		Some(TaskView {
			id,
			round: Self::current_round(&t),
			reveal_from: Self::reveal_from(&t),
			creator: t.creator,
			domain: t.domain,
			kind: t.kind,
			spec_uri: t.spec_uri.into_inner(),
			spec_hash: t.spec_hash,
			eval_set: t.eval_set.map(|s| s.into_inner()),
			pool: t.pool,
			held: t.held,
			final_pool: t.final_pool,
			paid: t.paid,
			lengths: t.lengths,
			phase: t.phase,
			round_start: t.round_start,
			deadline: t.deadline,
			commits: Commits::<T>::iter_prefix(id).count() as u32,
			reports: Reports::<T>::decode_len(id).unwrap_or(0) as u32,
			submissions,
			rounds: Rounds::<T>::get(id).into_inner(),
			challenges,
		})
	}

	/// A calibration round with its phase and entries.
	pub fn calibration_view(
		id: CalibrationId,
	) -> Option<CalibrationView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let c = crate::pallet::Calibrations::<T>::get(id)?;
		let now = frame_system::Pallet::<T>::block_number();
		Some(CalibrationView {
			id,
			phase: Self::calibration_phase(&c, now),
			creator: c.creator,
			deposit: c.deposit,
			domain: c.domain,
			questions: c.questions.into_iter().map(|q| q.into_inner()).collect(),
			threshold: c.threshold,
			key_commitment: c.key_commitment,
			commit_end: c.commit_end,
			reveal_end: c.reveal_end,
			key_end: c.key_end,
			entries: crate::pallet::CalibrationEntries::<T>::iter_prefix(id)
				.map(|(who, e)| (who, e.answers.is_some()))
				.collect(),
		})
	}

	/// Ids of up to `limit` (at most 100) open tasks from `from` upwards, in id order (read
	/// from the [`crate::pallet::OpenTasks`] index).
	pub fn open_tasks(from: TaskId, limit: u32) -> Vec<TaskId> {
		let mut ids: Vec<TaskId> =
			crate::pallet::OpenTasks::<T>::iter_keys().filter(|id| *id >= from).collect();
		ids.sort_unstable();
		ids.truncate(limit.min(100) as usize);
		ids
	}
}

frame::deps::sp_api::decl_runtime_apis! {
	/// Tasks, their phases, submissions, scores and payouts.
	pub trait LlmnetValidationApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// A task with its submissions, closed rounds and open challenges.
		fn task(id: TaskId) -> Option<TaskView<AccountId, Balance, BlockNumber>>;
		/// Ids of open tasks from `from` upwards (at most `limit`, at most 100).
		fn open_tasks(from: TaskId, limit: u32) -> Vec<TaskId>;
		/// What `who`'s worker has to do in evaluation tasks now (run and commit, or reveal).
		fn task_work(who: AccountId) -> Vec<(TaskId, RoundIndex, crate::ScoreAction)>;
		/// The commitment a validator submits for `scores` in `round`.
		fn score_commitment(task: TaskId, round: RoundIndex, who: AccountId, scores: Vec<Perbill>, salt: [u8; 32]) -> H256;
		/// The commitment a creator submits for its final evaluation set.
		fn eval_commitment(eval_set: Vec<u8>, salt: [u8; 32]) -> H256;
		/// A calibration round with its phase and entries.
		fn calibration(id: CalibrationId) -> Option<CalibrationView<AccountId, Balance, BlockNumber>>;
		/// The open calibration rounds, oldest first.
		fn open_calibrations() -> Vec<CalibrationId>;
		/// What `who`'s worker has to do in calibration rounds now.
		fn calibration_work(who: AccountId) -> Vec<(CalibrationId, crate::calibration::CalibrationAction)>;
		/// The commitment a provider submits for its calibration answers.
		fn calibration_commitment(id: CalibrationId, who: AccountId, answers: Vec<Vec<u8>>, salt: [u8; 32]) -> H256;
		/// The commitment a round's creator submits for its answer key.
		fn key_commitment(key: Vec<Vec<u8>>, salt: [u8; 32]) -> H256;
	}
}
