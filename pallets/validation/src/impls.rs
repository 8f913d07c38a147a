//! The logic behind the calls, the schedule and the invariants.

use crate::{math, pallet::*, types::*, weights::WeightInfo, LOG_TARGET};
use alloc::vec::Vec;
use frame::{
	arithmetic::Perbill,
	deps::frame_support::storage::with_storage_layer,
	hashing::{blake2_256, H256},
	prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use llmnet_primitives::{schedule, DomainId, NodeRegistry, Role, SlashReason};

/// What a validator's worker has to do in an evaluation task's round: run the benchmark and
/// commit to the score, or reveal the committed score.
pub type ScoreAction = WorkAction;

impl<T: Config> Pallet<T> {
	/// `blake2_256(SCALE((task, round, account, scores, salt)))`: what a validator commits.
	pub fn commitment_of(
		task: TaskId,
		round: RoundIndex,
		who: &T::AccountId,
		scores: &[Perbill],
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(task, round, who, scores, salt).encode()))
	}

	/// `blake2_256(SCALE((task, index, validator, uphold, salt)))`: what a validator commits
	/// as its sealed vote on the challenge of submission `index`.
	pub fn vote_commitment_of(
		task: TaskId,
		index: SubmissionIndex,
		who: &T::AccountId,
		uphold: bool,
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(task, index, who, uphold, salt).encode()))
	}

	/// `blake2_256(SCALE((eval_set, salt)))`: what a task creator commits.
	pub fn eval_commitment_of(eval_set: &[u8], salt: &[u8; 32]) -> H256 {
		H256(blake2_256(&(eval_set, salt).encode()))
	}

	/// The round a task is scoring now (`None` outside the scoring phases).
	pub fn current_round(t: &TaskOf<T>) -> Option<RoundIndex> {
		match t.phase {
			TaskPhase::Submission { epoch } => Some(epoch),
			TaskPhase::FinalValidation => Some(t.lengths.epochs),
			_ => None,
		}
	}

	/// First block of the reveal window of the current round.
	pub fn reveal_from(t: &TaskOf<T>) -> BlockNumberFor<T> {
		t.round_start.saturating_add(t.lengths.commit)
	}

	/// First block of the reveal half of a challenge phase's vote third (sealed votes are
	/// committed before it, revealed from it until the deadline; AUDIT H1).
	pub fn vote_reveal_from(t: &TaskOf<T>) -> BlockNumberFor<T> {
		let third = Self::third(t.lengths.challenge);
		t.deadline.saturating_sub(third.checked_div(&2u32.into()).unwrap_or_else(Zero::zero))
	}

	/// What `who`'s worker has to do in evaluation tasks now: rounds to run the benchmark of
	/// and commit (eligible validator of the domain, not committed, commit window, room
	/// left) and rounds to reveal (committed this round, not revealed, reveal window).
	/// Training tasks are scored by validators' own tooling (their artifacts are models to
	/// fetch and run), so they are not listed.
	pub fn task_work(who: &T::AccountId) -> Vec<(TaskId, RoundIndex, ScoreAction)> {
		let now = frame_system::Pallet::<T>::block_number();
		OpenTasks::<T>::iter()
			.filter(|(_, domain)| T::Registry::is_eligible(who, Role::Validator, *domain))
			.filter_map(|(id, _)| {
				let t = Tasks::<T>::get(id)?;
				if t.kind != TaskKind::Evaluation {
					return None;
				}
				let round = Self::current_round(&t)?;
				let committed = Commits::<T>::get(id, who);
				if now < Self::reveal_from(&t) {
					(committed.is_none() && t.commits < T::MaxReports::get()).then_some((
						id,
						round,
						ScoreAction::Commit,
					))
				} else if now < t.deadline {
					let revealed = Reports::<T>::get(id).iter().any(|r| r.validator == *who);
					(committed.is_some_and(|(r, _, _)| r == round) && !revealed).then_some((
						id,
						round,
						ScoreAction::Reveal,
					))
				} else {
					None
				}
			})
			.collect()
	}

	/// Weight of counting a domain's validator stake for a challenge, beyond what the
	/// `challenge` benchmark measures: per node read ([`Config::MaxElectorate`]) its
	/// `DomainNodes` key, `Nodes` and `Pools` entries (about 700 bytes of proof: their
	/// encoded sizes plus trie nodes, an estimate), and the domain once.
	pub fn electorate_weight() -> Weight {
		let n = u64::from(T::MaxElectorate::get());
		T::DbWeight::get()
			.reads(n.saturating_mul(3).saturating_add(1))
			.saturating_add(Weight::from_parts(0, n.saturating_mul(700)))
	}

	pub(crate) fn check_window(w: BlockNumberFor<T>) -> DispatchResult {
		ensure!(w >= T::MinWindow::get() && w <= T::MaxWindow::get(), Error::<T>::BadWindow);
		Ok(())
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_create(
		who: T::AccountId,
		domain: DomainId,
		kind: TaskKind,
		spec_uri: UriOf<T>,
		spec_hash: H256,
		eval_commitment: H256,
		pool: BalanceOf<T>,
		lengths: TaskLengths<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(T::Registry::is_active_domain(domain), Error::<T>::InactiveDomain);
		ensure!(pool >= T::MinPool::get(), Error::<T>::PoolTooSmall);
		ensure!(
			lengths.epochs >= 1 && u32::from(lengths.epochs) <= T::MaxEpochs::get(),
			Error::<T>::BadEpochs
		);
		Self::check_window(lengths.commit)?;
		Self::check_window(lengths.reveal)?;
		if kind == TaskKind::Training {
			Self::check_window(lengths.reveal_set)?;
			Self::check_window(lengths.challenge)?;
			let third = Self::third(lengths.challenge);
			ensure!(third >= T::MinResponseWindow::get(), Error::<T>::ChallengeTooShort);
			ensure!(third <= T::UnbondingPeriod::get(), Error::<T>::ChallengeTooLong);
		}
		ensure!(
			OpenTasks::<T>::count() < schedule::capacity::<T::MaxDuePerBlock>(),
			Error::<T>::ScheduleFull
		);
		let id = NextTaskId::<T>::get();
		let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::TaskDeposit::get();
		T::Currency::hold(&HoldReason::Pool.into(), &who, pool)?;
		T::Currency::hold(&HoldReason::Deposit.into(), &who, deposit)?;
		let now = frame_system::Pallet::<T>::block_number();
		let final_pool = match kind {
			TaskKind::Training => T::FinalShare::get().mul_floor(pool),
			TaskKind::Evaluation => Zero::zero(),
		};
		let want = now.saturating_add(lengths.commit).saturating_add(lengths.reveal);
		let deadline = Self::schedule(id, want)?;
		let task = TaskInfo {
			creator: who.clone(),
			domain,
			kind,
			spec_uri,
			spec_hash,
			eval_commitment,
			eval_set: None,
			pool,
			held: pool,
			final_pool,
			deposit,
			lengths,
			phase: TaskPhase::Submission { epoch: 0 },
			round_start: now,
			deadline,
			paid: Zero::zero(),
			commits: 0,
		};
		Tasks::<T>::insert(id, task);
		OpenTasks::<T>::insert(id, domain);
		NextTaskId::<T>::put(next);
		Self::deposit_event(Event::TaskCreated {
			task: id,
			creator: who,
			domain,
			kind,
			pool,
			spec_hash,
		});
		Ok(())
	}

	fn open_task(id: TaskId) -> Result<TaskOf<T>, DispatchError> {
		let t = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(t.phase != TaskPhase::Closed, Error::<T>::TaskClosed);
		Ok(t)
	}

	pub(crate) fn do_submit(
		who: T::AccountId,
		id: TaskId,
		artifact: H256,
		uri: UriOf<T>,
	) -> DispatchResult {
		let t = Self::open_task(id)?;
		ensure!(t.kind == TaskKind::Training, Error::<T>::WrongKind);
		ensure!(matches!(t.phase, TaskPhase::Submission { .. }), Error::<T>::WrongPhase);
		ensure!(
			T::Registry::is_eligible(&who, Role::Provider, t.domain),
			Error::<T>::NotEligibleNode
		);
		let index = Submissions::<T>::try_mutate(id, |subs| -> Result<usize, DispatchError> {
			ensure!(
				!subs.iter().any(|s| s.artifact == artifact && s.node != who),
				Error::<T>::DuplicateArtifact
			);
			if let Some(i) = subs.iter().position(|s| s.node == who) {
				ensure!(t.commits == 0, Error::<T>::ArtifactFrozen);
				if let Some(s) = subs.get_mut(i) {
					s.artifact = artifact;
					s.uri = uri;
				}
				return Ok(i);
			}
			let deposit = T::SubmissionDeposit::get();
			subs.try_push(Submission {
				node: who.clone(),
				artifact,
				uri,
				score: None,
				final_score: None,
				earned: Zero::zero(),
				vested: Zero::zero(),
				deposit,
			})
			.map_err(|_| Error::<T>::TooManySubmissions)?;
			T::Currency::hold(&HoldReason::SubmissionDeposit.into(), &who, deposit)?;
			// Live until the task closes (AUDIT M1): no deregistering before the verdict.
			T::Registry::assignment_opened(&who)?;
			Ok(subs.len().saturating_sub(1))
		})?;
		Self::deposit_event(Event::Submitted {
			task: id,
			index: SubmissionIndex::try_from(index).unwrap_or(SubmissionIndex::MAX),
			node: who,
			artifact,
		});
		Ok(())
	}

	pub(crate) fn do_commit(who: T::AccountId, id: TaskId, commitment: H256) -> DispatchResult {
		let mut t = Self::open_task(id)?;
		let round = Self::current_round(&t).ok_or(Error::<T>::WrongPhase)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < Self::reveal_from(&t), Error::<T>::WrongPhase);
		if t.phase == TaskPhase::FinalValidation {
			ensure!(t.eval_set.is_some(), Error::<T>::EvalSetNotRevealed);
		}
		ensure!(
			T::Registry::is_eligible(&who, Role::Validator, t.domain),
			Error::<T>::NotEligibleValidator
		);
		ensure!(!Commits::<T>::contains_key(id, &who), Error::<T>::AlreadyCommitted);
		ensure!(t.commits < T::MaxReports::get(), Error::<T>::TooManyReports);
		let bond = T::ReportBond::get();
		T::Currency::hold(&HoldReason::ReportBond.into(), &who, bond)?;
		t.commits = t.commits.saturating_add(1);
		Commits::<T>::insert(id, &who, (round, commitment, bond));
		Tasks::<T>::insert(id, t);
		Self::deposit_event(Event::ScoresCommitted { task: id, round, validator: who });
		Ok(())
	}

	pub(crate) fn do_reveal(
		who: T::AccountId,
		id: TaskId,
		scores: ScoresOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let t = Self::open_task(id)?;
		let round = Self::current_round(&t).ok_or(Error::<T>::WrongPhase)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= Self::reveal_from(&t) && now < t.deadline, Error::<T>::WrongPhase);
		let (committed_round, commitment, _) =
			Commits::<T>::get(id, &who).ok_or(Error::<T>::NoCommitment)?;
		ensure!(committed_round == round, Error::<T>::NoCommitment);
		ensure!(
			Self::commitment_of(id, round, &who, &scores, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		let fits = match t.kind {
			TaskKind::Evaluation => scores.len() == 1,
			TaskKind::Training => {
				!scores.is_empty() && scores.len() <= Submissions::<T>::decode_len(id).unwrap_or(0)
			}
		};
		ensure!(fits, Error::<T>::BadScores);
		Reports::<T>::try_mutate(id, |reports| -> DispatchResult {
			ensure!(!reports.iter().any(|r| r.validator == who), Error::<T>::AlreadyRevealed);
			reports
				.try_push(Report {
					validator: who.clone(),
					stake: T::Registry::stake_of(&who),
					scores: scores.clone(),
				})
				.map_err(|_| Error::<T>::TooManyReports)?;
			Ok(())
		})?;
		Self::deposit_event(Event::ScoresRevealed { task: id, round, validator: who, scores });
		Ok(())
	}

	pub(crate) fn do_reveal_set(
		who: T::AccountId,
		id: TaskId,
		eval_set: UriOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut t = Self::open_task(id)?;
		ensure!(t.creator == who, Error::<T>::NotCreator);
		ensure!(t.kind == TaskKind::Training, Error::<T>::WrongKind);
		ensure!(t.phase == TaskPhase::FinalValidation, Error::<T>::WrongPhase);
		ensure!(t.eval_set.is_none(), Error::<T>::EvalSetAlreadyRevealed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < Self::reveal_from(&t), Error::<T>::WrongPhase);
		ensure!(
			Self::eval_commitment_of(&eval_set, &salt) == t.eval_commitment,
			Error::<T>::EvalSetMismatch
		);
		t.eval_set = Some(eval_set.clone());
		Tasks::<T>::insert(id, t);
		Self::deposit_event(Event::EvalSetRevealed { task: id, eval_set });
		Ok(())
	}

	/// A third of a challenge phase of `length` blocks (rounded down): each of its windows.
	pub fn third(length: BlockNumberFor<T>) -> BlockNumberFor<T> {
		length.checked_div(&3u32.into()).unwrap_or_else(Zero::zero)
	}

	/// The task `id` in its challenge phase, with `now` inside `window` of the phase: challenges
	/// in the first third, answers until two thirds (AUDIT C1), votes in the last third (no
	/// longer than the unbonding period, so funds unbonded after a vote cannot be withdrawn,
	/// bonded elsewhere and vote again: AUDIT H1).
	fn challenge_phase(id: TaskId, window: ChallengeWindow) -> Result<TaskOf<T>, DispatchError> {
		let t = Self::open_task(id)?;
		ensure!(t.kind == TaskKind::Training, Error::<T>::WrongKind);
		ensure!(t.phase == TaskPhase::Challenge, Error::<T>::WrongPhase);
		let third = Self::third(t.lengths.challenge);
		let before = |thirds: u32| t.deadline.saturating_sub(third.saturating_mul(thirds.into()));
		// Sealed votes in the first half of the last third, reveals in the second.
		let reveals_from = Self::vote_reveal_from(&t);
		let (opens, closes) = match window {
			ChallengeWindow::Challenge => (Zero::zero(), before(2)),
			ChallengeWindow::Answer => (Zero::zero(), before(1)),
			ChallengeWindow::VoteCommit => (before(1), reveals_from),
			ChallengeWindow::VoteReveal => (reveals_from, t.deadline),
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= opens && now < closes, Error::<T>::WrongPhase);
		Ok(t)
	}

	fn submission(id: TaskId, index: SubmissionIndex) -> Result<SubmissionOf<T>, DispatchError> {
		Submissions::<T>::get(id)
			.get(usize::from(index))
			.cloned()
			.ok_or_else(|| Error::<T>::UnknownSubmission.into())
	}

	pub(crate) fn do_challenge(
		who: T::AccountId,
		id: TaskId,
		index: SubmissionIndex,
		reason: BoundedVec<u8, T::MaxReasonLen>,
		bond: BalanceOf<T>,
	) -> DispatchResult {
		let t = Self::challenge_phase(id, ChallengeWindow::Challenge)?;
		let sub = Self::submission(id, index)?;
		ensure!(sub.node != who, Error::<T>::Conflict);
		ensure!(bond >= T::MinChallengeBond::get(), Error::<T>::BondTooSmall);
		ensure!(!Challenges::<T>::contains_key(id, index), Error::<T>::AlreadyChallenged);
		T::Currency::hold(&HoldReason::ChallengeBond.into(), &who, bond)?;
		let electorate = T::Registry::validator_stake(t.domain, T::MaxElectorate::get());
		Challenges::<T>::insert(
			id,
			index,
			Challenge {
				challenger: who.clone(),
				bond,
				reason: reason.clone(),
				proof: None,
				uphold: Zero::zero(),
				reject: Zero::zero(),
				voters: BoundedVec::new(),
				electorate,
			},
		);
		Self::deposit_event(Event::Challenged { task: id, index, challenger: who, bond, reason });
		Ok(())
	}

	pub(crate) fn do_respond(
		who: T::AccountId,
		id: TaskId,
		index: SubmissionIndex,
		proof: H256,
		uri: UriOf<T>,
	) -> DispatchResult {
		Self::challenge_phase(id, ChallengeWindow::Answer)?;
		let sub = Self::submission(id, index)?;
		let mut c = Challenges::<T>::get(id, index).ok_or(Error::<T>::NoChallenge)?;
		ensure!(sub.node == who, Error::<T>::NotTheNode);
		ensure!(c.proof.is_none(), Error::<T>::AlreadyAnswered);
		c.proof = Some((proof, uri.clone()));
		Challenges::<T>::insert(id, index, c);
		Self::deposit_event(Event::ChallengeAnswered { task: id, index, proof, uri });
		Ok(())
	}

	pub(crate) fn do_commit_vote(
		who: T::AccountId,
		id: TaskId,
		index: SubmissionIndex,
		commitment: H256,
	) -> DispatchResult {
		let t = Self::challenge_phase(id, ChallengeWindow::VoteCommit)?;
		let sub = Self::submission(id, index)?;
		let mut c = Challenges::<T>::get(id, index).ok_or(Error::<T>::NoChallenge)?;
		ensure!(c.proof.is_some(), Error::<T>::NotAnswered);
		ensure!(who != sub.node && who != c.challenger, Error::<T>::Conflict);
		ensure!(
			T::Registry::is_eligible(&who, Role::Validator, t.domain),
			Error::<T>::NotEligibleValidator
		);
		ensure!(!c.voters.iter().any(|v| v.voter == who), Error::<T>::AlreadyVoted);
		// Stake as it is now: the reveal comes before the phase ends, within the unbonding
		// period, so funds unbonded after this are still unbonding then (AUDIT H1).
		let stake = T::Registry::stake_of(&who);
		c.voters
			.try_push(Vote { voter: who.clone(), uphold: false, stake, sealed: Some(commitment) })
			.map_err(|_| Error::<T>::TooManyVoters)?;
		Challenges::<T>::insert(id, index, c);
		Self::deposit_event(Event::ChallengeVoteSealed { task: id, index, validator: who });
		Ok(())
	}

	pub(crate) fn do_reveal_vote(
		who: T::AccountId,
		id: TaskId,
		index: SubmissionIndex,
		uphold: bool,
		salt: [u8; 32],
	) -> DispatchResult {
		Self::challenge_phase(id, ChallengeWindow::VoteReveal)?;
		let mut c = Challenges::<T>::get(id, index).ok_or(Error::<T>::NoChallenge)?;
		let vote = c
			.voters
			.iter_mut()
			.find(|v| v.voter == who && v.sealed.is_some())
			.ok_or(Error::<T>::NoSealedVote)?;
		ensure!(
			vote.sealed == Some(Self::vote_commitment_of(id, index, &who, uphold, &salt)),
			Error::<T>::CommitmentMismatch
		);
		vote.sealed = None;
		vote.uphold = uphold;
		let stake = vote.stake;
		if uphold {
			c.uphold = c.uphold.saturating_add(stake);
		} else {
			c.reject = c.reject.saturating_add(stake);
		}
		Challenges::<T>::insert(id, index, c);
		Self::deposit_event(Event::ChallengeVoted {
			task: id,
			index,
			validator: who,
			uphold,
			stake,
		});
		Ok(())
	}

	pub(crate) fn do_advance(id: TaskId) -> DispatchResult {
		let t = Self::open_task(id)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= t.deadline, Error::<T>::DeadlineNotReached);
		Self::unschedule(id, t.deadline);
		Self::transition(id, t, now);
		Ok(())
	}

	pub(crate) fn do_reap(id: TaskId) -> DispatchResult {
		let t = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(t.phase == TaskPhase::Closed, Error::<T>::TaskOpen);
		Tasks::<T>::remove(id);
		Submissions::<T>::remove(id);
		Rounds::<T>::remove(id);
		Self::release(&HoldReason::Deposit, &t.creator, t.deposit);
		Self::deposit_event(Event::TaskReaped { task: id });
		Ok(())
	}

	// ---------------------------------------------------------------------------------------
	// Schedule and transitions
	// ---------------------------------------------------------------------------------------

	/// Run the transitions due at `now`; their weight.
	pub fn process_schedule(now: BlockNumberFor<T>) -> Weight {
		let due = Schedule::<T>::take(now);
		for id in due.iter() {
			match Tasks::<T>::get(id) {
				Some(t) if t.phase != TaskPhase::Closed && t.deadline == now => {
					Self::transition(*id, t, now)
				}
				_ => log::debug!(target: LOG_TARGET, "stale schedule entry {id} at {now:?}"),
			}
		}
		// Taking the slot weighs what one schedule probe does (a read and a write of it).
		T::WeightInfo::schedule(1)
			.saturating_add(Self::transition_weight().saturating_mul(due.len() as u64))
	}

	/// The worst transition, with the schedule probes of the next deadline (AUDIT M3): a
	/// round's close, or a training task's close, or (AUDIT M4: two steps in one) the last
	/// round of an evaluation task, which closes the round and the task together; evaluation
	/// tasks score one item and have no submissions.
	pub fn transition_weight() -> Weight {
		let (s, r) = (T::MaxSubmissions::get(), T::MaxReports::get());
		T::WeightInfo::advance_close_round(s, r)
			.max(T::WeightInfo::advance_close_task(s))
			.max(
				T::WeightInfo::advance_close_round(1, r)
					.saturating_add(T::WeightInfo::advance_close_task(1)),
			)
			.saturating_add(Self::schedule_weight())
	}

	/// The worst case of one [`Self::schedule`] (every slot in reach full, AUDIT M3).
	pub fn schedule_weight() -> Weight {
		T::WeightInfo::schedule(llmnet_primitives::schedule::SCHEDULE_REACH)
	}

	/// Put `id` in the first block from `at` with room; that block.
	pub(crate) fn schedule(
		id: TaskId,
		at: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		schedule::schedule::<Schedule<T>, _, _, _>(id, at).ok_or(Error::<T>::ScheduleFull.into())
	}

	fn unschedule(id: TaskId, at: BlockNumberFor<T>) {
		schedule::unschedule::<Schedule<T>, _, _, _>(&id, at)
	}

	/// Set the deadline of `t` to `want` (or the first later block with room).
	fn set_deadline(id: TaskId, t: &mut TaskOf<T>, want: BlockNumberFor<T>) {
		t.deadline = Self::schedule(id, want).unwrap_or_else(|_| {
			log::warn!(target: LOG_TARGET, "task {id}: schedule full, needs `advance`");
			want
		});
	}

	fn enter(id: TaskId, t: &mut TaskOf<T>, phase: TaskPhase) {
		t.phase = phase;
		Self::deposit_event(Event::PhaseChanged { task: id, phase });
	}

	/// The deadline of `t` passed: close its round or phase.
	pub(crate) fn transition(id: TaskId, mut t: TaskOf<T>, now: BlockNumberFor<T>) {
		let round_length = t.lengths.commit.saturating_add(t.lengths.reveal);
		match t.phase {
			TaskPhase::Submission { epoch } => {
				Self::close_round(id, &mut t, epoch, false);
				let next = epoch.saturating_add(1);
				if next < t.lengths.epochs {
					t.round_start = now;
					Self::set_deadline(id, &mut t, now.saturating_add(round_length));
					Self::enter(id, &mut t, TaskPhase::Submission { epoch: next });
				} else if t.kind == TaskKind::Training {
					t.round_start = now.saturating_add(t.lengths.reveal_set);
					let end = t.round_start.saturating_add(round_length);
					Self::set_deadline(id, &mut t, end);
					Self::enter(id, &mut t, TaskPhase::FinalValidation);
				} else {
					Self::close_task(id, &mut t, now);
				}
			}
			TaskPhase::FinalValidation => {
				let (epochs, challenge) = (t.lengths.epochs, t.lengths.challenge);
				Self::close_round(id, &mut t, epochs, true);
				Self::set_deadline(id, &mut t, now.saturating_add(challenge));
				Self::enter(id, &mut t, TaskPhase::Challenge);
			}
			TaskPhase::Challenge => Self::close_task(id, &mut t, now),
			TaskPhase::Closed => {}
		}
		Tasks::<T>::insert(id, t);
	}

	/// Release `amount` of the pool and pay it to `who`, in one storage layer: nodes and
	/// validators through the staking split, a challenger by a plain transfer. What was paid,
	/// or 0 if the payment failed, in which case nothing moved and the funds stay in the pool
	/// (refunded when the task closes).
	pub(crate) fn pay(
		id: TaskId,
		t: &mut TaskOf<T>,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		role: PayRole,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let wanted = amount.min(t.held);
		let paid = with_storage_layer(|| -> Result<BalanceOf<T>, DispatchError> {
			let released = T::Currency::release(
				&HoldReason::Pool.into(),
				&t.creator,
				wanted,
				Precision::Exact,
			)?;
			if role == PayRole::Challenger {
				T::Currency::transfer(&t.creator, who, released, Preservation::Preserve)?;
			} else {
				T::Registry::reward(&t.creator, who, released)?;
			}
			Ok(released)
		});
		match paid {
			Ok(released) => {
				t.held = t.held.saturating_sub(released);
				t.paid = t.paid.saturating_add(released);
				Self::deposit_event(Event::Paid {
					task: id,
					who: who.clone(),
					role,
					amount: released,
				});
				released
			}
			Err(e) => {
				log::warn!(target: LOG_TARGET, "task {id}: payment to {role:?} failed: {e:?}");
				Zero::zero()
			}
		}
	}

	/// Settle the round's report bonds: back to validators that revealed, burned for the
	/// others (AUDIT M9); the commits are removed.
	fn settle_commits(id: TaskId, t: &mut TaskOf<T>, reports: &[ReportOf<T>]) {
		for (who, (round, _, bond)) in Commits::<T>::drain_prefix(id) {
			if reports.iter().any(|r| r.validator == who) {
				Self::release(&HoldReason::ReportBond, &who, bond);
			} else if !bond.is_zero() {
				let amount = Self::burn(&HoldReason::ReportBond, &who, bond);
				Self::deposit_event(Event::ReportBondForfeited {
					task: id,
					round,
					validator: who,
					amount,
				});
			}
		}
		t.commits = 0;
	}

	/// Close a scoring round: aggregate, pay (or vest, in the final round), record.
	fn close_round(id: TaskId, t: &mut TaskOf<T>, round: RoundIndex, last: bool) {
		let reports = Reports::<T>::take(id);
		Self::settle_commits(id, t, &reports);
		let budget: u128 = if last {
			t.final_pool.saturated_into()
		} else {
			let left = t.lengths.epochs.saturating_sub(round).max(1);
			let for_epochs = t.held.saturating_sub(t.final_pool);
			let b: u128 = for_epochs.saturated_into();
			b.checked_div(u128::from(left)).unwrap_or(0)
		};
		let v_stakes: Vec<u128> = reports.iter().map(|r| r.stake.saturated_into()).collect();
		let mut record = RoundRecord {
			round,
			reports: reports.len() as u32,
			consensus: None,
			mean: Perbill::zero(),
			spread: Perbill::zero(),
			to_nodes: Zero::zero(),
			to_validators: Zero::zero(),
		};
		let (distances, validator_part) = match t.kind {
			TaskKind::Evaluation => {
				let values: Vec<Perbill> =
					reports.iter().map(|r| r.scores.first().copied().unwrap_or_default()).collect();
				let entries: Vec<(Perbill, u128)> =
					values.iter().copied().zip(v_stakes.iter().copied()).collect();
				let median = math::weighted_median(&entries);
				let (mean, spread) = math::mean_std(&values);
				record.consensus = median;
				record.mean = mean;
				record.spread = spread;
				let d = values
					.iter()
					.map(|v| median.map(|m| math::distance(*v, m)).unwrap_or_default())
					.collect::<Vec<_>>();
				(d, if median.is_some() { budget } else { 0 })
			}
			TaskKind::Training => {
				let mut subs = Submissions::<T>::get(id);
				let aggregates: Vec<Option<Perbill>> = (0..subs.len())
					.map(|i| {
						let entries: Vec<(Perbill, u128)> = reports
							.iter()
							.zip(v_stakes.iter())
							.filter_map(|(r, s)| r.scores.get(i).map(|x| (*x, *s)))
							.collect();
						math::weighted_mean(&entries)
					})
					.collect();
				// The final round falls back to the last epoch's scores when nobody rescored.
				let ranking: Vec<Option<Perbill>> = if last && reports.is_empty() {
					subs.iter().map(|s| s.score).collect()
				} else {
					aggregates.clone()
				};
				let n_stakes: Vec<u128> = subs
					.iter()
					.zip(ranking.iter())
					.map(|(s, a)| {
						if a.is_some() {
							T::Registry::stake_of(&s.node).saturated_into()
						} else {
							0
						}
					})
					.collect();
				let any_scored = ranking.iter().any(|a| a.is_some());
				let node_part = if !any_scored {
					0
				} else if reports.is_empty() {
					budget
				} else {
					let s_n = n_stakes.iter().fold(0u128, |a, s| a.saturating_add(*s));
					let s_v = v_stakes.iter().fold(0u128, |a, s| a.saturating_add(*s));
					math::node_part(budget, s_n, s_v, T::SplitGamma::get())
				};
				let weights = math::node_weights(
					&ranking,
					&n_stakes,
					T::RankRatio::get(),
					T::NodeStakeExponent::get(),
				);
				let amounts = math::split(node_part, &weights);
				let mut to_nodes: BalanceOf<T> = Zero::zero();
				for (i, (sub, amount)) in subs.iter_mut().zip(amounts.iter()).enumerate() {
					let amount: BalanceOf<T> = (*amount).saturated_into();
					if last {
						sub.final_score = aggregates.get(i).copied().flatten();
						sub.vested = amount;
						to_nodes = to_nodes.saturating_add(amount);
					} else {
						if let Some(a) = aggregates.get(i).copied().flatten() {
							sub.score = Some(a);
						}
						let paid = Self::pay(id, t, &sub.node, amount, PayRole::Node);
						sub.earned = sub.earned.saturating_add(paid);
						to_nodes = to_nodes.saturating_add(paid);
					}
				}
				Submissions::<T>::insert(id, subs);
				record.to_nodes = to_nodes;
				// Best submission: consensus score and the raw spread of its scores.
				let best = aggregates
					.iter()
					.enumerate()
					.filter_map(|(i, a)| a.map(|a| (i, a)))
					.max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
				if let Some((i, a)) = best {
					let raw: Vec<Perbill> =
						reports.iter().filter_map(|r| r.scores.get(i).copied()).collect();
					let (mean, spread) = math::mean_std(&raw);
					record.consensus = Some(a);
					record.mean = mean;
					record.spread = spread;
				}
				// A validator's distance: mean over the submissions it scored.
				let d = reports
					.iter()
					.map(|r| {
						let ds: Vec<u128> = r
							.scores
							.iter()
							.zip(aggregates.iter())
							.filter_map(|(x, a)| {
								a.map(|a| u128::from(math::distance(*x, a).deconstruct()))
							})
							.collect();
						let n = ds.len() as u128;
						let sum = ds.iter().fold(0u128, |acc, x| acc.saturating_add(*x));
						Perbill::from_parts(
							u32::try_from(sum.checked_div(n).unwrap_or(0)).unwrap_or(u32::MAX),
						)
					})
					.collect::<Vec<_>>();
				let rest = if any_scored && !reports.is_empty() {
					budget.saturating_sub(node_part)
				} else {
					0
				};
				(d, rest)
			}
		};
		let weights = math::validator_weights(
			&distances,
			&v_stakes,
			T::ValidatorStakeExponent::get(),
			T::DistanceSensitivity::get(),
		);
		let amounts = math::split(validator_part, &weights);
		let mut to_validators: BalanceOf<T> = Zero::zero();
		for (r, amount) in reports.iter().zip(amounts.iter()) {
			let paid =
				Self::pay(id, t, &r.validator, (*amount).saturated_into(), PayRole::Validator);
			to_validators = to_validators.saturating_add(paid);
		}
		record.to_validators = to_validators;
		Rounds::<T>::mutate(id, |rounds| {
			if rounds.try_push(record.clone()).is_err() {
				log::warn!(target: LOG_TARGET, "task {id}: round record dropped");
			}
		});
		Self::deposit_event(Event::RoundClosed { task: id, record });
	}

	/// How challenge `c` ends: unanswered; upheld by at least `ChallengeQuorum` of its
	/// electorate and by more stake than rejected it (AUDIT H1); otherwise rejected.
	pub(crate) fn outcome(c: &ChallengeOf<T>) -> ChallengeOutcome {
		if c.proof.is_none() {
			ChallengeOutcome::Unanswered
		} else if c.uphold > c.reject
			&& c.uphold >= T::ChallengeQuorum::get().mul_ceil(c.electorate)
		{
			ChallengeOutcome::Upheld
		} else {
			ChallengeOutcome::Rejected
		}
	}

	/// End of the challenge phase (Training) or of the last round (Evaluation): decide the
	/// challenges, pay vested rewards, refund the rest.
	fn close_task(id: TaskId, t: &mut TaskOf<T>, now: BlockNumberFor<T>) {
		let mut subs = Submissions::<T>::get(id);
		for (i, sub) in subs.iter_mut().enumerate() {
			let index = SubmissionIndex::try_from(i).unwrap_or(SubmissionIndex::MAX);
			if let Some(c) = Challenges::<T>::take(id, index) {
				let outcome = Self::outcome(&c);
				let (amount, slashed) = if outcome == ChallengeOutcome::Unanswered {
					// No slash and no award (AUDIT C1): the bond comes back and the node's
					// vested reward stays in the pool, refunded to the creator below.
					Self::release(&HoldReason::ChallengeBond, &c.challenger, c.bond);
					sub.vested = Zero::zero();
					(Zero::zero(), Zero::zero())
				} else if outcome == ChallengeOutcome::Rejected {
					// The bond goes to the node.
					let moved = T::Currency::transfer_on_hold(
						&HoldReason::ChallengeBond.into(),
						&c.challenger,
						&sub.node,
						c.bond,
						Precision::BestEffort,
						Restriction::Free,
						Fortitude::Force,
					)
					.unwrap_or_else(|e| {
						log::error!(target: LOG_TARGET, "task {id}: bond transfer failed: {e:?}");
						Zero::zero()
					});
					(moved, Zero::zero())
				} else {
					Self::release(&HoldReason::ChallengeBond, &c.challenger, c.bond);
					// On failure the award stays in the pool (refunded when the task closes).
					let sent = Self::pay(id, t, &c.challenger, sub.vested, PayRole::Challenger);
					sub.vested = Zero::zero();
					let out = T::Registry::slash(
						&sub.node,
						T::ChallengeSlash::get(),
						SlashReason::ChallengeUpheld,
					);
					(sent, out.own.saturating_add(out.delegated))
				};
				Self::deposit_event(Event::ChallengeResolved {
					task: id,
					index,
					outcome,
					amount,
					slashed,
				});
			}
			let vested = core::mem::take(&mut sub.vested);
			let paid = Self::pay(id, t, &sub.node, vested, PayRole::Vested);
			sub.earned = sub.earned.saturating_add(paid);
			let deposit = core::mem::take(&mut sub.deposit);
			Self::release(&HoldReason::SubmissionDeposit, &sub.node, deposit);
			T::Registry::assignment_closed(&sub.node);
		}
		Submissions::<T>::insert(id, subs);
		let _ = Challenges::<T>::clear_prefix(id, T::MaxSubmissions::get(), None);
		let reports = Reports::<T>::take(id);
		Self::settle_commits(id, t, &reports);
		let refunded = Self::release(&HoldReason::Pool, &t.creator, t.held);
		t.held = t.held.saturating_sub(refunded);
		t.deadline = now;
		OpenTasks::<T>::remove(id);
		Self::enter(id, t, TaskPhase::Closed);
		Self::deposit_event(Event::TaskClosed { task: id, paid: t.paid, refunded });
	}

	/// Release up to `amount` held for `reason` on `who`; what was released.
	pub(crate) fn release(
		reason: &HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::release(&(*reason).into(), who, amount, Precision::BestEffort).unwrap_or_else(
			|e| {
				log::error!(target: LOG_TARGET, "release of {reason:?} failed: {e:?}");
				Zero::zero()
			},
		)
	}

	/// Burn up to `amount` held for `reason` on `who` (a forfeited bond or deposit); what was
	/// burned.
	pub(crate) fn burn(
		reason: &HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::burn_held(
			&(*reason).into(),
			who,
			amount,
			Precision::BestEffort,
			Fortitude::Force,
		)
		.unwrap_or_else(|e| {
			log::error!(target: LOG_TARGET, "burning {reason:?} of {who:?} failed: {e:?}");
			Zero::zero()
		})
	}

	// ---------------------------------------------------------------------------------------
	// Invariants
	// ---------------------------------------------------------------------------------------

	/// The invariants listed in the crate docs.
	#[cfg(any(test, feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame::traits::fungible::InspectHold;
		let mut pools: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut sub_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, t) in Tasks::<T>::iter() {
			let p = pools.entry(t.creator.clone()).or_default();
			*p = p.saturating_add(t.held);
			let d = deposits.entry(t.creator.clone()).or_default();
			*d = d.saturating_add(t.deposit);
			ensure!(t.paid.saturating_add(t.held) <= t.pool, "paid + held exceeds the pool");
			let subs = Submissions::<T>::get(id);
			let vested =
				subs.iter().fold(BalanceOf::<T>::zero(), |a, s| a.saturating_add(s.vested));
			ensure!(vested <= t.held, "vested rewards not covered by the held pool");
			let open = t.phase != TaskPhase::Closed;
			for s in subs {
				let d = sub_deposits.entry(s.node.clone()).or_default();
				*d = d.saturating_add(s.deposit);
				ensure!(open || s.deposit.is_zero(), "a closed task keeps a submission deposit");
				ensure!(
					!open || T::Registry::live_assignments(&s.node) > 0,
					"a submitter of an open task has no live assignment"
				);
			}
			let commits = Commits::<T>::iter_prefix(id).count() as u32;
			ensure!(commits == t.commits, "commit counter out of step");
			let indexed = OpenTasks::<T>::get(id);
			if t.phase == TaskPhase::Closed {
				ensure!(indexed.is_none(), "a closed task is indexed as open");
			} else {
				ensure!(indexed == Some(t.domain), "an open task is not indexed under its domain");
				ensure!(
					Schedule::<T>::get(t.deadline).contains(&id),
					"open task without its deadline in the schedule"
				);
			}
			if t.phase == TaskPhase::Closed {
				ensure!(t.held.is_zero(), "a closed task holds pool funds");
				ensure!(
					commits == 0 && Reports::<T>::decode_len(id).unwrap_or(0) == 0,
					"closed task keeps round data"
				);
				ensure!(
					Challenges::<T>::iter_prefix(id).next().is_none(),
					"closed task keeps challenges"
				);
			}
		}
		let mut open: u32 = 0;
		for (id, _) in OpenTasks::<T>::iter() {
			ensure!(Tasks::<T>::contains_key(id), "the open-task index names an unknown task");
			open.saturating_inc();
		}
		ensure!(OpenTasks::<T>::count() == open, "the open-task counter is out of step");
		ensure!(
			open <= schedule::capacity::<T::MaxDuePerBlock>(),
			"more open tasks than the schedule holds"
		);
		for id in Submissions::<T>::iter_keys() {
			ensure!(Tasks::<T>::contains_key(id), "submissions of an unknown task");
		}
		let mut report_bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, who, (_, _, bond)) in Commits::<T>::iter() {
			let b = report_bonds.entry(who).or_default();
			*b = b.saturating_add(bond);
		}
		for (_, _, c) in Challenges::<T>::iter() {
			let b = bonds.entry(c.challenger.clone()).or_default();
			*b = b.saturating_add(c.bond);
		}
		for (block, ids) in Schedule::<T>::iter() {
			for id in ids {
				let t = Tasks::<T>::get(id).ok_or("schedule names an unknown task")?;
				ensure!(
					t.phase != TaskPhase::Closed && t.deadline == block,
					"stale schedule entry"
				);
			}
		}
		let check = |map: &BTreeMap<T::AccountId, BalanceOf<T>>, reason: HoldReason| {
			map.iter()
				.all(|(who, amount)| T::Currency::balance_on_hold(&reason.into(), who) == *amount)
		};
		ensure!(check(&pools, HoldReason::Pool), "pool holds differ from the tasks' held");
		ensure!(check(&deposits, HoldReason::Deposit), "deposit holds differ");
		ensure!(check(&bonds, HoldReason::ChallengeBond), "bond holds differ");
		ensure!(check(&sub_deposits, HoldReason::SubmissionDeposit), "submission deposits differ");
		ensure!(check(&report_bonds, HoldReason::ReportBond), "report bonds differ");
		Self::calibration_try_state()
	}
}
