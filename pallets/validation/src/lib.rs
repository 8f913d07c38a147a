//! # LLM-Net validation pallet
//!
//! Tasks with AIArena validation phases (PROTOCOL section 6; seeds `004_...` and `001_...`).
//!
//! ## Overview
//!
//! A task creator calls [`Pallet::create_task`] with a domain, a kind ([`TaskKind::Training`]
//! or [`TaskKind::Evaluation`]), a spec URI and hash, a reward pool (held,
//! [`HoldReason::Pool`]), the phase lengths ([`TaskLengths`]) and, for training, a commitment
//! to the final evaluation set; a storage deposit is held until the record is reaped.
//!
//! **Submission phase** (`epochs` scoring rounds): training nodes (eligible providers of the
//! domain) [`Pallet::submit`] an artifact hash and URI; eligible validators
//! [`Pallet::commit_scores`] then [`Pallet::reveal_scores`] (one score per submission,
//! `blake2_256(SCALE((task, round, account, scores, salt)))`). Each round ends with a payout of
//! `(pool - final_pool) / epochs`:
//! - node part `R (gamma / 2 + (1 - gamma) S_n / (S_n + S_v))`, validators the rest;
//! - aggregate `a_i` = stake-weighted mean of the scores of submission `i`;
//! - node `i` gets `r^rank_i * (T_i / T_max)^alpha` of the node part (geometric rank series
//!   times stake to the power alpha), paid through the staking pallet's commission split;
//! - validator `j` gets `(s_j / s_max)^beta * exp(-lambda d_j)` of the validator part, `d_j`
//!   its mean distance to the aggregates.
//!
//! **Final validation** (Training): the creator [`Pallet::reveal_eval_set`] (checked against
//! the commitment); validators score once more; the nodes' final rewards (the
//! `final_pool`, same formulas) *vest*; validators are paid.
//!
//! **Challenge phase** (Training): anyone [`Pallet::challenge`]s a submission with a bond and a
//! reason in the phase's first third; the node [`Pallet::respond`]s with a proof hash and URI
//! until two thirds (each third at least [`Config::MinResponseWindow`]); eligible validators
//! vote by stake in the last third (at most [`Config::UnbondingPeriod`], so the same funds
//! cannot vote twice), sealed: [`Pallet::commit_vote`] in its first half,
//! [`Pallet::reveal_vote`] in its second (a vote in the last block cannot be answered, so
//! nobody sees one before all are in). At the end, a challenge upheld by at least
//! [`Config::ChallengeQuorum`] of the domain's validator stake (counted when it was made) and
//! by more revealed stake than rejected it sends the node's vested reward to the challenger
//! and slashes the node
//! ([`Config::ChallengeSlash`]); an unanswered one only forfeits the vested reward to the
//! creator's refund (the challenger gets its bond back); any other gives the challenger's bond
//! to the node. Unchallenged vested rewards are paid.
//!
//! **Evaluation** tasks have only scoring rounds: each validator reports one benchmark score;
//! the consensus is the stake-weighted median; validator rewards fall with the distance to it;
//! every round's median, raw mean and raw spread are kept ([`Rounds`]).
//!
//! **Proof of capability** (PROTOCOL section 7, [`calibration`]): the calibration origin, or
//! anyone holding [`Config::CalibrationDeposit`], opens a calibration round of a domain with
//! questions and a commitment to their answer key ([`Pallet::create_calibration`]). Providers
//! of the domain that are not capable there (and not cooling down) commit to their answers and
//! reveal them ([`Pallet::commit_calibration`], [`Pallet::reveal_calibration`]); their
//! off-chain workers do this by themselves ([`offchain::Worker`]). The creator then reveals the
//! key ([`Pallet::reveal_key`]), checked against the commitment; answers are graded by exact
//! match after normalisation and the staking pallet records `Capable` (threshold reached) or
//! `Failed { retry_after }` ([`Config::CalibrationCooldown`]). Query selection only picks
//! capable providers. A key that never comes lets anyone [`Pallet::close_calibration`]: the
//! deposit is burned, statuses stay.
//!
//! Deadlines live in a per-block schedule processed by `on_initialize` (at most
//! [`Config::MaxDuePerBlock`] per block); anyone may [`Pallet::advance`] a task whose deadline
//! passed. Rounding dust and anything unpaid goes back to the creator at closing.
//!
//! ## Invariants (checked by `try_state`, after every unit test)
//! - Held `Pool` of each creator = the `held` of its tasks; held `Deposit` = their deposits;
//!   held `ChallengeBond` of each account = its open challenges' bonds.
//! - `paid + held <= pool` for every task, and `held >= ` the vested rewards still owed.
//! - Every open task has its deadline in the schedule; closed tasks hold no commits or reports.
//! - The open calibration list names exactly the stored rounds; participant counters match
//!   their entries; held `CalibrationDeposit` of each creator = its rounds' deposits.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use calibration::CalibrationAction;
pub use impls::ScoreAction;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod calibration;
mod impls;
pub mod math;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod offchain;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use frame::{
	arithmetic::{FixedU128, Perbill},
	hashing::H256,
	prelude::*,
	traits::fungible,
};
use llmnet_primitives::{DomainId, NodeRegistry};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::llmnet-validation";

