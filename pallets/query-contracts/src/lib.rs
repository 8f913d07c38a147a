//! # LLM-Net query-contracts pallet
//!
//! One query = one on-chain contract (PROTOCOL section 4, LLM-Net figure 2).
//!
//! ## Overview
//!
//! A requester calls [`Pallet::create_query`] with a domain, a prompt and the contract's terms
//! ([`QueryParams`]: mode Single / Swarm / Debate, respondents wanted, extra judges, validators,
//! phase lengths, reward shares, answer payout, aggregation, quality threshold, an optional
//! coordinator). The budget is held as escrow ([`HoldReason::Escrow`]) until settlement, plus a
//! storage deposit ([`HoldReason::Deposit`]) until the finished record is reaped.
//!
//! Phases, each with a deadline in blocks ([`Phase`]):
//! 1. **Selecting**: the named coordinator (or, when none is named, one drawn by judgement
//!    reputation and stake among the coordinators whose `min_phase` the phase meets)
//!    [`Pallet::select`]s eligible providers with a rationale; at the deadline, automatic selection by `Answer` reputation x stake with one
//!    exploration slot for low-sample providers and a deterministic tie-break from the relay
//!    chain's randomness ([`RelayRandomness`]) and the query id.
//! 2. **Committing** / 3. **Revealing**: `commit(blake2_256(SCALE(query, account, answer,
//!    salt)))` then `reveal(answer, salt)`. Commitments are bound to the account. Missing
//!    either deadline forfeits the share and slashes [`Config::MissedDeadlineSlash`].
//! 4. **Debating** (Debate mode): one message per respondent per round, optionally revising its
//!    answer; the debate stops early when every message of a round declares agreement.
//! 5. **Judging**: respondents (and `extra_judges` providers drawn by stake) submit
//!    pairwise comparisons over the distinct final answers (the *candidates*) with
//!    justifications, plus text feedback on co-respondents (stored by the reputation pallet).
//!    A comparison involving the judge's own candidate counts only when it prefers the other
//!    candidate (a concession); one that favours or ties its own is refused (self-bias).
//! 6. **Validating** (when validators are wanted): validators drawn by stake-weighted
//!    sortition (not the requester, a respondent or the coordinator, nor linked to the
//!    requester or the coordinator by a delegation) score the consensus answer; the
//!    stake-weighted mean is compared with the quality threshold.
//! 7. **Settled** (or **Expired** when no answer came): reward split through the staking
//!    pallet, reputation updates, refunds; phase texts are pruned, the transcript hash, the
//!    consensus and the events remain.
//!
//! Consensus is the reputation-weighted Bradley-Terry maximum-likelihood fit of [`consensus`]
//! (Newton's method in fixed point, at most [`Config::MaxBtIterations`] steps), or majority vote
//! as a selectable baseline.
//!
//! Deadlines are kept in a per-block schedule processed by `on_initialize` (at most
//! [`Config::MaxDuePerBlock`] transitions per block); anyone may call [`Pallet::advance`] once a
//! deadline has passed. When every expected action of a phase is in, its deadline moves to the
//! next block, so calls stay cheap and transitions happen in the hook. At most
//! `MaxDuePerBlock * SCHEDULE_REACH` queries are open at once ([`OpenQueries`]), so every phase
//! a query enters finds a deadline slot within reach.
//!
//! Off-chain workers find their work through the [`Work`] index (per account: respondents,
//! coordinators, drawn extra judges and drawn validators), never a scan of all queries.
//!
//! ## Invariants (checked by `try_state`, after every unit test)
//! - Held `Escrow` of each requester = the budgets of its unfinished queries; held `Deposit` =
//!   the deposits of all its queries.
//! - `RequesterQueries` and `Queries` agree; every `Work` entry names an unfinished query in
//!   which the account has that role; every schedule entry names an unfinished query whose
//!   deadline is that block, and every unfinished query has its entry at its deadline;
//!   `OpenQueries` counts the unfinished queries and is at most the schedule's capacity.
//! - Finished queries hold no phase texts (responses, debate, candidates, judgements) and no
//!   agreed prices; agreed prices belong to respondents; announced terms apply within
//!   `TermsDelay` and respect `MinPhaseLength`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod calls;
pub mod consensus;
mod invariants;
mod market;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod offchain;
mod phases;
pub mod runtime_api;
mod selection;
mod settlement;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use frame::{
	arithmetic::{FixedU128, Perbill, Percent},
	hashing::H256,
	prelude::*,
	traits::fungible,
};
use llmnet_primitives::{NodeRegistry, Reputation};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::llmnet-query";

// FRAME's pallet macros expand to `expect` calls (storage and metadata plumbing); our own
// code in this module does not use `expect`, and the logic lives in `calls.rs`, `phases.rs`, `selection.rs`, `settlement.rs`.
#[allow(clippy::expect_used)]
#[frame::pallet]
pub mod pallet {
	use super::*;

