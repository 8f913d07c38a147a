//! Runtime API of the query-contracts pallet, for front ends and off-chain workers
//! (`api.call.llmnetQueryApi.*` in polkadot.js, decorated from metadata).

use crate::{
	pallet::{
		BalanceOf, Candidates, ComparisonOf, Config, Debates, ExtraJudges, JudgementCommitments,
		Judgements, Outcomes, PeerFeedbackOf, PendingTerms, Queries, RequesterQueries, Responses,
		ValidationCommitments, Validations, Work,
	},
	types::*,
	Pallet,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame::{arithmetic::Percent, hashing::H256, prelude::*};
use scale_info::TypeInfo;

/// What an account is expected to do next in a query.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum Action {
	/// Select the respondents (named coordinator).
	Select,
	/// Commit to an answer.
	Commit,
	/// Reveal the committed answer.
	Reveal,
	/// Post a message in this debate round.
	Debate {
		/// The round.
		round: u8,
	},
	/// Compare the candidates and commit to the judgement (respondent, or volunteering extra
	/// judge).
	Judge,
	/// Score the consensus answer and commit to the score (validator).
	Validate,
	/// Reveal the committed judgement.
	RevealJudgement,
	/// Reveal the committed score (validator).
	RevealValidation,
}

/// One piece of pending work.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct WorkItem<BlockNumber> {
	/// The query.
	pub query: QueryId,
	/// What to do.
	pub action: Action,
	/// Until when.
	pub deadline: BlockNumber,
}

/// A respondent as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct RespondentView<AccountId> {
	/// The account.
	pub account: AccountId,
	/// Whether it committed.
	pub committed: bool,
	/// Its revealed (or revised) answer; once settled, the text of its candidate as kept
	/// (`Config::KeptAnswerLen` bytes).
	pub answer: Option<Vec<u8>>,
	/// Its candidate once judging opened (kept after settlement).
	pub candidate: Option<CandidateIndex>,
	/// Whether it judged.
	pub judged: bool,
	/// Whether it missed a deadline.
	pub missed: bool,
}

/// One debate message.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct DebateView<AccountId> {
	/// The round.
	pub round: u8,
	/// Its author.
	pub who: AccountId,
	/// The message.
	pub message: Vec<u8>,
	/// Whether it declares agreement.
	pub agrees: bool,
	/// Whether the author revised its answer.
	pub revised: bool,
}

/// The consensus as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ConsensusView {
	/// The winning candidate.
	pub candidate: CandidateIndex,
	/// Its text.
	pub answer: Vec<u8>,
	/// Candidates' score shares in parts per billion.
	pub scores: Vec<u32>,
	/// The majority-vote candidate.
	pub majority: CandidateIndex,
	/// Bradley-Terry iterations.
	pub iterations: u32,
	/// Stake-weighted validator score.
	pub quality: Option<Percent>,
}

/// A query as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct QueryView<AccountId, Balance, BlockNumber> {
	/// Its id.
	pub id: QueryId,
	/// Who pays.
	pub requester: AccountId,
	/// Domain.
	pub domain: DomainId,
	/// The prompt.
	pub prompt: Vec<u8>,
	/// The terms.
	pub params: QueryParams<AccountId, BlockNumber>,
	/// Escrowed budget.
	pub budget: Balance,
	/// Current phase.
	pub phase: Phase,
	/// Its deadline.
	pub deadline: BlockNumber,
	/// Creation block.
	pub created: BlockNumber,
	/// End block, once finished.
	pub finished: Option<BlockNumber>,
	/// The coordinator that selected, if any.
	pub selected_by: Option<AccountId>,
	/// Respondents and their progress.
	pub respondents: Vec<RespondentView<AccountId>>,
	/// Extra judges drawn when judging opened.
	pub extra_judges: Vec<AccountId>,
	/// Validators' scores so far.
	pub validations: Vec<(AccountId, Percent)>,
	/// Candidates (distinct final answers) from judging on; once settled, as kept
	/// (`Config::KeptAnswerLen` bytes each).
	pub candidates: Vec<Vec<u8>>,
	/// Every payment, once settled (kept until `reap`).
	pub payouts: Vec<Payout<AccountId, Balance>>,
	/// Debate messages, in order.
	pub debate: Vec<DebateView<AccountId>>,
	/// Running transcript hash.
	pub transcript: H256,
	/// The consensus, once reached.
	pub consensus: Option<ConsensusView>,
}

