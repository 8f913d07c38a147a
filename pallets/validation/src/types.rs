//! Types of tasks, submissions, score reports, challenges and calibration rounds.

// The `*NoBound` derives repeat the generic bounds of these structs in their where clauses.
#![allow(clippy::multiple_bound_locations)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{arithmetic::Perbill, hashing::H256, prelude::*};
use llmnet_primitives::DomainId;
use scale_info::TypeInfo;

pub use llmnet_primitives::TaskId;
/// Index of a submission within a task.
pub type SubmissionIndex = u16;
/// A scoring round: epochs `0..epochs` of the submission phase, then `epochs` for the final
/// validation.
pub type RoundIndex = u16;

/// What a task asks for.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TaskKind {
	/// Training nodes submit models; validators score them each epoch (AIArena).
	Training,
	/// Validators report a benchmark score of the model in the spec; consensus is the
	/// stake-weighted median (decentralized evaluation).
	Evaluation,
}

/// Phase lengths of a task, in blocks.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct TaskLengths<BlockNumber> {
	/// Scoring rounds of the submission phase (epochs, AIArena's days).
	pub epochs: RoundIndex,
	/// Commit window of every round.
	pub commit: BlockNumber,
	/// Reveal window of every round (the round ends after it).
	pub reveal: BlockNumber,
	/// Final validation: window for the creator to reveal the evaluation set, before the
	/// final round's commit and reveal windows (Training only).
	pub reveal_set: BlockNumber,
	/// Challenge phase (Training only).
	pub challenge: BlockNumber,
}

/// Where a task is.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TaskPhase {
	/// Submission phase, scoring round `epoch`.
	Submission {
		/// The epoch (0-based).
		epoch: RoundIndex,
	},
	/// The creator reveals the hidden evaluation set; validators rescore.
	FinalValidation,
	/// Anyone may challenge a submission; nodes answer; validators vote.
	Challenge,
	/// Paid out; the record stays until reaped.
	Closed,
}

/// A task.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct TaskInfo<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
> {
	/// Who opened it (holds the pool and the deposit).
	pub creator: AccountId,
	/// The domain whose providers train and whose validators score.
	pub domain: DomainId,
	/// Training or evaluation.
	pub kind: TaskKind,
	/// Where the spec is (dataset, model, metric).
	pub spec_uri: BoundedVec<u8, MaxUriLen>,
	/// Hash of the spec document.
	pub spec_hash: H256,
	/// `blake2_256(SCALE((eval_set, salt)))` of the final evaluation set (Training).
	pub eval_commitment: H256,
	/// The final evaluation set once revealed (a URI and hash, as bytes).
	pub eval_set: Option<BoundedVec<u8, MaxUriLen>>,
	/// The reward pool at creation.
	pub pool: Balance,
	/// Part of the pool still held (not yet paid or refunded), vested rewards included.
	pub held: Balance,
	/// Part of the pool reserved for the final validation (Reward B, vested until closing).
	pub final_pool: Balance,
	/// The storage deposit (held until reaped).
	pub deposit: Balance,
	/// Phase lengths.
	pub lengths: TaskLengths<BlockNumber>,
	/// Current phase.
	pub phase: TaskPhase,
	/// First block of the current round's commit window.
	pub round_start: BlockNumber,
	/// When the current phase ends (its schedule entry).
	pub deadline: BlockNumber,
	/// Paid out so far (epochs, final round, vested releases, challenger awards).
	pub paid: Balance,
	/// Score commitments in the current round (at most `MaxReports`).
	pub commits: u32,
}

/// A training node's submission.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct Submission<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
> {
	/// The training node.
	pub node: AccountId,
	/// Hash of the artifact (model weights, adapter).
	pub artifact: H256,
	/// Where to fetch it.
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// The latest stake-weighted aggregate score (submission phase).
	pub score: Option<Perbill>,
	/// The final round's aggregate score.
	pub final_score: Option<Perbill>,
	/// Paid to it so far (epoch rewards).
	pub earned: Balance,
	/// Final reward, vested until the challenge phase ends.
	pub vested: Balance,
	/// The submission deposit held on the node until the task closes.
	pub deposit: Balance,
}

/// One validator's revealed scores of a round.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxScores))]
pub struct Report<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxScores: Get<u32>,
> {
	/// The validator.
	pub validator: AccountId,
	/// Its stake when it revealed.
	pub stake: Balance,
	/// Score of submission `i` at position `i` (Evaluation: one benchmark score).
	pub scores: BoundedVec<Perbill, MaxScores>,
}

/// What a round settled to (kept for every round of a task: the spread figures).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RoundRecord<Balance> {
	/// The round.
	pub round: RoundIndex,
	/// Reports revealed.
	pub reports: u32,
	/// Evaluation: the stake-weighted median; Training: the best aggregate score.
	pub consensus: Option<Perbill>,
	/// Unweighted mean of the raw reports (Evaluation) or of the best submission's scores.
	pub mean: Perbill,
	/// Population standard deviation of the same raw reports.
	pub spread: Perbill,
	/// Paid to training nodes (or vested, in the final round).
	pub to_nodes: Balance,
	/// Paid to validators.
	pub to_validators: Balance,
}

/// A challenge against a submission.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen, MaxReasonLen, MaxVoters))]
pub struct Challenge<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
	MaxReasonLen: Get<u32>,
	MaxVoters: Get<u32>,