	/// Balance type of the runtime's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A query record of a runtime.
	pub type QueryInfoOf<T> = QueryInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxPromptLen,
		<T as Config>::MaxAnswerLen,
		<T as Config>::MaxRespondents,
	>;
	/// Query parameters of a runtime.
	pub type QueryParamsOf<T> =
		QueryParams<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A response of a runtime.
	pub type ResponseOf<T> = Response<<T as Config>::MaxAnswerLen>;
	/// An answer text.
	pub type AnswerOf<T> = BoundedVec<u8, <T as Config>::MaxAnswerLen>;
	/// A debate entry of a runtime.
	pub type DebateEntryOf<T> =
		DebateEntry<<T as frame_system::Config>::AccountId, <T as Config>::MaxAnswerLen>;
	/// A submitted comparison.
	pub type ComparisonOf<T> = Comparison<<T as Config>::MaxJustificationLen>;
	/// Submitted feedback.
	pub type PeerFeedbackOf<T> =
		PeerFeedback<<T as frame_system::Config>::AccountId, <T as Config>::MaxFeedbackLen>;
	/// A provider's terms of a runtime.
	pub type ProviderTermsOf<T> = ProviderTerms<BalanceOf<T>, BlockNumberFor<T>>;
	/// A validator's score of a runtime.
	pub type ValidationEntryOf<T> =
		ValidationEntry<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// What a settled query of a runtime keeps until `reap`.
	pub type OutcomeOf<T> = Outcome<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxRespondents,
		MaxPayoutsOf<T>,
		<T as Config>::KeptAnswerLen,
	>;
	/// A payment of a runtime's query.
	pub type PayoutOf<T> = Payout<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

