//! Every error path changes nothing (`assert_noop!`).

use super::*;

fn o(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn creation_errors() {
	build_and_execute(|| {
		let c = |domain, kind, pool, l: TaskLengths<u64>| {
			Validation::create_task(
				o(CREATOR),
				domain,
				kind,
				bounded(b"s"),
				H256::zero(),
				H256::zero(),
				pool,
				l,
			)
		};
		let l = lengths(1);
		assert_noop!(c(9, TaskKind::Training, MIN_POOL, l), Error::<Test>::InactiveDomain);
		assert_noop!(c(MATH, TaskKind::Training, MIN_POOL - 1, l), Error::<Test>::PoolTooSmall);
		assert_noop!(c(MATH, TaskKind::Training, MIN_POOL, lengths(0)), Error::<Test>::BadEpochs);
		assert_noop!(c(MATH, TaskKind::Training, MIN_POOL, lengths(11)), Error::<Test>::BadEpochs);
		assert_noop!(
			c(MATH, TaskKind::Training, MIN_POOL, TaskLengths { commit: 0, ..l }),
			Error::<Test>::BadWindow
		);
		assert_noop!(
			c(MATH, TaskKind::Training, MIN_POOL, TaskLengths { reveal: 101, ..l }),
			Error::<Test>::BadWindow
		);
		assert_noop!(
			c(MATH, TaskKind::Training, MIN_POOL, TaskLengths { challenge: 0, ..l }),
			Error::<Test>::BadWindow
		);
		// A third of the challenge phase is the nodes' time to answer: at least
		// MinResponseWindow (1 block here).
		assert_noop!(
			c(MATH, TaskKind::Training, MIN_POOL, TaskLengths { challenge: 2, ..l }),
			Error::<Test>::ChallengeTooShort
		);
		// Evaluation tasks ignore the training-only windows.
		assert_ok!(c(
			MATH,
			TaskKind::Evaluation,
			MIN_POOL,
			TaskLengths { challenge: 0, reveal_set: 0, ..l }
		));
		assert_noop!(
			Validation::create_task(
				o(ANYONE),
				MATH,
				TaskKind::Training,
				bounded(b"s"),
				H256::zero(),
				H256::zero(),
				200_000,
				l
			),
			frame::deps::sp_runtime::TokenError::FundsUnavailable
		);
	});
}

#[test]
fn submission_and_scoring_errors() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, MIN_POOL, 1);
		let eval = create(TaskKind::Evaluation, MIN_POOL, 1);
		assert_noop!(
			Validation::submit(o(1), 99, H256::zero(), bounded(b"")),
			Error::<Test>::UnknownTask
		);
		assert_noop!(
			Validation::submit(o(1), eval, H256::zero(), bounded(b"")),
			Error::<Test>::WrongKind
		);
		assert_noop!(
			Validation::submit(o(OUTSIDER), id, H256::zero(), bounded(b"")),
			Error::<Test>::NotEligibleNode
		);
		assert_noop!(
			Validation::submit(o(10), id, H256::zero(), bounded(b"")),
			Error::<Test>::NotEligibleNode
		);
		submit(id, 1);
		submit(id, 2);
		// Commit.
		assert_noop!(
			Validation::commit_scores(o(1), id, H256::zero()),
			Error::<Test>::NotEligibleValidator
		);
		commit(id, 10, &[50, 60]);
		assert_noop!(
			Validation::commit_scores(o(10), id, H256::zero()),
			Error::<Test>::AlreadyCommitted
		);
		// Reveal before the window.
		assert_noop!(
			Validation::reveal_scores(o(10), id, scores(&[50, 60]), salt(10)),
			Error::<Test>::WrongPhase
		);
		to_reveal(id);
		assert_noop!(Validation::commit_scores(o(11), id, H256::zero()), Error::<Test>::WrongPhase);
		assert_noop!(
			Validation::reveal_scores(o(11), id, scores(&[50]), salt(11)),
			Error::<Test>::NoCommitment
		);
		assert_noop!(
			Validation::reveal_scores(o(10), id, scores(&[50, 61]), salt(10)),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Validation::reveal_scores(o(10), id, scores(&[50, 60]), [0; 32]),
			Error::<Test>::CommitmentMismatch
		);
		reveal(id, 10, &[50, 60]);
		assert_noop!(
			Validation::reveal_scores(o(10), id, scores(&[50, 60]), salt(10)),
			Error::<Test>::AlreadyRevealed
		);
		// Score vectors that do not fit: too long for the submissions, empty, two for an
		// evaluation task.
		let bad = |task: TaskId, who: AccountId, s: &[u32]| {
			let round = Validation::current_round(&Tasks::<Test>::get(task).unwrap()).unwrap();
			let c = Validation::commitment_of(task, round, &who, &scores(s), &salt(who));
			Commits::<Test>::insert(task, who, (round, c, 0));
			assert_noop!(
				Validation::reveal_scores(o(who), task, scores(s), salt(who)),
				Error::<Test>::BadScores
			);
			Commits::<Test>::remove(task, who);
		};
		bad(id, 12, &[1, 2, 3]);
		bad(id, 12, &[]);
		bad(eval, 12, &[1, 2]);
	});
}