> {
	/// Who challenged (bond held).
	pub challenger: AccountId,
	/// The bond.
	pub bond: Balance,
	/// Why (text).
	pub reason: BoundedVec<u8, MaxReasonLen>,
	/// The node's proof of legitimate training: hash and URI.
	pub proof: Option<(H256, BoundedVec<u8, MaxUriLen>)>,
	/// Stake voting to uphold, as counted when the votes were cast.
	pub uphold: Balance,
	/// Stake voting to reject, as counted when the votes were cast.
	pub reject: Balance,
	/// Who voted, which way, with what stake.
	pub voters: BoundedVec<Vote<AccountId, Balance>, MaxVoters>,
	/// Stake of the domain's validators when the challenge was made: upholding needs
	/// `ChallengeQuorum` of it (zero for challenges made before storage version 1).
	pub electorate: Balance,
}

/// One validator's vote on a challenge.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Vote<AccountId, Balance> {
	/// The validator.
	pub voter: AccountId,
	/// Whether it voted to uphold (`false` while sealed).
	pub uphold: bool,
	/// Its stake when it committed (zero for votes cast before storage version 1: their
	/// weight is only in the tallies).
	pub stake: Balance,
	/// The commitment while the vote is sealed (AUDIT H1: nobody sees a side before the
	/// votes are in); `None` once revealed, and for votes cast before storage version 4.
	pub sealed: Option<H256>,
}

/// The windows of a training task's challenge phase (thirds of it).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChallengeWindow {
	/// First third: challenges are made.
	Challenge,
	/// Until two thirds: the challenged nodes answer.
	Answer,
	/// The first half of the last third: validators commit sealed votes.
	VoteCommit,
	/// The second half of the last third: validators reveal them.
	VoteReveal,
}

/// How a challenge ended.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ChallengeOutcome {
	/// The node never answered with a proof: it forfeits its vested reward to the creator's
	/// refund; nobody is slashed and the challenger only gets its bond back.
	Unanswered,
	/// At least `ChallengeQuorum` of the domain's validator stake upheld it, more than
	/// rejected it.
	Upheld,
	/// Not upheld: the bond goes to the node.
	Rejected,
}

/// Who receives a payment of a task.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum PayRole {
	/// A training node's epoch reward.
	Node,
	/// A training node's vested final reward.
	Vested,
	/// A validator's reward.
	Validator,
	/// A successful challenger's award (the node's vested reward).
	Challenger,
}

/// Identifier of a calibration round (proof of capability, PROTOCOL section 7).
pub type CalibrationId = u32;

/// Windows of a calibration round, in blocks, one after the other from its creation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct CalibrationLengths<BlockNumber> {
	/// Providers commit to their answers.
	pub commit: BlockNumber,
	/// Providers reveal them.
	pub reveal: BlockNumber,
	/// The creator reveals the answer key; after it anyone may close the round unrevealed.
	pub key: BlockNumber,
}

/// Where a calibration round stands at a block.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CalibrationPhase {
	/// Answer commitments accepted.
	Commit,
	/// Answer reveals accepted.
	Reveal,
	/// Waiting for the creator's answer key.
	Key,
	/// The key window passed without a key: the round can only be closed.
	Expired,
}

/// A calibration round: questions of one domain with a commitment to their answer key.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxQuestions, MaxQuestionLen))]
pub struct Calibration<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxQuestions: Get<u32>,
	MaxQuestionLen: Get<u32>,
> {
	/// The creator (its deposit is held), or `None` for the calibration origin (governance).
	pub creator: Option<AccountId>,
	/// The creator's deposit.
	pub deposit: Balance,
	/// The domain the round certifies.
	pub domain: DomainId,
	/// The questions.
	pub questions: BoundedVec<BoundedVec<u8, MaxQuestionLen>, MaxQuestions>,
	/// `blake2_256(SCALE((key, salt)))` of the answer key (one short answer per question).
	pub key_commitment: H256,
	/// Correct answers needed to pass.
	pub threshold: u8,
	/// Last block of the commit window (exclusive).
	pub commit_end: BlockNumber,
	/// End of the reveal window (exclusive).
	pub reveal_end: BlockNumber,
	/// End of the key window (exclusive).
	pub key_end: BlockNumber,
	/// Providers that committed.
	pub participants: u32,
}

/// A provider's entry in a calibration round.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxQuestions, MaxAnswerLen))]
pub struct CalibrationEntry<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxQuestions: Get<u32>,
	MaxAnswerLen: Get<u32>,
> {
	/// `blake2_256(SCALE((calibration, account, answers, salt)))`.
	pub commitment: H256,
	/// The revealed answers, one per question.
	pub answers: Option<BoundedVec<BoundedVec<u8, MaxAnswerLen>, MaxQuestions>>,
	/// The calibrant deposit held (AUDIT H3): returned when the round ends if the answers
	/// were revealed, burned if not (zero for entries made before storage version 4).
	pub deposit: Balance,
}

/// The step a worker takes in a commit-reveal round (calibration rounds and evaluation-task
/// rounds alike).
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum WorkAction {
	/// Do the work (answer, run the benchmark) and commit to the result.
	Commit,
	/// Reveal the committed result.
	Reveal,
}

impl WorkAction {
	/// Its name in the worker's local-storage keys.
	pub fn tag(&self) -> &'static [u8] {
		match self {
			WorkAction::Commit => b"commit",
			WorkAction::Reveal => b"reveal",
		}
	}
}