	/// The payments one query can make: an answer and a judgement per respondent, one per
	/// extra judge and validator, and the coordinator's.
	pub struct MaxPayoutsOf<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u32> for MaxPayoutsOf<T> {
		fn get() -> u32 {
			T::MaxRespondents::get()
				.saturating_mul(2)
				.saturating_add(T::MaxExtraJudges::get())
				.saturating_add(T::MaxValidators::get())
				.saturating_add(1)
		}
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency budgets and deposits are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// The staking registry (eligibility, stake, reward split, slashes, assignments).
		type Registry: NodeRegistry<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// Reputations and text feedback.
		type Reputation: Reputation<Self::AccountId, BlockNumberFor<Self>>;
		/// Storage deposit of a query, held until its record is reaped.
		#[pallet::constant]
		type QueryDeposit: Get<BalanceOf<Self>>;
		/// Smallest budget.
		#[pallet::constant]
		type MinBudget: Get<BalanceOf<Self>>;
		/// Longest prompt, in bytes.
		#[pallet::constant]
		type MaxPromptLen: Get<u32>;
		/// Longest answer or debate message, in bytes.
		#[pallet::constant]
		type MaxAnswerLen: Get<u32>;
		/// Bytes of each candidate a settled query keeps for readers until `reap` (the winning
		/// answer stays whole in its consensus; full texts are in the `AnswerRevealed` events).
		#[pallet::constant]
		type KeptAnswerLen: Get<u32>;
		/// Longest justification of a comparison (PROTOCOL: 512).
		#[pallet::constant]
		type MaxJustificationLen: Get<u32>;
		/// Longest coordinator rationale or validator note.
		#[pallet::constant]
		type MaxRationaleLen: Get<u32>;
		/// Longest feedback text (at most the reputation pallet's limit).
		#[pallet::constant]
		type MaxFeedbackLen: Get<u32>;
		/// Most respondents, hence candidates, of a query (at most 255; PROTOCOL: 16).
		#[pallet::constant]
		type MaxRespondents: Get<u32>;
		/// Most extra judges of a query.
		#[pallet::constant]
		type MaxExtraJudges: Get<u32>;
		/// Most validators of a query.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Most comparisons in one judgement (`k (k - 1) / 2` covers every pair).
		#[pallet::constant]
		type MaxComparisons: Get<u32>;
		/// Most debate rounds.
		#[pallet::constant]
		type MaxDebateRounds: Get<u32>;
		/// Shortest phase, in blocks.
		#[pallet::constant]
		type MinPhaseLength: Get<BlockNumberFor<Self>>;
		/// Longest phase, in blocks.
		#[pallet::constant]
		type MaxPhaseLength: Get<BlockNumberFor<Self>>;
		/// Most Newton steps of the Bradley-Terry fit (PROTOCOL said 50 MM iterations; the
		/// Newton fit needs at most 19 on random sparse instances, docs/protocol-choices.md).
		#[pallet::constant]
		type MaxBtIterations: Get<u32>;
		/// Bradley-Terry convergence tolerance: the largest log-score step (a relative change).
		#[pallet::constant]
		type BtTolerance: Get<FixedU128>;
		/// Weight of the virtual win and loss of every candidate (PROTOCOL: 0.1).
		#[pallet::constant]
		type BtPrior: Get<FixedU128>;
		/// Smallest weight of a judge, whatever its judgement reputation.
		#[pallet::constant]
		type JudgeWeightFloor: Get<Perbill>;
		/// Ratio `r` of the geometric rank series.
		#[pallet::constant]
		type RankRatio: Get<Perbill>;
		/// Share of its bond a respondent loses for a missed commit or reveal.
		#[pallet::constant]
		type MissedDeadlineSlash: Get<Perbill>;
		/// Most nodes of a domain a selection pool examines (a uniform sample of the whole
		/// domain from relay randomness), besides the domain's [`Leaders`].
		#[pallet::constant]
		type SelectionScan: Get<u32>;
		/// Most nodes of a domain a committee (extra judges, validators) is drawn from: a
		/// uniform sample of the whole domain from relay randomness. Smaller than
		/// `SelectionScan`: a committee is drawn in the transitions that also settle, and every
		/// node examined costs about ten storage reads of proof.
		#[pallet::constant]
		type CommitteeScan: Get<u32>;
		/// Most providers of a domain kept in its [`Leaders`] index (the best automatic
		/// selection scores, added to every selection pool whatever its sample).
		#[pallet::constant]
		type MaxLeaders: Get<u32>;
		/// Stake at which the stake factor of automatic selection saturates.
		#[pallet::constant]
		type StakeSaturation: Get<BalanceOf<Self>>;
		/// Providers with fewer `Answer` observations than this are "low-sample" (exploration).
		#[pallet::constant]
		type ExplorationBelow: Get<u32>;
		/// Most deadlines scheduled in one block (each is one transition in `on_initialize`).
		#[pallet::constant]
		type MaxDuePerBlock: Get<u32>;
		/// Most queries whose phase completes within one block and moves on at its end
		/// (`on_finalize`); their transitions' weight is registered only while the block has
		/// room, so this bounds the list, not the weight.
		#[pallet::constant]
		type MaxReadyPerBlock: Get<u32>;
		/// Shortest work phase accepted by a provider that declared no terms (a provider's
		/// terms are `0, 0, 0, DefaultMinPhase` until it calls `set_terms`).
		#[pallet::constant]
		type DefaultMinPhase: Get<BlockNumberFor<Self>>;
		/// Blocks before new terms apply (queries quoted now are selected under the old ones).
		#[pallet::constant]
		type TermsDelay: Get<BlockNumberFor<Self>>;
		/// Protocol fee burned from the requester at every `create_query` (never refunded).
		#[pallet::constant]
		type QueryFee: Get<BalanceOf<Self>>;
		/// Highest quality threshold a requester may set.
		#[pallet::constant]
		type MaxQualityThreshold: Get<Percent>;
		/// A query moves reputations only when its pay per answer is at least this.
		#[pallet::constant]
		type ObservationFloor: Get<BalanceOf<Self>>;
		/// Most reputation observations one requester's queries give one provider per
		/// `ObservationPeriod` (AUDIT H8: a requester paying its own providers to rate them).
		#[pallet::constant]
		type MaxPairObservations: Get<u32>;
		/// The period of `MaxPairObservations`, in blocks.
		#[pallet::constant]
		type ObservationPeriod: Get<BlockNumberFor<Self>>;
		/// Requesters counted per provider and period for `MaxPairObservations`; past it, the
		/// first counted requester's count is forgotten.
		#[pallet::constant]
		type MaxRatersPerProvider: Get<u32>;
		/// What the `offchain_worker` hook runs: [`offchain::Worker`] on provider nodes, `()`
		/// to run nothing.
		type OffchainWorker: offchain::OffchainDriver<BlockNumberFor<Self>>;
		/// Weights of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The storage layout version; [`migrations`] takes older layouts to it.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons for holding funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The budget of an unfinished query.
		Escrow,
		/// The storage deposit of a query record.
		Deposit,
	}

	/// The id of the next query.
	#[pallet::storage]
	pub type NextQueryId<T: Config> = StorageValue<_, QueryId, ValueQuery>;

	/// Query contracts (finished ones until reaped).
	#[pallet::storage]
	pub type Queries<T: Config> = StorageMap<_, Twox64Concat, QueryId, QueryInfoOf<T>>;

	/// What each settled query keeps for readers until it is reaped: its candidates, the
	/// candidate each respondent held and every payment (its responses, judgements and debate
	/// are pruned at settlement).
	#[pallet::storage]
	pub type Outcomes<T: Config> = StorageMap<_, Twox64Concat, QueryId, OutcomeOf<T>>;

	/// Queries of each requester.
	#[pallet::storage]
	pub type RequesterQueries<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, QueryId, ()>;

	/// Pending-work index: the unfinished queries each account has a role in.
	#[pallet::storage]
	pub type Work<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, QueryId, Assignment>;

	/// Respondents' commitments and answers (pruned at settlement).
	#[pallet::storage]
	pub type Responses<T: Config> =
		StorageDoubleMap<_, Twox64Concat, QueryId, Blake2_128Concat, T::AccountId, ResponseOf<T>>;