#[test]
fn final_validation_errors() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, MIN_POOL, 1);
		let eval = create(TaskKind::Evaluation, MIN_POOL, 1);
		submit(id, 1);
		let r =
			|who, task, set: &[u8], s| Validation::reveal_eval_set(o(who), task, bounded(set), s);
		assert_noop!(r(CREATOR, id, SET, SET_SALT), Error::<Test>::WrongPhase);
		assert_noop!(r(CREATOR, eval, SET, SET_SALT), Error::<Test>::WrongKind);
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::FinalValidation);
		assert_noop!(
			Validation::submit(o(2), id, H256::zero(), bounded(b"")),
			Error::<Test>::WrongPhase
		);
		assert_noop!(r(ANYONE, id, SET, SET_SALT), Error::<Test>::NotCreator);
		assert_noop!(r(CREATOR, id, b"another set", SET_SALT), Error::<Test>::EvalSetMismatch);
		assert_noop!(r(CREATOR, id, SET, [0; 32]), Error::<Test>::EvalSetMismatch);
		assert_ok!(r(CREATOR, id, SET, SET_SALT));
		assert_noop!(r(CREATOR, id, SET, SET_SALT), Error::<Test>::EvalSetAlreadyRevealed);
		commit(id, 10, &[70]);
		to_reveal(id);
		reveal(id, 10, &[70]);
		assert_noop!(
			Validation::challenge(o(ANYONE), id, 0, bounded(b""), MIN_BOND),
			Error::<Test>::WrongPhase
		);
	});
}

