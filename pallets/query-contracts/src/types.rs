//! Types of query contracts.

// The `*NoBound` derives repeat the generic bounds of these structs in their where clauses.
#![allow(clippy::multiple_bound_locations)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{
	arithmetic::{Perbill, Percent},
	hashing::H256,
	prelude::*,
};
use scale_info::TypeInfo;

pub use llmnet_primitives::{DomainId, QueryId};
/// Index of a candidate (a distinct final answer) within a query.
pub type CandidateIndex = u8;

/// How a query is answered.
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
pub enum Mode {
	/// One respondent, no judging.
	Single,
	/// Several independent answers, then pairwise ranking (Fortytwo).
	Swarm,
	/// Several answers, then up to `rounds` debate rounds, then ranking (LLM-Net).
	Debate {
		/// Maximum number of debate rounds (at least 1).
		rounds: u8,
	},
}

/// How the consensus candidate is chosen.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Aggregation {
	/// Reputation-weighted Bradley-Terry over the pairwise judgements.
	#[default]
	BradleyTerry,
	/// Baseline: the answer held by most respondents (ties: lowest candidate index).
	MajorityVote,
}

/// How the answers' share of the budget is divided among candidates.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum AnswerPayout {
	/// In proportion to the candidates' scores.
	#[default]
	Proportional,
	/// AIArena's geometric rank series `r^rank / sum r^l` (`r` = `Config::RankRatio`).
	GeometricRank,
}

/// Shares of the budget by role; the rest (and anything unspent) returns to the requester.
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
pub struct RewardShares {
	/// To the coordinator that selected the respondents (refunded on automatic selection).
	pub coordinator: Perbill,
	/// Split equally among the validators that scored.
	pub validators: Perbill,
	/// Among the judges, by agreement with the consensus times judgement reputation.
	pub judges: Perbill,
	/// Among the answers, by score (see [`AnswerPayout`]).
	pub answers: Perbill,
}

impl Default for RewardShares {
	/// PROTOCOL section 4.4: 5 % / 10 % / 15 % / 70 %.
	fn default() -> Self {
		Self {
			coordinator: Perbill::from_percent(5),
			validators: Perbill::from_percent(10),
			judges: Perbill::from_percent(15),
			answers: Perbill::from_percent(70),
		}
	}
}

impl RewardShares {
	/// Sum of the shares in parts per billion (may exceed one billion: invalid).
	pub fn total_parts(&self) -> u64 {
		[self.coordinator, self.validators, self.judges, self.answers]
			.iter()
			.fold(0u64, |acc, p| acc.saturating_add(u64::from(p.deconstruct())))
	}
}

/// Length of each phase in blocks.
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
pub struct PhaseLengths<BlockNumber> {
	/// For the coordinator to select (then automatic selection).
	pub selecting: BlockNumber,
	/// For commitments.
	pub committing: BlockNumber,
	/// For reveals.
	pub revealing: BlockNumber,
	/// For each debate round.
	pub debating: BlockNumber,
	/// For judgements.
	pub judging: BlockNumber,
	/// For validators' scores (unused when no validators are wanted).
	pub validating: BlockNumber,
}

/// What the requester asks for, besides the prompt and the budget.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct QueryParams<AccountId, BlockNumber> {
	/// Single, Swarm or Debate.
	pub mode: Mode,
	/// Respondents wanted (1 for Single).
	pub respondents: u8,
	/// Judges beyond the respondents: eligible providers drawn by stake when judging opens
	/// (none when the respondents agree).
	pub extra_judges: u8,
	/// Validators wanted (0: no validation phase).
	pub validators: u8,
	/// Phase lengths.
	pub phases: PhaseLengths<BlockNumber>,
	/// Budget shares by role.
	pub shares: RewardShares,
	/// Division of the answers' share.
	pub answer_payout: AnswerPayout,
	/// Consensus rule.
	pub aggregation: Aggregation,
	/// Minimum stake-weighted validator score for the answers to be paid.
	pub quality_threshold: Percent,
	/// The coordinator named by the requester (`None`: one is drawn if a coordinator accepts
	/// the selection phase's length, else automatic selection).
	pub coordinator: Option<AccountId>,
}

/// Where a query is.
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
pub enum Phase {
	/// Waiting for the coordinator's selection.
	Selecting,
	/// Respondents commit to their answers.
	Committing,
	/// Respondents reveal their answers.
	Revealing,
	/// Debate round `round` (from 0).
	Debating {
		/// The round.
		round: u8,
	},
	/// Respondents and extra judges compare the candidates and commit to their judgements
	/// (sealed: a hash of the verdicts, justifications and feedback; AUDIT M6).
	Judging,
	/// Drawn validators score the consensus answer and commit to their scores (sealed: a
	/// hash of the score and note).
	Validating,
	/// Paid out; texts pruned. Final.
	Settled,
	/// Ended without any answer (everything refunded but slashes). Final.
	Expired,
	/// The judges that committed in `Judging` reveal their judgements (`phases.revealing`
	/// blocks). Last in the enum so that earlier phases keep their encoding.
	RevealingJudgements,
	/// The validators that committed to a score in `Validating` reveal it (`phases.revealing`
	/// blocks).
	RevealingValidations,
}