	/// Debate messages by query and round (pruned at settlement).
	#[pallet::storage]
	pub type Debates<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		QueryId,
		Twox64Concat,
		u8,
		BoundedVec<DebateEntryOf<T>, T::MaxRespondents>,
		ValueQuery,
	>;

	/// The distinct final answers of a query in judging (pruned at settlement).
	#[pallet::storage]
	pub type Candidates<T: Config> = StorageMap<
		_,
		Twox64Concat,
		QueryId,
		BoundedVec<AnswerOf<T>, T::MaxRespondents>,
		ValueQuery,
	>;

	/// Judgements by query and judge (verdicts only; pruned at settlement).
	#[pallet::storage]
	pub type Judgements<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		QueryId,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<PairVerdict, T::MaxComparisons>,
	>;

	/// Judges' commitments to their judgements, by query and judge (pruned at settlement).
	#[pallet::storage]
	pub type JudgementCommitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, QueryId, Blake2_128Concat, T::AccountId, H256>;

	/// Extra judges drawn by stake when judging opened (pruned at settlement); before spec 12,
	/// the providers that volunteered first.
	#[pallet::storage]
	pub type ExtraJudges<T: Config> = StorageMap<
		_,
		Twox64Concat,
		QueryId,
		BoundedVec<T::AccountId, T::MaxExtraJudges>,
		ValueQuery,
	>;

	/// The validators drawn to score a query (pruned at settlement).
	#[pallet::storage]
	pub type DrawnValidators<T: Config> = StorageMap<
		_,
		Twox64Concat,
		QueryId,
		BoundedVec<T::AccountId, T::MaxValidators>,
		ValueQuery,
	>;

	/// Per provider, the requesters whose queries gave it reputation observations in the
	/// current period, with the period's index and the count (`MaxPairObservations`); entries
	/// of earlier periods are dropped when the provider is next observed.
	#[pallet::storage]
	pub type PairObservations<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<(T::AccountId, u32, u32), T::MaxRatersPerProvider>,
		ValueQuery,
	>;

	/// Drawn validators' commitments to their scores, by query and validator (pruned at
	/// settlement).
	#[pallet::storage]
	pub type ValidationCommitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, QueryId, Blake2_128Concat, T::AccountId, H256>;

	/// Validators' scores (pruned at settlement).
	#[pallet::storage]
	pub type Validations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		QueryId,
		BoundedVec<ValidationEntryOf<T>, T::MaxValidators>,
		ValueQuery,
	>;

	/// Providers' terms by domain, in force (absent: `0, 0, 0, DefaultMinPhase`).
	#[pallet::storage]
	pub type Terms<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DomainId,
		ProviderTermsOf<T>,
	>;

	/// Announced terms and the block from which they apply (then they replace `Terms`).
	#[pallet::storage]
	pub type PendingTerms<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DomainId,
		(ProviderTermsOf<T>, BlockNumberFor<T>),
	>;

	/// The answer price each respondent agreed to when selected (pruned at settlement).
	#[pallet::storage]
	pub type AgreedPrices<T: Config> =
		StorageDoubleMap<_, Twox64Concat, QueryId, Blake2_128Concat, T::AccountId, BalanceOf<T>>;

	/// Queries whose phase received all its expected actions in this block, with that phase:
	/// they move on at the end of the block (`on_finalize`) rather than a block later (issue
	/// 18: one block per phase). At most `MaxReadyPerBlock`; the rest move on in the next
	/// block's `on_initialize`. Empty between blocks.
	#[pallet::storage]
	pub type Ready<T: Config> =
		StorageValue<_, BoundedVec<(QueryId, Phase), T::MaxReadyPerBlock>, ValueQuery>;

	/// How many queries are open (neither settled, expired nor cancelled). At most
	/// `MaxDuePerBlock * SCHEDULE_REACH`: each open query holds one deadline in the schedule,
	/// so every phase a query enters then finds a slot within reach.
	#[pallet::storage]
	pub type OpenQueries<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Randomness from the relay chain, noted once per block by the runtime from the relay
	/// state proof that parachain-system has verified (see [`Pallet::note_relay_randomness`]).
	/// Every draw of the pallet (selection samples, tie-breaks, exploration, validator and
	/// coordinator sortition) is seeded from it ([`Pallet::draw_seed`]), so no collator can
	/// grind a draw by choosing what its block contains. `None` on a chain without a relay
	/// chain (unit tests): draws then fall back to the parent hash.
	#[pallet::storage]
	pub type RelayRandomness<T: Config> = StorageValue<_, [u8; 32], OptionQuery>;

	/// Per domain, the providers with the best automatic-selection scores
	/// ([`Pallet::selection_score`]: `Answer` reputation x stake factor) as of their last
	/// update, highest first, at most `MaxLeaders`. Every selection pool (automatic and the
	/// coordinator's) holds them besides its sample of `SelectionScan` nodes, so the best of a
	/// domain of any size are considered for every query (AUDIT H7; issue 16's candidate
	/// index). A provider's entry is updated when its `Answer` reputation is observed and when
	/// it announces terms; every automatic selection refreshes all entries (current
	/// reputation, stake and eligibility) and drops those no longer eligible.
	#[pallet::storage]
	pub type Leaders<T: Config> = StorageMap<
		_,
		Twox64Concat,
		DomainId,
		BoundedVec<(T::AccountId, u128), T::MaxLeaders>,
		ValueQuery,
	>;