#[test]
fn challenge_errors() {
	build_and_execute(|| {
		let id = create(TaskKind::Training, MIN_POOL, 1);
		submit(id, 1);
		submit(id, 2);
		submit(id, 3);
		to_deadline(id);
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Challenge);
		let ch = |who, index, bond| Validation::challenge(o(who), id, index, bounded(b"why"), bond);
		assert_noop!(ch(ANYONE, 5, MIN_BOND), Error::<Test>::UnknownSubmission);
		assert_noop!(ch(1, 0, MIN_BOND), Error::<Test>::Conflict);
		assert_noop!(ch(ANYONE, 0, MIN_BOND - 1), Error::<Test>::BondTooSmall);
		assert_noop!(
			ch(ANYONE, 0, 10_000_000),
			frame::deps::sp_runtime::TokenError::FundsUnavailable
		);
		assert_ok!(ch(ANYONE, 0, MIN_BOND));
		assert_noop!(ch(31, 0, MIN_BOND), Error::<Test>::AlreadyChallenged);
		let resp = |who, index| Validation::respond(o(who), id, index, H256::zero(), bounded(b"p"));
		assert_noop!(resp(2, 1), Error::<Test>::NoChallenge);
		assert_noop!(resp(2, 0), Error::<Test>::NotTheNode);
		assert_ok!(ch(31, 2, MIN_BOND));
		assert_ok!(resp(1, 0));
		assert_noop!(resp(1, 0), Error::<Test>::AlreadyAnswered);
		// Sealed votes only in the first half of the last third (one block here), reveals in
		// its second; challenges and answers closed by then.
		let cv = |who, index, up| commit_vote(id, who, index, up);
		let rv = |who, index, up| reveal_vote(id, who, index, up);
		assert_noop!(cv(10, 0, true), Error::<Test>::WrongPhase);
		let (commit_at, reveal_at) = vote_windows(id);
		run_to_block(commit_at);
		assert_noop!(ch(32, 1, MIN_BOND), Error::<Test>::WrongPhase);
		assert_noop!(resp(3, 2), Error::<Test>::WrongPhase);
		assert_noop!(rv(10, 0, true), Error::<Test>::WrongPhase);
		assert_noop!(cv(10, 2, true), Error::<Test>::NotAnswered);
		assert_noop!(cv(10, 1, true), Error::<Test>::NoChallenge);
		assert_noop!(cv(1, 0, true), Error::<Test>::Conflict);
		assert_noop!(cv(ANYONE, 0, true), Error::<Test>::Conflict);
		assert_noop!(cv(2, 0, true), Error::<Test>::NotEligibleValidator);
		assert_ok!(cv(10, 0, true));
		assert_noop!(cv(10, 0, false), Error::<Test>::AlreadyVoted);
		assert_ok!(cv(11, 0, false));
		run_to_block(reveal_at);
		assert_noop!(cv(12, 0, true), Error::<Test>::WrongPhase);
		assert_noop!(rv(10, 1, true), Error::<Test>::NoChallenge);
		assert_noop!(rv(12, 0, true), Error::<Test>::NoSealedVote);
		assert_noop!(rv(10, 0, false), Error::<Test>::CommitmentMismatch);
		assert_noop!(
			Validation::reveal_vote(o(10), id, 0, true, [0; 32]),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(rv(10, 0, true));
		assert_noop!(rv(10, 0, true), Error::<Test>::NoSealedVote);
		assert_noop!(Validation::reap(o(ANYONE), id), Error::<Test>::TaskOpen);
		to_deadline(id);
		assert_noop!(ch(31, 1, MIN_BOND), Error::<Test>::TaskClosed);
		assert_noop!(Validation::advance(o(ANYONE), id), Error::<Test>::TaskClosed);
		assert_noop!(Validation::reap(o(ANYONE), 99), Error::<Test>::UnknownTask);
	});
}

fn join(who: AccountId, roles: pallet_llmnet_staking::Roles) {
	assert_ok!(Staking::register(
		o(who),
		roles,
		vec![MATH].try_into().unwrap(),
		b"m".to_vec().try_into().unwrap(),
		Default::default(),
		BOND
	));
	// Providers need proof of capability; root grants it here.
	assert_ok!(Staking::set_capability(RuntimeOrigin::root(), who, MATH, true));
}

#[test]
fn capacity_errors_submissions_and_reports() {
	build_and_execute(|| {
		// 4 genesis nodes + 5 newcomers against MaxSubmissions = 8.
		let extra_nodes = [23, 24, 25, 26, 27];
		for who in extra_nodes {
			join(who, pallet_llmnet_staking::Roles::PROVIDER);
		}
		// 10 genesis validators + 3 newcomers against MaxReports = 12.
		for who in [20, 21, 22] {
			join(who, pallet_llmnet_staking::Roles::VALIDATOR);
		}
		let id = create(TaskKind::Training, MIN_POOL, 1);
		for who in NODES.into_iter().chain([23, 24, 25, 26]) {
			submit(id, who);
		}
		assert_noop!(
			Validation::submit(o(27), id, H256::repeat_byte(27), bounded(b"u")),
			Error::<Test>::TooManySubmissions
		);
		// A node replacing its own artifact still fits.
		submit(id, 1);
		assert_eq!(Submissions::<Test>::decode_len(id), Some(8));
		for who in VALIDATORS.into_iter().chain([20, 21]) {
			commit(id, who, &[50]);
		}
		let round = Validation::current_round(&task(id)).unwrap();
		let c = Validation::commitment_of(id, round, &22, &scores(&[50]), &salt(22));
		assert_noop!(Validation::commit_scores(o(22), id, c), Error::<Test>::TooManyReports);
		assert_eq!(task(id).commits, 12);
	});
}