impl Phase {
	/// Whether the query is over.
	pub fn is_final(&self) -> bool {
		matches!(self, Phase::Settled | Phase::Expired)
	}
}

/// The verdict of one pairwise comparison.
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
pub enum PairOutcome {
	/// The first candidate is better.
	A,
	/// The second candidate is better.
	B,
	/// Equal.
	Tie,
}

impl PairOutcome {
	/// Whether a judge holding candidate `own` may give this verdict on the pair `(a, b)`:
	/// always when its own candidate is not in the pair, otherwise only to concede (prefer
	/// the other candidate). The call checks it and the worker submits only such verdicts.
	pub fn allowed_for(
		self,
		own: Option<CandidateIndex>,
		a: CandidateIndex,
		b: CandidateIndex,
	) -> bool {
		match own {
			Some(o) if o == a => self == PairOutcome::B,
			Some(o) if o == b => self == PairOutcome::A,
			_ => true,
		}
	}
}

/// One comparison as stored (justifications live in the `Judged` event and the transcript).
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
pub struct PairVerdict {
	/// First candidate.
	pub a: CandidateIndex,
	/// Second candidate.
	pub b: CandidateIndex,
	/// Verdict.
	pub outcome: PairOutcome,
}

/// One comparison as submitted, with its justification.
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
#[scale_info(skip_type_params(MaxLen))]
pub struct Comparison<MaxLen: Get<u32>> {
	/// First candidate.
	pub a: CandidateIndex,
	/// Second candidate.
	pub b: CandidateIndex,
	/// Verdict.
	pub outcome: PairOutcome,
	/// Short justification (written before the verdict, Fortytwo).
	pub justification: BoundedVec<u8, MaxLen>,
}

/// Text feedback on a co-respondent, submitted with a judgement.
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
#[scale_info(skip_type_params(MaxLen))]
pub struct PeerFeedback<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxLen: Get<u32>> {
	/// The respondent it is about.
	pub to: AccountId,
	/// The feedback.
	pub text: BoundedVec<u8, MaxLen>,
}

/// A respondent's state in a query.
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
#[scale_info(skip_type_params(MaxLen))]
pub struct Response<MaxLen: Get<u32>> {
	/// `blake2_256(SCALE(query, account, answer, salt))`.
	pub commitment: Option<H256>,
	/// The revealed (or, after a debate, revised) answer.
	pub answer: Option<BoundedVec<u8, MaxLen>>,
	/// Its candidate once judging opened.
	pub candidate: Option<CandidateIndex>,
	/// Missed the commit or reveal deadline (slashed, no share).
	pub missed: bool,
}

impl<MaxLen: Get<u32>> Default for Response<MaxLen> {
	fn default() -> Self {
		Self { commitment: None, answer: None, candidate: None, missed: false }
	}
}

/// One debate message.
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
#[scale_info(skip_type_params(MaxLen))]
pub struct DebateEntry<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxLen: Get<u32>> {
	/// Its author.
	pub who: AccountId,
	/// The message.
	pub message: BoundedVec<u8, MaxLen>,
	/// Whether the author declares agreement (all agreeing ends the debate).
	pub agrees: bool,
	/// Whether the author revised its answer with this message.
	pub revised: bool,
}

/// One validator's score of the consensus answer.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ValidationEntry<AccountId, Balance> {
	/// The validator.
	pub who: AccountId,
	/// Its score.
	pub score: Percent,
	/// Its stake when it scored (the weight of the score).
	pub stake: Balance,
}

/// The consensus of a query.
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
#[scale_info(skip_type_params(MaxLen, MaxCandidates))]
pub struct Consensus<MaxLen: Get<u32>, MaxCandidates: Get<u32>> {
	/// The winning candidate.
	pub candidate: CandidateIndex,
	/// Its text.
	pub answer: BoundedVec<u8, MaxLen>,
	/// Every candidate's share of the total score (sums to about one).
	pub scores: BoundedVec<Perbill, MaxCandidates>,
	/// The majority-vote candidate on the same answers (for comparison).
	pub majority: CandidateIndex,
	/// Bradley-Terry iterations run (0 for majority vote or a single candidate).
	pub iterations: u32,
	/// Stake-weighted mean validator score, if any validator scored.
	pub quality: Option<Percent>,
}

/// One payment of a settled query.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Payout<AccountId, Balance> {
	/// Who was paid.
	pub who: AccountId,
	/// For what.
	pub role: PayRole,
	/// How much (before the node's commission and its delegators' share).
	pub amount: Balance,
}

/// How a respondent of a settled query did.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct RespondentRecord {
	/// Its candidate (`None`: it revealed no answer).
	pub candidate: Option<CandidateIndex>,
	/// Whether it committed.
	pub committed: bool,
	/// Whether it judged.
	pub judged: bool,
	/// Whether it missed a deadline.
	pub missed: bool,
}