	/// Deadlines by block.
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<QueryId, T::MaxDuePerBlock>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A query contract was written.
		QueryCreated {
			/// The query.
			query: QueryId,
			/// Who pays.
			requester: T::AccountId,
			/// Its domain.
			domain: DomainId,
			/// Its mode.
			mode: Mode,
			/// Escrowed budget.
			budget: BalanceOf<T>,
			/// The prompt.
			prompt: BoundedVec<u8, T::MaxPromptLen>,
			/// End of the selection phase.
			deadline: BlockNumberFor<T>,
			/// Protocol fee burned.
			fee: BalanceOf<T>,
		},
		/// A query that named no coordinator got one drawn (it selects like a named one).
		CoordinatorDrawn {
			/// The query.
			query: QueryId,
			/// The coordinator.
			coordinator: T::AccountId,
		},
		/// A provider announced new terms for a domain.
		TermsAnnounced {
			/// The provider.
			who: T::AccountId,
			/// The domain.
			domain: DomainId,
			/// The terms.
			terms: ProviderTermsOf<T>,
			/// First block they apply in.
			from: BlockNumberFor<T>,
		},
		/// The requester cancelled a query before selection (everything refunded).
		QueryCancelled {
			/// The query.
			query: QueryId,
		},
		/// Respondents were selected.
		RespondentsSelected {
			/// The query.
			query: QueryId,
			/// The coordinator (`None`: automatic selection).
			by: Option<T::AccountId>,
			/// The respondents.
			respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
			/// The coordinator's rationale (empty for automatic selection).
			rationale: BoundedVec<u8, T::MaxRationaleLen>,
		},
		/// A query entered a phase.
		PhaseChanged {
			/// The query.
			query: QueryId,
			/// The new phase.
			phase: Phase,
			/// Its deadline.
			deadline: BlockNumberFor<T>,
		},
		/// A respondent committed.
		AnswerCommitted {
			/// The query.
			query: QueryId,
			/// The respondent.
			who: T::AccountId,
			/// The commitment.
			commitment: H256,
		},
		/// A respondent revealed its answer.
		AnswerRevealed {
			/// The query.
			query: QueryId,
			/// The respondent.
			who: T::AccountId,
			/// The answer.
			answer: AnswerOf<T>,
		},
		/// A debate message was posted.
		DebatePosted {
			/// The query.
			query: QueryId,
			/// The round.
			round: u8,
			/// The respondent.
			who: T::AccountId,
			/// The message.
			message: AnswerOf<T>,
			/// Its revised answer, if any.
			revised_answer: Option<AnswerOf<T>>,
			/// Whether it declares agreement.
			agrees: bool,
		},
		/// A judge committed to its judgement (revealed in `RevealingJudgements`).
		JudgementCommitted {
			/// The query.
			query: QueryId,
			/// The judge.
			judge: T::AccountId,
			/// `blake2_256(SCALE((query, judge, comparisons, feedback, salt)))`.
			commitment: H256,
		},
		/// A judge revealed its comparisons (with justifications).
		Judged {
			/// The query.
			query: QueryId,
			/// The judge.
			judge: T::AccountId,
			/// Its comparisons.
			comparisons: BoundedVec<ComparisonOf<T>, T::MaxComparisons>,
		},
		/// A drawn validator committed to its score (revealed in `RevealingValidations`).
		ValidationCommitted {
			/// The query.
			query: QueryId,
			/// The validator.
			validator: T::AccountId,
			/// `blake2_256(SCALE((query, validator, score, note, salt)))`.
			commitment: H256,
		},
		/// A validator revealed its score of the consensus answer.
		Validated {
			/// The query.
			query: QueryId,
			/// The validator.
			validator: T::AccountId,
			/// Its score.
			score: Percent,
			/// Its note.
			note: BoundedVec<u8, T::MaxRationaleLen>,
		},
		/// The consensus was computed.
		ConsensusReached {
			/// The query.
			query: QueryId,
			/// The winning candidate.
			candidate: CandidateIndex,
			/// Its text.
			answer: AnswerOf<T>,
			/// Candidates' score shares.
			scores: BoundedVec<Perbill, T::MaxRespondents>,
			/// The majority-vote candidate on the same answers.
			majority: CandidateIndex,
			/// Bradley-Terry iterations run.
			iterations: u32,
		},
		/// A participant was paid (through the staking pallet's reward split).
		Paid {
			/// The query.
			query: QueryId,
			/// The participant.
			who: T::AccountId,
			/// For what.
			role: PayRole,
			/// Amount (node and delegators together).
			amount: BalanceOf<T>,
		},
		/// A respondent missed a commit or reveal deadline and was slashed.
		DeadlineMissed {
			/// The query.
			query: QueryId,
			/// The respondent.
			who: T::AccountId,
			/// Own bond and delegations slashed together.
			slashed: BalanceOf<T>,
		},
		/// A query settled.
		QuerySettled {
			/// The query.
			query: QueryId,
			/// Total paid to participants.
			paid: BalanceOf<T>,
			/// Returned to the requester.
			refunded: BalanceOf<T>,
			/// Final transcript hash.
			transcript: H256,
		},
		/// A query ended without any answer; the budget returned to the requester.
		QueryExpired {
			/// The query.
			query: QueryId,
			/// Returned to the requester.
			refunded: BalanceOf<T>,
		},
		/// A finished query's record was removed and its deposit returned.
		QueryReaped {
			/// The query.
			query: QueryId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain is not active or does not exist.
		InactiveDomain,
		/// The prompt is empty.
		EmptyPrompt,
		/// The budget is below `MinBudget`.
		BudgetTooLow,
		/// Respondents wanted is 0, above `MaxRespondents`, or not 1 in Single mode.
		BadRespondentCount,
		/// Extra judges above `MaxExtraJudges` (or any in Single mode).
		TooManyExtraJudges,
		/// Validators above `MaxValidators`.
		TooManyValidators,
		/// Debate rounds are 0 or above `MaxDebateRounds`.
		BadDebateRounds,
		/// A phase length is outside `[MinPhaseLength, MaxPhaseLength]`.
		BadPhaseLength,
		/// The reward shares add up to more than the whole budget.
		SharesExceedBudget,
		/// The named coordinator is not an eligible coordinator in the domain.
		CoordinatorNotEligible,
		/// No such query.
		UnknownQuery,
		/// Only the requester may do this.
		NotRequester,
		/// The query is not in the phase this call needs.
		WrongPhase,
		/// Only the named coordinator may select.
		NotCoordinator,
		/// The number of respondents differs from what the contract wants.
		WrongRespondentCount,
		/// An account appears twice.
		DuplicateRespondent,
		/// A selected account is not an eligible provider in the domain.
		RespondentNotEligible,
		/// The requester cannot answer its own query.
		RequesterSelected,
		/// The caller is not a respondent of the query.
		NotRespondent,
		/// Already committed.
		AlreadyCommitted,
		/// No commitment to reveal.
		NotCommitted,
		/// Already revealed.
		AlreadyRevealed,
		/// The answer and salt do not match the commitment.
		CommitmentMismatch,
		/// The answer (or a message) is empty.
		EmptyAnswer,
		/// Not the current debate round.
		WrongRound,
		/// The caller already posted in this debate round; wait for the next round.
		AlreadyDebated,
		/// The caller already committed to (or revealed) a judgement of this query.
		AlreadyJudged,
		/// No judgement commitment of the caller to reveal.
		JudgementNotCommitted,
		/// The revealed judgement and salt do not match the commitment.
		JudgementMismatch,
		/// The caller already scored this query (one score per validator).
		AlreadyValidated,
		/// No score commitment of the caller to reveal.
		ValidationNotCommitted,
		/// The revealed score, note and salt do not match the commitment.
		ValidationMismatch,
		/// The debate round already holds a message from every respondent.
		DebateRoundFull,
		/// More comparisons than `MaxComparisons`.
		TooManyComparisons,
		/// The caller has no answer in the query (missed, or not revealed).
		NoAnswer,
		/// A comparison names a candidate that does not exist.
		UnknownCandidate,
		/// A comparison compares a candidate with itself.
		SelfComparison,
		/// A comparison involves the judge's own candidate and does not prefer the other one
		/// (a respondent may only concede).
		OwnCandidate,
		/// The same pair is compared twice.
		DuplicatePair,
		/// Feedback names someone who is not a co-respondent (or the judge itself).
		BadFeedbackTarget,
		/// The caller is neither a respondent nor a drawn extra judge of this query.
		CannotJudge,
		/// The caller was not drawn to validate this query.
		CannotValidate,
		/// The deadline of the current phase has not passed.
		DeadlineNotReached,
		/// The query is finished.
		QueryFinished,
		/// The query is not finished.
		QueryNotFinished,
		/// Fewer eligible providers than respondents wanted accept the query's terms (pay per
		/// answer at or above their price and above zero, phases at least their `min_phase`).
		NoProvidersWithinTerms,
		/// A selected provider does not accept the query's pay or phase lengths.
		TermsNotMet,
		/// The quality threshold is above `MaxQualityThreshold`.
		QualityThresholdTooHigh,
		/// Two feedback entries name the same respondent.
		DuplicateFeedback,
		/// Only an eligible provider of the domain may set terms there.
		NotProvider,
		/// As many queries are open as the deadline schedule holds (`MaxDuePerBlock` per block
		/// over `SCHEDULE_REACH` blocks), or no block within reach has room for another
		/// deadline; try again when some have settled.
		ScheduleFull,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// `on_finalize` reads and clears `Ready`; the transitions it runs were accounted by
			// the calls that completed their phases.
			Self::process_schedule(now).saturating_add(T::DbWeight::get().reads_writes(1, 1))
		}