#[test]
fn capacity_error_voters() {
	build_and_execute(|| {
		for who in [20, 21, 22] {
			join(who, pallet_llmnet_staking::Roles::VALIDATOR);
		}
		let id = create(TaskKind::Training, MIN_POOL, 1);
		submit(id, 1);
		to_deadline(id);
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Challenge);
		assert_ok!(Validation::challenge(o(ANYONE), id, 0, bounded(b"why"), MIN_BOND));
		assert_ok!(Validation::respond(o(1), id, 0, H256::zero(), bounded(b"p")));
		run_to_block(vote_windows(id).0);
		// MaxVoters = 12: ten genesis validators and two newcomers vote, the third is refused.
		for who in VALIDATORS.into_iter().chain([20, 21]) {
			assert_ok!(commit_vote(id, who, 0, true));
		}
		assert_noop!(commit_vote(id, 22, 0, false), Error::<Test>::TooManyVoters);
		assert_eq!(Challenges::<Test>::get(id, 0).unwrap().voters.len(), 12);
	});
}

/// Every open task holds one deadline, so at most `MaxDuePerBlock * SCHEDULE_REACH` may be
/// open at once: then the deadline of every round a task opens finds a slot within reach
/// (issue 18; before, tasks created over several blocks could outnumber the slots, and a round
/// opened with every slot in reach full had no deadline in the schedule at all).
#[test]
fn no_more_tasks_open_than_the_schedule_holds() {
	build_and_execute(|| {
		MaxDue::set(1);
		let reach = llmnet_primitives::schedule::SCHEDULE_REACH;
		for _ in 0..reach {
			create(TaskKind::Evaluation, MIN_POOL, 1);
		}
		assert_eq!(OpenTasks::<Test>::count(), reach);
		// A block later the slot after the last one is in reach: it must stay unused.
		System::set_block_number(2);
		let one_more = || {
			Validation::create_task(
				o(CREATOR),
				MATH,
				TaskKind::Evaluation,
				bounded(b"s"),
				H256::zero(),
				H256::zero(),
				MIN_POOL,
				lengths(1),
			)
		};
		assert_noop!(one_more(), Error::<Test>::ScheduleFull);
		// A task that closes frees its place.
		let first = task(0).deadline;
		System::set_block_number(first);
		Validation::on_initialize(first);
		assert_eq!(OpenTasks::<Test>::count(), reach - 1);
		assert_ok!(one_more());
	});
}

#[test]
fn schedule_full() {
	build_and_execute(|| {
		// Every block a new task could land on is full (MaxDuePerBlock = 4).
		let full: BoundedVec<TaskId, MaxDue> = vec![900, 901, 902, 903].try_into().unwrap();
		for block in 1..=300u64 {
			Schedule::<Test>::insert(block, full.clone());
		}
		let l = lengths(1);
		assert_noop!(
			Validation::create_task(
				o(CREATOR),
				MATH,
				TaskKind::Training,
				bounded(b"s"),
				H256::zero(),
				H256::zero(),
				MIN_POOL,
				l
			),
			Error::<Test>::ScheduleFull
		);
		// One block with room, the last one within reach (63 past the wanted deadline, block
		// 1 + commit 1 + reveal 1): the task takes it.
		let want = 1 + l.commit + l.reveal;
		Schedule::<Test>::remove(want + 63);
		let id = create(TaskKind::Training, MIN_POOL, 1);
		assert_eq!(task(id).deadline, want + 63);
		for block in 1..=300u64 {
			if block != want + 63 {
				Schedule::<Test>::remove(block);
			}
		}
		assert_eq!(Schedule::<Test>::get(want + 63).into_inner(), vec![id]);
	});
}