frame::deps::sp_api::decl_runtime_apis! {
	/// Read access to LLM-Net query contracts.
	pub trait LlmnetQueryApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// A query with its phase, participants, transcript and consensus.
		fn query(id: QueryId) -> Option<QueryView<AccountId, Balance, BlockNumber>>;
		/// The work pending for `who` (what its off-chain worker should do).
		fn pending_work(who: AccountId) -> Vec<WorkItem<BlockNumber>>;
		/// Ids of `requester`'s queries, newest first, from `offset`, at most `limit`.
		fn queries_of(requester: AccountId, offset: u32, limit: u32) -> Vec<QueryId>;
		/// The commitment a respondent must submit for `answer` with `salt`.
		fn commitment(id: QueryId, who: AccountId, answer: Vec<u8>, salt: [u8; 32]) -> H256;
		/// The commitment judge `who` must submit (`commit_judgement`) for `comparisons`
		/// `(a, b, outcome, justification)` and `feedback` `(to, text)` with `salt`; `None` when
		/// they do not fit the `judge` call's bounds.
		fn judgement_commitment(
			id: QueryId,
			who: AccountId,
			comparisons: Vec<(CandidateIndex, CandidateIndex, PairOutcome, Vec<u8>)>,
			feedback: Vec<(AccountId, Vec<u8>)>,
			salt: [u8; 32],
		) -> Option<H256>;
		/// The commitment validator `who` must submit (`commit_validation`) for `score` and
		/// `note` with `salt`.
		fn validation_commitment(
			id: QueryId,
			who: AccountId,
			score: Percent,
			note: Vec<u8>,
			salt: [u8; 32],
		) -> H256;
		/// The terms of `who` in `domain` in force now, and any announced terms with the block
		/// they apply from.
		fn terms(who: AccountId, domain: DomainId) -> TermsView<Balance, BlockNumber>;
		/// What `create_query(domain, _, params, budget)` by `requester` would cost and who
		/// would answer it if selected now, or the error it would fail with.
		fn quote(
			requester: AccountId,
			domain: DomainId,
			params: QueryParams<AccountId, BlockNumber>,
			budget: Balance,
		) -> Result<Quote<AccountId, Balance>, frame::deps::sp_runtime::DispatchError>;
	}
}

impl<T: Config> Pallet<T> {
	/// [`Pallet::judgement_commitment_of`] for the runtime API's plain lists; `None` when they
	/// do not fit the `judge` call's bounds.
	pub fn judgement_commitment_view(
		id: QueryId,
		who: T::AccountId,
		comparisons: Vec<(CandidateIndex, CandidateIndex, PairOutcome, Vec<u8>)>,
		feedback: Vec<(T::AccountId, Vec<u8>)>,
		salt: [u8; 32],
	) -> Option<H256> {
		let comparisons: Vec<ComparisonOf<T>> = comparisons
			.into_iter()
			.map(|(a, b, outcome, j)| {
				Some(Comparison { a, b, outcome, justification: j.try_into().ok()? })
			})
			.collect::<Option<_>>()?;
		let feedback: Vec<PeerFeedbackOf<T>> = feedback
			.into_iter()
			.map(|(to, text)| Some(PeerFeedback { to, text: text.try_into().ok()? }))
			.collect::<Option<_>>()?;
		if comparisons.len() > T::MaxComparisons::get() as usize
			|| feedback.len() > T::MaxRespondents::get() as usize
		{
			return None;
		}
		Some(Self::judgement_commitment_of(id, &who, &comparisons, &feedback, &salt))
	}