		fn on_finalize(now: BlockNumberFor<T>) {
			Self::process_ready(now);
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			<T::OffchainWorker as offchain::OffchainDriver<_>>::run(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxRespondents::get() >= 1 && T::MaxRespondents::get() <= 255);
			assert!(T::MaxExtraJudges::get() <= 255 && T::MaxValidators::get() <= 255);
			assert!(T::MaxDebateRounds::get() <= 255 && T::MaxDuePerBlock::get() >= 1);
			assert!(T::MinPhaseLength::get() >= One::one());
			assert!(T::MinPhaseLength::get() <= T::MaxPhaseLength::get());
			assert!(T::MaxRatersPerProvider::get() >= 1 && T::MaxPairObservations::get() >= 1);
			assert!(!T::ObservationPeriod::get().is_zero());
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Write a query contract. Holds `budget` as escrow and [`Config::QueryDeposit`]; the
		/// selection phase starts now.
		///
		/// - Origin: signed (the requester; needs `budget` + `QueryDeposit` free).
		/// - Errors: `InactiveDomain`, `EmptyPrompt`, `BudgetTooLow`, `BadRespondentCount`,
		///   `TooManyExtraJudges`, `TooManyValidators`, `BadDebateRounds`, `BadPhaseLength`,
		///   `SharesExceedBudget`, `QualityThresholdTooHigh`, `CoordinatorNotEligible`,
		///   `NoProvidersWithinTerms`, `ScheduleFull`; arithmetic overflow of the query id; the
		///   requester cannot pay `QueryFee` (burned) on top.
		/// - Event: `QueryCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_query().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn create_query(
			origin: OriginFor<T>,
			domain: DomainId,
			prompt: BoundedVec<u8, T::MaxPromptLen>,
			params: QueryParamsOf<T>,
			budget: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let want =
				frame_system::Pallet::<T>::block_number().saturating_add(params.phases.selecting);
			let id = Self::do_create_query(who, domain, prompt, params, budget)?;
			let placed = Queries::<T>::get(id).map(|q| q.deadline);
			let probes = llmnet_primitives::schedule::probes(want, placed);
			Ok(Self::with_probes(T::WeightInfo::create_query(), probes))
		}