/// What a settled query keeps for readers until `reap`, once its responses, judgements and
/// debate are pruned: the candidates (each cut to `KeptAnswerLen` bytes), how each
/// respondent did (its candidate, commitment, judgement, missed deadline) and every payment.
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
#[scale_info(skip_type_params(MaxRespondents, MaxPayouts, KeptAnswerLen))]
pub struct Outcome<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxRespondents: Get<u32>,
	MaxPayouts: Get<u32>,
	KeptAnswerLen: Get<u32>,
> {
	/// The candidates in judging order, each cut to `KeptAnswerLen` bytes.
	pub candidates: BoundedVec<BoundedVec<u8, KeptAnswerLen>, MaxRespondents>,
	/// How each respondent did, in the order of the query's `respondents`.
	pub respondents: BoundedVec<RespondentRecord, MaxRespondents>,
	/// Every payment, in the order made.
	pub payouts: BoundedVec<Payout<AccountId, Balance>, MaxPayouts>,
}

/// One query contract.
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
#[scale_info(skip_type_params(MaxPrompt, MaxAnswer, MaxRespondents))]
pub struct QueryInfo<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxPrompt: Get<u32>,
	MaxAnswer: Get<u32>,
	MaxRespondents: Get<u32>,
> {
	/// Who pays.
	pub requester: AccountId,
	/// The domain it is addressed to.
	pub domain: DomainId,
	/// The prompt.
	pub prompt: BoundedVec<u8, MaxPrompt>,
	/// The contract's terms.
	pub params: QueryParams<AccountId, BlockNumber>,
	/// Escrowed budget (held until settlement).
	pub budget: Balance,
	/// Storage deposit (held until the record is reaped).
	pub deposit: Balance,
	/// Current phase.
	pub phase: Phase,
	/// When the current phase ends.
	pub deadline: BlockNumber,
	/// When the query was created.
	pub created: BlockNumber,
	/// The coordinator that made the selection (`None` until then, or on automatic selection).
	pub selected_by: Option<AccountId>,
	/// The selected respondents.
	pub respondents: BoundedVec<AccountId, MaxRespondents>,
	/// Actions taken in the current phase (or round).
	pub progress: u8,
	/// Actions that complete the current phase early.
	pub expected: u8,
	/// Running hash of every step (`blake2_256(previous ++ SCALE(step))`).
	pub transcript: H256,
	/// The consensus, once reached.
	pub consensus: Option<Consensus<MaxAnswer, MaxRespondents>>,
	/// When it settled or expired.
	pub finished: Option<BlockNumber>,
}

/// Why an account has work in a query (the pending-work index).
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
pub enum Assignment {
	/// Named coordinator.
	Coordinator,
	/// Selected respondent.
	Respondent,
	/// Extra judge (drawn by stake when judging opened; before spec 12, a volunteer).
	Judge,
	/// Drawn validator.
	Validator,
}

/// Roles paid at settlement (in the `Paid` event).
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
	/// The coordinator's share.
	Coordinator,
	/// A validator's share.
	Validator,
	/// A judge's share.
	Judge,
	/// An answer's share.
	Answer,
}

/// A provider's terms in a domain: what it charges and how much time it needs. Being selected
/// is consent to these terms; work that does not meet them is never assigned.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ProviderTerms<Balance, BlockNumber> {
	/// Price of one answer (paid to a respondent that reveals, whatever the quality).
	pub answer: Balance,
	/// Price of one pairwise comparison (the floor for volunteering as an extra judge).
	pub comparison: Balance,
	/// Price of one validation score (the floor for volunteering as a validator).
	pub validation: Balance,
	/// Shortest committing, revealing, debating or judging phase the provider accepts.
	pub min_phase: BlockNumber,
}

/// A provider's terms in force and, if any, announced terms with the block they apply from
/// (the `terms` runtime API).
pub type TermsView<Balance, BlockNumber> = (
	ProviderTerms<Balance, BlockNumber>,
	Option<(ProviderTerms<Balance, BlockNumber>, BlockNumber)>,
);

/// What a query would cost and who would answer it now (the `quote` runtime API).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct Quote<AccountId, Balance> {
	/// Pay offered per answer: `shares.answers x budget / respondents`.
	pub answer_pay: Balance,
	/// Eligible providers whose terms the query meets, among the `SelectionScan` nodes of its
	/// selection sample now and the domain's leaders.
	pub within_terms: u32,
	/// Who automatic selection would pick if it ran now, with their answer prices.
	pub respondents: alloc::vec::Vec<(AccountId, Balance)>,
	/// The protocol fee burned at creation.
	pub fee: Balance,
	/// The storage deposit held until the record is reaped.
	pub deposit: Balance,
	/// Whether the query's observations count for reputation (answer pay at least the floor).
	pub counts_for_reputation: bool,
}