	/// The view of query `id`.
	pub fn query_view(
		id: QueryId,
	) -> Option<QueryView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let q = Queries::<T>::get(id)?;
		// A settled query's responses are pruned; what it keeps is in `Outcomes`.
		let kept = Outcomes::<T>::get(id);
		let respondents = q
			.respondents
			.iter()
			.enumerate()
			.map(|(i, a)| {
				let (r, answer) = match &kept {
					Some(o) => {
						let r = o.respondents.get(i).copied().unwrap_or_default();
						let text = r.candidate.and_then(|c| o.candidates.get(usize::from(c)));
						(r, text.map(|t| t.to_vec()))
					}
					None => {
						let response = Responses::<T>::get(id, a).unwrap_or_default();
						let r = Self::respondent_record(id, a, &response);
						(r, response.answer.map(|x| x.into_inner()))
					}
				};
				RespondentView {
					account: a.clone(),
					committed: r.committed,
					answer,
					candidate: r.candidate,
					judged: r.judged,
					missed: r.missed,
				}
			})
			.collect();
		let mut debate: Vec<DebateView<T::AccountId>> = Debates::<T>::iter_prefix(id)
			.flat_map(|(round, log)| {
				log.into_iter().map(move |e| DebateView {
					round,
					who: e.who,
					message: e.message.into_inner(),
					agrees: e.agrees,
					revised: e.revised,
				})
			})
			.collect();
		debate.sort_by_key(|d| d.round);
		Some(QueryView {
			id,
			requester: q.requester,
			domain: q.domain,
			prompt: q.prompt.into_inner(),
			params: q.params,
			budget: q.budget,
			phase: q.phase,
			deadline: q.deadline,
			created: q.created,
			finished: q.finished,
			selected_by: q.selected_by,
			respondents,
			extra_judges: ExtraJudges::<T>::get(id).into_inner(),
			validations: Validations::<T>::get(id).into_iter().map(|v| (v.who, v.score)).collect(),
			candidates: match &kept {
				Some(o) => o.candidates.iter().map(|c| c.to_vec()).collect(),
				None => Candidates::<T>::get(id).into_iter().map(|c| c.into_inner()).collect(),
			},
			payouts: kept.map(|o| o.payouts.into_inner()).unwrap_or_default(),
			debate,
			transcript: q.transcript,
			consensus: q.consensus.map(|c| ConsensusView {
				candidate: c.candidate,
				answer: c.answer.into_inner(),
				scores: c.scores.iter().map(|s| s.deconstruct()).collect(),
				majority: c.majority,
				iterations: c.iterations,
				quality: c.quality,
			}),
		})
	}

	/// What `who` should do now: its assignments (answers, selections, and the judgements
	/// and validations it was drawn for) in deadline order.
	pub fn pending_work(who: T::AccountId) -> Vec<WorkItem<BlockNumberFor<T>>> {
		let mut out = Vec::new();
		for (id, role) in Work::<T>::iter_prefix(&who) {
			let Some(q) = Queries::<T>::get(id) else { continue };
			let r = Responses::<T>::get(id, &who).unwrap_or_default();
			let action = match (q.phase, role) {
				(Phase::Selecting, Assignment::Coordinator) => Some(Action::Select),
				(Phase::Committing, Assignment::Respondent) if r.commitment.is_none() => {
					Some(Action::Commit)
				}
				(Phase::Revealing, Assignment::Respondent)
					if r.commitment.is_some() && r.answer.is_none() =>
				{
					Some(Action::Reveal)
				}
				(Phase::Debating { round }, Assignment::Respondent)
					if r.answer.is_some()
						&& !Debates::<T>::get(id, round).iter().any(|e| e.who == who) =>
				{
					Some(Action::Debate { round })
				}
				(Phase::Judging, Assignment::Respondent | Assignment::Judge)
					if (role == Assignment::Judge || r.candidate.is_some())
						&& !JudgementCommitments::<T>::contains_key(id, &who)
						&& !Judgements::<T>::contains_key(id, &who) =>
				{
					Some(Action::Judge)
				}
				(Phase::RevealingJudgements, Assignment::Respondent | Assignment::Judge)
					if JudgementCommitments::<T>::contains_key(id, &who)
						&& !Judgements::<T>::contains_key(id, &who) =>
				{
					Some(Action::RevealJudgement)
				}
				(Phase::Validating, Assignment::Validator)
					if !ValidationCommitments::<T>::contains_key(id, &who)
						&& !Validations::<T>::get(id).iter().any(|e| e.who == who) =>
				{
					Some(Action::Validate)
				}
				(Phase::RevealingValidations, Assignment::Validator)
					if ValidationCommitments::<T>::contains_key(id, &who)
						&& !Validations::<T>::get(id).iter().any(|e| e.who == who) =>
				{
					Some(Action::RevealValidation)
				}
				_ => None,
			};
			if let Some(action) = action {
				out.push(WorkItem { query: id, action, deadline: q.deadline });
			}
		}
		let by_deadline = |a: &WorkItem<BlockNumberFor<T>>, b: &WorkItem<BlockNumberFor<T>>| {
			a.deadline.cmp(&b.deadline).then(a.query.cmp(&b.query))
		};
		out.sort_by(by_deadline);
		out
	}

	/// The terms of `who` in `domain` in force now, and the announced ones (runtime API).
	pub fn terms_view(
		who: T::AccountId,
		domain: DomainId,
	) -> TermsView<BalanceOf<T>, BlockNumberFor<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let pending = PendingTerms::<T>::get(&who, domain).filter(|(_, from)| *from > now);
		(Self::terms_in_force(&who, domain), pending)
	}

	/// `requester`'s query ids, newest first, paginated.
	pub fn queries_of(requester: T::AccountId, offset: u32, limit: u32) -> Vec<QueryId> {
		let mut ids: Vec<QueryId> = RequesterQueries::<T>::iter_key_prefix(&requester).collect();
		ids.sort_unstable_by(|a, b| b.cmp(a));
		ids.into_iter().skip(offset as usize).take(limit as usize).collect()
	}
}