		/// Cancel a query still in selection: budget and deposit return, the record goes.
		///
		/// - Origin: signed, the requester.
		/// - Errors: `UnknownQuery`, `NotRequester`, `WrongPhase` (only in selection).
		/// - Event: `QueryCancelled`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, query: QueryId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(&who, query)
		}

		/// The named coordinator selects exactly the wanted number of eligible providers.
		///
		/// - Origin: signed, the named coordinator.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `NotCoordinator`, `WrongRespondentCount`,
		///   `DuplicateRespondent`, `RequesterSelected`, `RespondentNotEligible`, `TermsNotMet`.
		/// - Event: `RespondentsSelected`, `PhaseChanged`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::select(respondents.len() as u32).saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn select(
			origin: OriginFor<T>,
			query: QueryId,
			respondents: BoundedVec<T::AccountId, T::MaxRespondents>,
			rationale: BoundedVec<u8, T::MaxRationaleLen>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let base = T::WeightInfo::select(respondents.len() as u32);
			let probes = Self::do_select(&who, query, respondents, rationale)?;
			Ok(Self::with_probes(base, probes))
		}

		/// Commit to an answer: `blake2_256(SCALE((query, account, answer, salt)))`.
		///
		/// - Origin: signed, a respondent.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `NotRespondent`, `AlreadyCommitted`.
		/// - Event: `AnswerCommitted` (the phase ends in the next block once every respondent
		///   committed).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn commit(
			origin: OriginFor<T>,
			query: QueryId,
			commitment: H256,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_commit(&who, query, commitment)?;
			Ok(Self::with_probes(T::WeightInfo::commit(), probes))
		}

		/// Reveal the committed answer.
		///
		/// - Origin: signed, a respondent that committed.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `NotRespondent`, `NotCommitted`, `AlreadyRevealed`,
		///   `EmptyAnswer`, `CommitmentMismatch`.
		/// - Event: `AnswerRevealed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn reveal(
			origin: OriginFor<T>,
			query: QueryId,
			answer: AnswerOf<T>,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_reveal(&who, query, answer, salt)?;
			Ok(Self::with_probes(T::WeightInfo::reveal(), probes))
		}

		/// Post this round's debate message, optionally revising the answer.
		///
		/// - Origin: signed, a respondent with a revealed answer.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `WrongRound`, `NotRespondent`, `NoAnswer`,
		///   `EmptyAnswer`, `AlreadyDebated`, `DebateRoundFull`.
		/// - Event: `DebatePosted`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::debate().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn debate(
			origin: OriginFor<T>,
			query: QueryId,
			round: u8,
			message: AnswerOf<T>,
			revised_answer: Option<AnswerOf<T>>,
			agrees: bool,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_debate(&who, query, round, message, revised_answer, agrees)?;
			Ok(Self::with_probes(T::WeightInfo::debate(), probes))
		}

		/// Reveal a judgement committed in `Judging`: pairwise comparisons of the candidates
		/// and feedback on co-respondents, with the commitment's salt.
		///
		/// - Origin: signed, a judge with a commitment in this query.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `JudgementNotCommitted`, `AlreadyJudged`,
		///   `JudgementMismatch`, `NoAnswer`, `UnknownCandidate`, `SelfComparison`,
		///   `OwnCandidate`, `DuplicatePair`, `BadFeedbackTarget`, `DuplicateFeedback`,
		///   `TooManyComparisons`.
		/// - Event: `Judged` (feedback goes to the reputation pallet).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::judge(comparisons.len() as u32, feedback.len() as u32).saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn judge(
			origin: OriginFor<T>,
			query: QueryId,
			comparisons: BoundedVec<ComparisonOf<T>, T::MaxComparisons>,
			feedback: BoundedVec<PeerFeedbackOf<T>, T::MaxRespondents>,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let base = T::WeightInfo::judge(comparisons.len() as u32, feedback.len() as u32);
			let probes = Self::do_judge(&who, query, comparisons, feedback, salt)?;
			Ok(Self::with_probes(base, probes))
		}

		/// Commit to a judgement of the candidates (sealed; AUDIT M6): the hash
		/// [`Pallet::judgement_commitment_of`] of the comparisons, the feedback and a salt,
		/// revealed with `judge` in `RevealingJudgements`. Respondents with a candidate judge,
		/// and the extra judges drawn when judging opened (see `ExtraJudges`).
		///
		/// - Origin: signed, a respondent with a candidate or a drawn extra judge.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `AlreadyJudged`, `NoAnswer`, `CannotJudge`.
		/// - Event: `JudgementCommitted`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::commit_judgement().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn commit_judgement(
			origin: OriginFor<T>,
			query: QueryId,
			commitment: H256,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_commit_judgement(&who, query, commitment)?;
			Ok(Self::with_probes(T::WeightInfo::commit_judgement(), probes))
		}

		/// Reveal a score of the consensus answer (0..100 %) with a note, committed in
		/// `Validating`, with the commitment's salt.
		///
		/// - Origin: signed, a drawn validator with a commitment in this query.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `ValidationNotCommitted`,
		///   `AlreadyValidated`, `ValidationMismatch`, `CannotValidate`.
		/// - Event: `Validated`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::validate().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn validate(
			origin: OriginFor<T>,
			query: QueryId,
			score: Percent,
			note: BoundedVec<u8, T::MaxRationaleLen>,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_validate(&who, query, score, note, salt)?;
			Ok(Self::with_probes(T::WeightInfo::validate(), probes))
		}

		/// A drawn validator commits to its score of the consensus answer (sealed): the hash
		/// [`Pallet::validation_commitment_of`] of the score, the note and a salt, revealed
		/// with `validate` in `RevealingValidations`.
		///
		/// - Origin: signed, a validator drawn for the query when its validation opened.
		/// - Errors: `UnknownQuery`, `WrongPhase`, `AlreadyValidated`, `CannotValidate`.
		/// - Event: `ValidationCommitted`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::commit_validation().saturating_add(Pallet::<T>::schedule_weight()))]
		pub fn commit_validation(
			origin: OriginFor<T>,
			query: QueryId,
			commitment: H256,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let probes = Self::do_commit_validation(&who, query, commitment)?;
			Ok(Self::with_probes(T::WeightInfo::commit_validation(), probes))
		}

		/// Anyone: run the transition of a query whose phase deadline has passed.
		///
		/// - Origin: signed, anyone.
		/// - Errors: `UnknownQuery`, `QueryFinished`, `DeadlineNotReached`.
		/// - Event: those of the transition (`PhaseChanged`, `ConsensusReached`, `Paid`,
		///   `QuerySettled`, `QueryExpired`, `DeadlineMissed`).
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::transition_weight())]
		pub fn advance(origin: OriginFor<T>, query: QueryId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_advance(query)
		}

		/// Announce `terms` for `domain`; they apply from `TermsDelay` blocks on, replacing any
		/// terms announced before (open queries keep the prices agreed at selection).
		///
		/// - Origin: signed, an eligible provider of `domain`.
		/// - Errors: `NotProvider`, `BadPhaseLength` (`min_phase` outside the phase bounds).
		/// - Event: `TermsAnnounced`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_terms())]
		pub fn set_terms(
			origin: OriginFor<T>,
			domain: DomainId,
			terms: ProviderTermsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_terms(&who, domain, terms)
		}

		/// The requester removes a finished query's record and gets its deposit back.
		///
		/// - Origin: signed, the requester.
		/// - Errors: `UnknownQuery`, `NotRequester`, `QueryNotFinished`.
		/// - Event: `QueryReaped`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::reap())]
		pub fn reap(origin: OriginFor<T>, query: QueryId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reap(&who, query)
		}
	}
}