// FRAME's pallet macros expand to `expect` calls (storage and metadata plumbing); our own
// code in this module does not use `expect`, and the logic lives in `impls.rs`.
#[allow(clippy::expect_used, clippy::too_many_arguments)]
#[frame::pallet]
pub mod pallet {
	use super::*;

	/// Balance type of the runtime's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A task of a runtime.
	pub type TaskOf<T> = TaskInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
	>;
	/// A submission of a runtime.
	pub type SubmissionOf<T> =
		Submission<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::MaxUriLen>;
	/// A report of a runtime.
	pub type ReportOf<T> =
		Report<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::MaxSubmissions>;
	/// A challenge of a runtime.
	pub type ChallengeOf<T> = Challenge<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxReasonLen,
		<T as Config>::MaxVoters,
	>;
	/// Bounded URI bytes.
	pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLen>;
	/// Most rounds of a task: its epochs plus the final round.
	pub struct MaxRoundsOf<T>(PhantomData<T>);
	impl<T: Config> Get<u32> for MaxRoundsOf<T> {
		fn get() -> u32 {
			T::MaxEpochs::get().saturating_add(1)
		}
	}
	/// Bounded score vector.
	pub type ScoresOf<T> = BoundedVec<Perbill, <T as Config>::MaxSubmissions>;
	/// Questions of a calibration round.
	pub type QuestionsOf<T> =
		BoundedVec<BoundedVec<u8, <T as Config>::MaxQuestionLen>, <T as Config>::MaxQuestions>;
	/// Answers (or the answer key) of a calibration round, one per question.
	pub type CalibrationAnswersOf<T> = BoundedVec<
		BoundedVec<u8, <T as Config>::MaxCalibrationAnswerLen>,
		<T as Config>::MaxQuestions,
	>;
	/// A calibration round of a runtime.
	pub type CalibrationOf<T> = Calibration<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxQuestions,
		<T as Config>::MaxQuestionLen,
	>;
	/// A provider's calibration entry of a runtime.
	pub type CalibrationEntryOf<T> = CalibrationEntry<
		BalanceOf<T>,
		<T as Config>::MaxQuestions,
		<T as Config>::MaxCalibrationAnswerLen,
	>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency pools, deposits and bonds are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// The staking registry (eligibility, stake, reward split, slashes).
		type Registry: NodeRegistry<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// Storage deposit of a task, held until its record is reaped.
		#[pallet::constant]
		type TaskDeposit: Get<BalanceOf<Self>>;
		/// Smallest reward pool.
		#[pallet::constant]
		type MinPool: Get<BalanceOf<Self>>;
		/// Smallest challenge bond.
		#[pallet::constant]
		type MinChallengeBond: Get<BalanceOf<Self>>;
		/// Deposit of a training submission, held until its task closes (AUDIT M9: a slot of
		/// `MaxSubmissions` costs something to take).
		#[pallet::constant]
		type SubmissionDeposit: Get<BalanceOf<Self>>;
		/// Bond of a score commitment, returned at the round's close when the scores were
		/// revealed and burned when not (AUDIT M9: a report slot costs something to squat).
		#[pallet::constant]
		type ReportBond: Get<BalanceOf<Self>>;
		/// Longest URI (spec, artifact, proof, evaluation set), in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Longest challenge reason, in bytes.
		#[pallet::constant]
		type MaxReasonLen: Get<u32>;
		/// Most submissions of a task.
		#[pallet::constant]
		type MaxSubmissions: Get<u32>;
		/// Most validators reporting in one round.
		#[pallet::constant]
		type MaxReports: Get<u32>;
		/// Most validators voting on one challenge.
		#[pallet::constant]
		type MaxVoters: Get<u32>;
		/// Most epochs of a task.
		#[pallet::constant]
		type MaxEpochs: Get<u32>;
		/// Shortest window, in blocks.
		#[pallet::constant]
		type MinWindow: Get<BlockNumberFor<Self>>;
		/// Longest window, in blocks.
		#[pallet::constant]
		type MaxWindow: Get<BlockNumberFor<Self>>;
		/// Part of the pool kept for the final validation (vested; AIArena's Reward B).
		#[pallet::constant]
		type FinalShare: Get<Perbill>;
		/// gamma of the node/validator split (0: by stake only, 1: half each).
		#[pallet::constant]
		type SplitGamma: Get<Perbill>;
		/// Ratio of the geometric rank series.
		#[pallet::constant]
		type RankRatio: Get<Perbill>;
		/// alpha: influence of a node's stake on its reward.
		#[pallet::constant]
		type NodeStakeExponent: Get<FixedU128>;
		/// beta: influence of a validator's stake on its reward.
		#[pallet::constant]
		type ValidatorStakeExponent: Get<FixedU128>;
		/// lambda: sensitivity of validator rewards to their distance from the consensus
		/// (distances are in [0, 1]).
		#[pallet::constant]
		type DistanceSensitivity: Get<FixedU128>;
		/// Share of its bond a node loses to an upheld challenge.
		#[pallet::constant]
		type ChallengeSlash: Get<Perbill>;
		/// Share of the domain's validator stake (counted when the challenge is made) that
		/// must vote to uphold a challenge (AUDIT H1).
		#[pallet::constant]
		type ChallengeQuorum: Get<Perbill>;
		/// Shortest third of a training task's challenge phase: challenges are made in the
		/// first third, answered until two thirds, voted on until the end (sealed votes in
		/// the first half of the last third, reveals in the second), so a node always has at
		/// least this many blocks to answer (AUDIT C1). At least 2.
		#[pallet::constant]
		type MinResponseWindow: Get<BlockNumberFor<Self>>;
		/// The staking pallet's unbonding period: the last third of a challenge phase (its
		/// votes) is at most this long (AUDIT H1).
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// Most nodes of a domain read to count its validator stake when a challenge is made
		/// (the staking pallet's `MaxNodesPerDomain`; the bound of the `challenge` weight).
		#[pallet::constant]
		type MaxElectorate: Get<u32>;
		/// Most deadlines scheduled in one block (each is one transition in `on_initialize`).
		#[pallet::constant]
		type MaxDuePerBlock: Get<u32>;
		/// Origin that opens calibration rounds without a deposit (governance); anyone else
		/// holds [`Config::CalibrationDeposit`].
		type CalibrationOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Deposit of a signed calibration round's creator, returned when it reveals the key
		/// and burned when it does not.
		#[pallet::constant]
		type CalibrationDeposit: Get<BalanceOf<Self>>;
		/// Deposit of a provider that commits to a calibration round: returned when the round
		/// ends if it revealed its answers, burned if it did not (AUDIT H3: a sybil that takes
		/// one of a governance round's `MaxCalibrants` slots and never answers pays for it).
		#[pallet::constant]
		type CalibrantDeposit: Get<BalanceOf<Self>>;
		/// Most questions of a calibration round.
		#[pallet::constant]
		type MaxQuestions: Get<u32>;
		/// Longest calibration question, in bytes.
		#[pallet::constant]
		type MaxQuestionLen: Get<u32>;
		/// Longest calibration answer (and answer-key entry), in bytes.
		#[pallet::constant]
		type MaxCalibrationAnswerLen: Get<u32>;
		/// Most providers taking one calibration round.
		#[pallet::constant]
		type MaxCalibrants: Get<u32>;
		/// Most calibration rounds open at once.
		#[pallet::constant]
		type MaxOpenCalibrations: Get<u32>;
		/// Most of them signed creators may hold (the rest is governance's, AUDIT H3).
		#[pallet::constant]
		type MaxSignedCalibrations: Get<u32>;
		/// Blocks a provider that failed (or did not reveal) waits before its next round.
		#[pallet::constant]
		type CalibrationCooldown: Get<BlockNumberFor<Self>>;
		/// What the `offchain_worker` hook runs: [`offchain::Worker`] on provider nodes (it
		/// answers calibration rounds), `()` elsewhere.
		type OffchainWorker: llmnet_ocw::OffchainDriver<BlockNumberFor<Self>>;
		/// Weights of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The storage layout version (0: the layout of runtime `spec_version` 1). A layout
	/// change bumps it and adds a `VersionedMigration` (see `pallet_llmnet_staking::migrations`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(4);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons for holding funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The reward pool of an open task.
		Pool,
		/// The storage deposit of a task record.
		Deposit,
		/// The bond of an open challenge.
		ChallengeBond,
		/// The deposit of a calibration round's creator.
		CalibrationDeposit,
		/// The deposit of a training submission.
		SubmissionDeposit,
		/// The bond of a score commitment.
		ReportBond,
		/// The deposit of a calibration round's participant.
		CalibrantDeposit,
	}

	/// The id of the next task.
	#[pallet::storage]
	pub type NextTaskId<T> = StorageValue<_, TaskId, ValueQuery>;

	/// Tasks (open and closed, until reaped).
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskOf<T>>;

	/// The open tasks and their domains: the index validators' off-chain workers and front
	/// ends read (never a scan of all task ids). Written at creation, removed at closing.
	/// Counted: at most `MaxDuePerBlock * SCHEDULE_REACH` tasks are open at once, so every
	/// deadline a task sets finds a slot in the schedule within reach (issue 18).
	#[pallet::storage]
	pub type OpenTasks<T: Config> = CountedStorageMap<_, Twox64Concat, TaskId, DomainId>;

	/// Submissions of a task, in arrival order (the index is the submission's id).
	#[pallet::storage]
	pub type Submissions<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskId,
		BoundedVec<SubmissionOf<T>, T::MaxSubmissions>,
		ValueQuery,
	>;

	/// Score commitments of the current round: `(round, commitment, bond held)` by task and
	/// validator.
	#[pallet::storage]
	pub type Commits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		TaskId,
		Blake2_128Concat,
		T::AccountId,
		(RoundIndex, H256, BalanceOf<T>),
	>;

	/// Revealed reports of the current round.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageMap<_, Twox64Concat, TaskId, BoundedVec<ReportOf<T>, T::MaxReports>, ValueQuery>;

	/// Every closed round of a task: consensus, raw mean and spread, payouts.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskId,
		BoundedVec<RoundRecord<BalanceOf<T>>, MaxRoundsOf<T>>,
		ValueQuery,
	>;

	/// Open challenges by task and submission.
	#[pallet::storage]
	pub type Challenges<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Twox64Concat, SubmissionIndex, ChallengeOf<T>>;

	/// Deadlines: the tasks whose phase or round ends at a block.
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, T::MaxDuePerBlock>,
		ValueQuery,
	>;

	/// The id of the next calibration round.
	#[pallet::storage]
	pub type NextCalibrationId<T> = StorageValue<_, CalibrationId, ValueQuery>;

	/// Open calibration rounds.
	#[pallet::storage]
	pub type Calibrations<T: Config> = StorageMap<_, Twox64Concat, CalibrationId, CalibrationOf<T>>;

	/// The providers' entries (commitment, then answers) of each open calibration round.
	#[pallet::storage]
	pub type CalibrationEntries<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CalibrationId,
		Blake2_128Concat,
		T::AccountId,
		CalibrationEntryOf<T>,
	>;

	/// The open calibration rounds, oldest first (what providers' workers look at).
	#[pallet::storage]
	pub type OpenCalibrations<T: Config> =
		StorageValue<_, BoundedVec<CalibrationId, T::MaxOpenCalibrations>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A task was opened.
		TaskCreated {
			/// The task.
			task: TaskId,
			/// Its creator.
			creator: T::AccountId,
			/// Its domain.
			domain: DomainId,
			/// Training or evaluation.
			kind: TaskKind,
			/// The pool.
			pool: BalanceOf<T>,
			/// The spec hash.
			spec_hash: H256,
		},
		/// A training node submitted (or replaced) its artifact.
		Submitted {
			/// The task.
			task: TaskId,
			/// The submission's index.
			index: SubmissionIndex,
			/// The node.
			node: T::AccountId,
			/// The artifact hash.
			artifact: H256,
		},
		/// A validator committed its scores for a round.
		ScoresCommitted {
			/// The task.
			task: TaskId,
			/// The round.
			round: RoundIndex,
			/// The validator.
			validator: T::AccountId,
		},
		/// A validator committed and did not reveal: its report bond was burned.
		CalibrantDepositForfeited {
			/// The calibration round.
			calibration: CalibrationId,
			/// The provider that committed and did not reveal.
			who: T::AccountId,
			/// The deposit burned.
			amount: BalanceOf<T>,
		},
		/// A validator's commitment was not revealed: its report bond was burned.
		ReportBondForfeited {
			/// The task.
			task: TaskId,
			/// The round.
			round: RoundIndex,
			/// The validator.
			validator: T::AccountId,
			/// The bond burned.
			amount: BalanceOf<T>,
		},
		/// A validator revealed its scores.
		ScoresRevealed {
			/// The task.
			task: TaskId,
			/// The round.
			round: RoundIndex,
			/// The validator.
			validator: T::AccountId,
			/// The scores, by submission index.
			scores: ScoresOf<T>,
		},
		/// A round closed and paid out.
		RoundClosed {
			/// The task.
			task: TaskId,
			/// Its record.
			record: RoundRecord<BalanceOf<T>>,
		},
		/// A payment of a task.
		Paid {
			/// The task.
			task: TaskId,
			/// The payee.
			who: T::AccountId,
			/// Why.
			role: PayRole,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// The creator revealed the final evaluation set.
		EvalSetRevealed {
			/// The task.
			task: TaskId,
			/// The set (URI and hash).
			eval_set: UriOf<T>,
		},
		/// The task entered a phase.
		PhaseChanged {
			/// The task.
			task: TaskId,
			/// The new phase.
			phase: TaskPhase,
		},
		/// A submission was challenged.
		Challenged {
			/// The task.
			task: TaskId,
			/// The submission.
			index: SubmissionIndex,
			/// The challenger.
			challenger: T::AccountId,
			/// The bond.
			bond: BalanceOf<T>,
			/// The reason.
			reason: BoundedVec<u8, T::MaxReasonLen>,
		},
		/// The node answered a challenge with a proof.
		ChallengeAnswered {
			/// The task.
			task: TaskId,
			/// The submission.
			index: SubmissionIndex,
			/// Proof hash.
			proof: H256,
			/// Proof URI.
			uri: UriOf<T>,
		},
		/// A validator committed a sealed vote on a challenge.
		ChallengeVoteSealed {
			/// The task.
			task: TaskId,
			/// The submission.
			index: SubmissionIndex,
			/// The validator.
			validator: T::AccountId,
		},
		/// A validator revealed its vote on a challenge (counted from now).
		ChallengeVoted {
			/// The task.
			task: TaskId,
			/// The submission.
			index: SubmissionIndex,
			/// The validator.
			validator: T::AccountId,
			/// Uphold (true) or reject.
			uphold: bool,
			/// Its stake.
			stake: BalanceOf<T>,
		},
		/// A challenge was decided at the end of the challenge phase.
		ChallengeResolved {
			/// The task.
			task: TaskId,
			/// The submission.
			index: SubmissionIndex,
			/// How.
			outcome: ChallengeOutcome,
			/// What the challenger received (the node's vested reward) or lost (its bond).
			amount: BalanceOf<T>,
			/// Taken from the node's stake by the slash.
			slashed: BalanceOf<T>,
		},
		/// The task closed.
		TaskClosed {
			/// The task.
			task: TaskId,
			/// Paid in all.
			paid: BalanceOf<T>,
			/// Returned to the creator.
			refunded: BalanceOf<T>,
		},
		/// A closed task's record was removed and its deposit returned.
		TaskReaped {
			/// The task.
			task: TaskId,
		},
		/// A calibration round opened.
		CalibrationCreated {
			/// The round.
			calibration: CalibrationId,
			/// Its creator (`None`: governance).
			creator: Option<T::AccountId>,
			/// The domain it certifies.
			domain: DomainId,
			/// Number of questions.
			questions: u32,
			/// Correct answers needed.
			threshold: u8,
			/// Commitment to the answer key.
			key_commitment: H256,
		},
		/// A provider committed its calibration answers.
		CalibrationCommitted {
			/// The round.
			calibration: CalibrationId,
			/// The provider.
			who: T::AccountId,
		},
		/// A provider revealed its calibration answers.
		CalibrationRevealed {
			/// The round.
			calibration: CalibrationId,
			/// The provider.
			who: T::AccountId,
			/// Its answers.
			answers: CalibrationAnswersOf<T>,
		},
		/// The creator revealed the answer key; the round is graded and removed.
		CalibrationKeyRevealed {
			/// The round.
			calibration: CalibrationId,
			/// The key.
			key: CalibrationAnswersOf<T>,
		},
		/// A provider's result in a calibration round (its capability is set in staking).
		CalibrationGraded {
			/// The round.
			calibration: CalibrationId,
			/// The provider.
			who: T::AccountId,
			/// Correct answers (0 if it did not reveal).
			correct: u32,
			/// Whether it passed (it is now capable in the domain).
			passed: bool,
		},
		/// A calibration round expired without its key; its entries are dropped with no
		/// capability change and the creator's deposit is burned.
		CalibrationExpired {
			/// The round.
			calibration: CalibrationId,
			/// The deposit burned.
			forfeited: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such task.
		UnknownTask,
		/// No such submission.
		UnknownSubmission,
		/// The domain does not exist or is retired.
		InactiveDomain,
		/// The pool is below [`Config::MinPool`].
		PoolTooSmall,
		/// A window is shorter than [`Config::MinWindow`] or longer than [`Config::MaxWindow`].
		BadWindow,
		/// Epochs must be between 1 and [`Config::MaxEpochs`].
		BadEpochs,
		/// The call does not fit the task's phase or round window.
		WrongPhase,
		/// The call does not fit the task's kind.
		WrongKind,
		/// Not an eligible provider of the task's domain.
		NotEligibleNode,
		/// Not an eligible validator of the task's domain.
		NotEligibleValidator,
		/// The task has its maximum number of submissions.
		TooManySubmissions,
		/// Another submission of the task has this artifact hash.
		DuplicateArtifact,
		/// Validators have committed scores in this round: the artifact they score cannot be
		/// replaced until the next round.
		ArtifactFrozen,
		/// Already committed in this round.
		AlreadyCommitted,
		/// No commitment of this round to reveal.
		NoCommitment,
		/// The revealed scores (or vote) and salt do not match the commitment.
		CommitmentMismatch,
		/// Already revealed in this round.
		AlreadyRevealed,
		/// This round has its maximum number of reports.
		TooManyReports,
		/// The score vector does not fit the task (evaluation: exactly one score; training: one
		/// per submission, at most the submissions so far, at least one).
		BadScores,
		/// Only the creator may do this.
		NotCreator,
		/// The evaluation set and salt do not match the commitment.
		EvalSetMismatch,
		/// The evaluation set was already revealed.
		EvalSetAlreadyRevealed,
		/// Final scores need the evaluation set first.
		EvalSetNotRevealed,
		/// The bond is below [`Config::MinChallengeBond`].
		BondTooSmall,
		/// The submission is already challenged.
		AlreadyChallenged,
		/// No challenge against this submission.
		NoChallenge,
		/// A node cannot challenge or vote on its own submission; a challenger cannot vote.
		Conflict,
		/// Only the challenged node may answer.
		NotTheNode,
		/// The challenge was already answered.
		AlreadyAnswered,
		/// Votes open once the node has answered.
		NotAnswered,
		/// Already voted.
		AlreadyVoted,
		/// The challenge has its maximum number of voters.
		TooManyVoters,
		/// No sealed vote of the caller to reveal (none committed, or already revealed).
		NoSealedVote,
		/// The deadline has not passed.
		DeadlineNotReached,
		/// The task is closed.
		TaskClosed,
		/// The task is not closed yet.
		TaskOpen,
		/// As many tasks are open as the deadline schedule holds (`MaxDuePerBlock` per block
		/// over `SCHEDULE_REACH` blocks), or no block within reach has room for the deadline.
		ScheduleFull,
		/// No such calibration round.
		UnknownCalibration,
		/// No questions, or a threshold of zero or above the number of questions.
		BadQuestions,
		/// [`Config::MaxOpenCalibrations`] rounds are open.
		TooManyCalibrations,
		/// Not a bonded provider declaring the round's domain.
		NotCalibrant,
		/// Already capable in the round's domain.
		AlreadyCapable,
		/// Failed calibration in this domain recently; retry after the cool-down.
		CoolingDown,
		/// The round has its maximum number of providers.
		TooManyCalibrants,
		/// The answers (or key) do not have one entry per question.
		BadAnswers,
		/// The key and salt do not match the round's key commitment.
		KeyMismatch,
		/// A third of the challenge phase is shorter than [`Config::MinResponseWindow`].
		ChallengeTooShort,
		/// A third of the challenge phase is longer than [`Config::UnbondingPeriod`].
		ChallengeTooLong,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_schedule(now)
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			<T::OffchainWorker as llmnet_ocw::OffchainDriver<_>>::run(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::MaxSubmissions::get() >= 1 && T::MaxSubmissions::get() <= u32::from(u16::MAX)
			);
			assert!(T::MaxEpochs::get() >= 1 && T::MaxEpochs::get() < u32::from(u16::MAX));
			assert!(T::MaxDuePerBlock::get() >= 1 && T::MaxReports::get() >= 1);
			assert!(T::MinWindow::get() >= One::one());
			assert!(T::MinWindow::get() <= T::MaxWindow::get());
			// Some challenge phase fits: three response windows, each within the unbonding
			// period, within MaxWindow.
			assert!(T::MinResponseWindow::get() <= T::UnbondingPeriod::get());
			// The vote third has a commit half and a reveal half of a block or more each.
			assert!(T::MinResponseWindow::get() >= 2u32.into());
			assert!(T::MinResponseWindow::get().saturating_mul(3u32.into()) <= T::MaxWindow::get());
			assert!(T::MaxElectorate::get() >= 1);
			assert!(T::MaxSignedCalibrations::get() < T::MaxOpenCalibrations::get());
			assert!(T::MaxQuestions::get() >= 1 && T::MaxQuestions::get() <= u32::from(u8::MAX));
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Open a task. Holds `pool` and [`Config::TaskDeposit`]; the first scoring round
		/// starts now. `eval_commitment` is `blake2_256(SCALE((eval_set, salt)))` of the final
		/// evaluation set (ignored for evaluation tasks).
		///
		/// - Origin: signed (the creator).
		/// - Errors: `InactiveDomain`, `PoolTooSmall`, `BadEpochs`, `BadWindow` (a commit, reveal,
		///   final-set or challenge window outside `MinWindow ..= MaxWindow`), `ChallengeTooShort`,
		///   `ChallengeTooLong` (a third of the challenge phase against `MinResponseWindow` and
		///   `UnbondingPeriod`), `ScheduleFull` (as many tasks open as the schedule holds), the
		///   holds' errors; arithmetic overflow of the task id.
		/// - Event: `TaskCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_task().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn create_task(
			origin: OriginFor<T>,
			domain: DomainId,
			kind: TaskKind,
			spec_uri: UriOf<T>,
			spec_hash: H256,
			eval_commitment: H256,
			pool: BalanceOf<T>,
			lengths: TaskLengths<BlockNumberFor<T>>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let want = now.saturating_add(lengths.commit).saturating_add(lengths.reveal);
			let id = NextTaskId::<T>::get();
			Self::do_create(
				who,
				domain,
				kind,
				spec_uri,
				spec_hash,
				eval_commitment,
				pool,
				lengths,
			)?;
			// Charged for the schedule probes made, not the worst case declared (AUDIT M3).
			let placed = Tasks::<T>::get(id).map(|t| t.deadline);
			let probes = llmnet_primitives::schedule::probes(want, placed);
			Ok(Some(T::WeightInfo::create_task().saturating_add(T::WeightInfo::schedule(probes)))
				.into())
		}

		/// Submit (or replace) a training node's artifact during the submission phase.
		///
		/// A first submission holds `SubmissionDeposit` until the task closes and is a live
		/// assignment of the node (it cannot deregister, and its unbonded stake stays slashable,
		/// until the challenge verdict). Artifact hashes are unique per task; a replacement is
		/// refused once validators have committed scores in the round (`ArtifactFrozen`).
		///
		/// - Origin: signed, an eligible provider of the task's domain.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongKind` (an evaluation task), `WrongPhase`
		///   (not a submission round), `NotEligibleNode`, `DuplicateArtifact`, `ArtifactFrozen`,
		///   `TooManySubmissions`, the deposit hold's errors.
		/// - Event: `Submitted`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit())]
		pub fn submit(
			origin: OriginFor<T>,
			task: TaskId,
			artifact: H256,
			uri: UriOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit(who, task, artifact, uri)
		}

		/// Commit scores for the current round (commit window). Holds `ReportBond`, returned at
		/// the round's close if the scores were revealed and burned if not.
		///
		/// - Origin: signed, an eligible validator of the task's domain.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongPhase` (no scoring round, or its commit
		///   window over), `EvalSetNotRevealed` (final round before the creator's reveal),
		///   `NotEligibleValidator`, `AlreadyCommitted`, `TooManyReports`, the bond hold's errors.
		/// - Event: `ScoresCommitted`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_scores())]
		pub fn commit_scores(
			origin: OriginFor<T>,
			task: TaskId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit(who, task, commitment)
		}

		/// Reveal the committed scores (reveal window).
		///
		/// - Origin: signed, a validator that committed in this round.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongPhase` (outside the reveal window),
		///   `NoCommitment` (none, or one of another round), `CommitmentMismatch`, `BadScores`
		///   (not one score per item), `AlreadyRevealed`, `TooManyReports`.
		/// - Event: `ScoresRevealed`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reveal_scores(scores.len() as u32))]
		pub fn reveal_scores(
			origin: OriginFor<T>,
			task: TaskId,
			scores: ScoresOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal(who, task, scores, salt)
		}

		/// The creator reveals the final evaluation set (final validation, before the final
		/// round's commit window closes).
		///
		/// - Origin: signed, the task's creator.
		/// - Errors: `UnknownTask`, `TaskClosed`, `NotCreator`, `WrongKind`, `WrongPhase` (not
		///   final validation, or its commit window over), `EvalSetAlreadyRevealed`,
		///   `EvalSetMismatch`.
		/// - Event: `EvalSetRevealed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal_eval_set())]
		pub fn reveal_eval_set(
			origin: OriginFor<T>,
			task: TaskId,
			eval_set: UriOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_set(who, task, eval_set, salt)
		}

		/// Challenge a submission in the first third of the challenge phase, holding `bond`.
		/// Counts the domain's validator stake (the electorate of the vote).
		///
		/// - Origin: signed, anyone but the challenged node.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongKind`, `WrongPhase` (not the challenge
		///   phase or past its first third), `UnknownSubmission`, `Conflict`, `BondTooSmall`,
		///   `AlreadyChallenged`, and the hold's errors.
		/// - Event: `Challenged`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::challenge().saturating_add(Pallet::<T>::electorate_weight()))]
		pub fn challenge(
			origin: OriginFor<T>,
			task: TaskId,
			index: SubmissionIndex,
			reason: BoundedVec<u8, T::MaxReasonLen>,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_challenge(who, task, index, reason, bond)
		}

		/// The challenged node answers with a proof of legitimate training, until two thirds
		/// of the challenge phase.
		///
		/// - Origin: signed, the challenged node.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongKind`, `WrongPhase` (not the challenge
		///   phase or past its second third), `UnknownSubmission`, `NoChallenge`, `NotTheNode`,
		///   `AlreadyAnswered`.
		/// - Event: `ChallengeAnswered`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::respond())]
		pub fn respond(
			origin: OriginFor<T>,
			task: TaskId,
			index: SubmissionIndex,
			proof: H256,
			uri: UriOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_respond(who, task, index, proof, uri)
		}

		/// An eligible validator commits a sealed vote on an answered challenge, in the first
		/// half of the last third of the challenge phase: `commitment` is
		/// `vote_commitment_of(task, index, validator, uphold, salt)`. Its stake is read now;
		/// the vote counts once revealed with `reveal_vote` (AUDIT H1: a vote in the window's
		/// last block is sealed, so nobody can answer it by seeing it, and nobody sees the
		/// tally before the votes are in). A vote left sealed counts for neither side.
		///
		/// - Origin: signed, an eligible validator of the task's domain that is neither the node
		///   nor the challenger.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongKind`, `WrongPhase` (outside the first
		///   half of the last third), `UnknownSubmission`, `NoChallenge`, `NotAnswered`,
		///   `Conflict`, `NotEligibleValidator`, `AlreadyVoted`, `TooManyVoters`.
		/// - Event: `ChallengeVoteSealed`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::commit_vote())]
		pub fn commit_vote(
			origin: OriginFor<T>,
			task: TaskId,
			index: SubmissionIndex,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_vote(who, task, index, commitment)
		}

		/// Reveal a sealed vote in the second half of the last third of the challenge phase:
		/// the vote's stake (as read at the commitment) counts for `uphold` or against.
		///
		/// - Origin: signed, a validator with a sealed vote on the challenge.
		/// - Errors: `UnknownTask`, `TaskClosed`, `WrongKind`, `WrongPhase` (outside the second
		///   half of the last third), `NoChallenge`, `NoSealedVote`, `CommitmentMismatch`.
		/// - Event: `ChallengeVoted`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::reveal_vote())]
		pub fn reveal_vote(
			origin: OriginFor<T>,
			task: TaskId,
			index: SubmissionIndex,
			uphold: bool,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_vote(who, task, index, uphold, salt)
		}

		/// Run the transition of a task whose deadline has passed (anyone).
		///
		/// - Origin: signed (anyone).
		/// - Errors: `UnknownTask`, `TaskClosed`, `DeadlineNotReached`.
		/// - Events: those of the transition (`RoundClosed`, `Paid`, `PhaseChanged`,
		///   `ChallengeResolved`, `TaskClosed`, ...).
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::transition_weight())]
		pub fn advance(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_advance(task)
		}

		/// Remove a closed task's record and return its deposit to the creator (anyone).
		///
		/// - Origin: signed (anyone).
		/// - Errors: `UnknownTask`, `TaskOpen`.
		/// - Event: `TaskReaped`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::reap(T::MaxSubmissions::get()))]
		pub fn reap(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_reap(task)
		}

		/// Open a calibration round of `domain` (proof of capability): questions, a commitment
		/// `blake2_256(SCALE((key, salt)))` to their answer key, the number of correct answers
		/// needed, and the commit, reveal and key windows. The calibration origin opens rounds
		/// for free, and only its rounds record capability statuses. A signed creator holds
		/// [`Config::CalibrationDeposit`] and opens a practice round (graded in events, no
		/// status; at most [`Config::MaxSignedCalibrations`] open).
		///
		/// - Origin: `CalibrationOrigin` (a governance round) or signed (a practice round).
		/// - Errors: `InactiveDomain`, `BadQuestions` (none, or a threshold of 0 or above the
		///   number of questions), `BadWindow`, `TooManyCalibrations`, the deposit hold's errors.
		/// - Event: `CalibrationCreated`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::create_calibration(questions.len() as u32).saturating_add(
			// Counting the signed rounds open (not in the benchmark: one read per slot).
			T::DbWeight::get().reads(u64::from(T::MaxOpenCalibrations::get()))
		))]
		pub fn create_calibration(
			origin: OriginFor<T>,
			domain: DomainId,
			questions: QuestionsOf<T>,
			key_commitment: H256,
			threshold: u8,
			lengths: CalibrationLengths<BlockNumberFor<T>>,
		) -> DispatchResult {
			let creator = match T::CalibrationOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_create_calibration(
				creator,
				domain,
				questions,
				key_commitment,
				threshold,
				lengths,
			)
		}

		/// A provider of the round's domain that is not capable there (and not cooling down)
		/// commits to its answers: `blake2_256(SCALE((calibration, account, answers, salt)))`.
		///
		/// - Origin: signed, a provider of the round's domain.
		/// - Errors: `UnknownCalibration`, `WrongPhase` (outside the commit window),
		///   `AlreadyCommitted`, `NotCalibrant`, `AlreadyCapable`, `CoolingDown`,
		///   `TooManyCalibrants`.
		/// - Event: `CalibrationCommitted`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::commit_calibration())]
		pub fn commit_calibration(
			origin: OriginFor<T>,
			calibration: CalibrationId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_calibration(who, calibration, commitment)
		}

		/// Reveal the committed answers, one per question (reveal window).
		///
		/// - Origin: signed, a participant that committed.
		/// - Errors: `UnknownCalibration`, `WrongPhase` (outside the reveal window),
		///   `NoCommitment`, `AlreadyRevealed`, `BadAnswers` (not one per question),
		///   `CommitmentMismatch`.
		/// - Event: `CalibrationRevealed`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::reveal_calibration(answers.len() as u32))]
		pub fn reveal_calibration(
			origin: OriginFor<T>,
			calibration: CalibrationId,
			answers: CalibrationAnswersOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_calibration(who, calibration, answers, salt)
		}

		/// The creator (or, for a governance round, the calibration origin) reveals the answer
		/// key after the reveal window: it is checked against the commitment, every entry is
		/// graded (exact match of normalised answers) and each provider's capability is set:
		/// capable when it reached the threshold, failed with a cool-down otherwise (also when
		/// it did not reveal). The deposit is returned and the round removed.
		///
		/// - Origin: the round's creator (signed), or `CalibrationOrigin` for a governance round.
		/// - Errors: `UnknownCalibration`, `NotCreator`, `WrongPhase` (outside the key window),
		///   `BadAnswers` (not one per question), `KeyMismatch`.
		/// - Events: `CalibrationKeyRevealed`, `CalibrationGraded` (per participant).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::reveal_key(T::MaxCalibrants::get(), key.len() as u32))]
		pub fn reveal_key(
			origin: OriginFor<T>,
			calibration: CalibrationId,
			key: CalibrationAnswersOf<T>,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = match T::CalibrationOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			let graded = Self::do_reveal_key(who, calibration, key.clone(), salt)?;
			Ok(Some(T::WeightInfo::reveal_key(graded, key.len() as u32)).into())
		}

		/// Close a round whose key window passed without its key (anyone): entries are dropped
		/// with no capability change and the creator's deposit is burned.
		///
		/// - Origin: signed (anyone).
		/// - Errors: `UnknownCalibration`, `DeadlineNotReached` (the key window not over).
		/// - Event: `CalibrationExpired`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::close_calibration(T::MaxCalibrants::get()))]
		pub fn close_calibration(
			origin: OriginFor<T>,
			calibration: CalibrationId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let dropped = Self::do_close_calibration(calibration)?;
			Ok(Some(T::WeightInfo::close_calibration(dropped)).into())
		}
	}
}
