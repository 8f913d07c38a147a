//! The open-task index and the work list of validators' off-chain workers (evaluation
//! benchmark runs), with the worker's pure parts: grading and the per-run seed.

use super::*;
use crate::{
	offchain::{benchmark_score, run_seed},
	ScoreAction,
};

#[test]
fn the_open_task_index_follows_creation_and_closing() {
	build_and_execute(|| {
		let a = create(TaskKind::Evaluation, 1_000, 1);
		let b = create(TaskKind::Training, 1_000, 1);
		assert_eq!(OpenTasks::<Test>::get(a), Some(MATH));
		assert_eq!(OpenTasks::<Test>::get(b), Some(MATH));
		assert_eq!(Validation::open_tasks(0, 10), vec![a, b]);
		assert_eq!(Validation::open_tasks(b, 10), vec![b]);
		assert_eq!(Validation::open_tasks(0, 1), vec![a]);
		// The evaluation task's only round ends without reports: it closes and leaves the
		// index; the training task is still open.
		to_deadline(a);
		assert_eq!(task(a).phase, TaskPhase::Closed);
		assert_eq!(OpenTasks::<Test>::get(a), None);
		assert_eq!(Validation::open_tasks(0, 10), vec![b]);
		assert_ok!(Validation::reap(RuntimeOrigin::signed(ANYONE), a));
		assert_eq!(Validation::open_tasks(0, 10), vec![b]);
	});
}

#[test]
fn validators_get_commit_then_reveal_work_for_evaluation_tasks_only() {
	build_and_execute(|| {
		let training = create(TaskKind::Training, 1_000, 1);
		let id = create(TaskKind::Evaluation, 1_000, 2);
		let (v, w) = (VALIDATORS[0], VALIDATORS[1]);
		// Commit window: every validator of the domain has the round to run; nobody else.
		assert_eq!(Validation::task_work(&v), vec![(id, 0, ScoreAction::Commit)]);
		assert!(Validation::task_work(&NODES[0]).is_empty(), "providers do not score");
		assert!(Validation::task_work(&OUTSIDER).is_empty(), "other domains do not score");
		assert!(Validation::task_work(&ANYONE).is_empty());
		commit(id, v, &[60]);
		assert!(Validation::task_work(&v).is_empty(), "committed: nothing until the reveal");
		// Reveal window: the committed validator reveals; the late one has nothing to do.
		to_reveal(id);
		assert_eq!(Validation::task_work(&v), vec![(id, 0, ScoreAction::Reveal)]);
		assert!(Validation::task_work(&w).is_empty(), "no commitment, no reveal");
		reveal(id, v, &[60]);
		assert!(Validation::task_work(&v).is_empty(), "revealed");
		// Next round: work again, under the new round index.
		to_deadline(id);
		assert_eq!(Validation::task_work(&v), vec![(id, 1, ScoreAction::Commit)]);
		assert_eq!(Validation::task_work(&w), vec![(id, 1, ScoreAction::Commit)]);
		to_deadline(id);
		assert_eq!(task(id).phase, TaskPhase::Closed);
		assert!(Validation::task_work(&v).is_empty(), "closed tasks have no work");
		assert_eq!(OpenTasks::<Test>::get(training), Some(MATH));
	});
}

#[test]
fn a_full_round_leaves_no_commit_work() {
	// The counter is forced to the bound (the mock has more report slots than validators),
	// so the invariant check of `build_and_execute` does not apply.
	new_test_ext().execute_with(|| {
		let id = create(TaskKind::Evaluation, 1_000, 1);
		commit(id, VALIDATORS[0], &[50]);
		Tasks::<Test>::mutate(id, |t| {
			if let Some(t) = t {
				t.commits = <<Test as Config>::MaxReports as Get<u32>>::get();
			}
		});
		assert!(Validation::task_work(&VALIDATORS[1]).is_empty(), "the round is full");
		to_reveal(id);
		assert_eq!(
			Validation::task_work(&VALIDATORS[0]),
			vec![(id, 0, ScoreAction::Reveal)],
			"who committed still reveals"
		);
	});
}

#[test]
fn benchmark_runs_are_graded_by_normalised_exact_match() {
	let answers: Vec<Vec<u8>> =
		vec![b"42".to_vec(), b"Paris".to_vec(), b"7".to_vec(), b"x".to_vec()];
	let replies = vec![Some(b" 42. ".to_vec()), Some(b"paris".to_vec()), Some(b"8".to_vec()), None];
	assert_eq!(benchmark_score(&answers, &replies), Some(Perbill::from_percent(50)));
	assert_eq!(benchmark_score(&answers, &[]), Some(Perbill::zero()), "no replies: none right");
	assert_eq!(benchmark_score(&[], &[]), None);
	let all: Vec<Option<Vec<u8>>> = answers.iter().cloned().map(Some).collect();
	assert_eq!(benchmark_score(&answers, &all), Some(Perbill::one()));
}

#[test]
fn run_seeds_differ_by_task_round_and_validator_and_fit_json_numbers() {
	let a = run_seed(0, 0, &[1; 32]);
	assert_eq!(a, run_seed(0, 0, &[1; 32]), "reproducible");
	let others = [run_seed(1, 0, &[1; 32]), run_seed(0, 1, &[1; 32]), run_seed(0, 0, &[2; 32])];
	assert!(others.iter().all(|s| *s != a), "{a} {others:?}");
	assert!([a].iter().chain(others.iter()).all(|s| *s < 1u64 << 53));
}

#[test]
fn try_state_detects_a_broken_open_task_index() {
	new_test_ext().execute_with(|| {
		let id = create(TaskKind::Evaluation, 1_000, 1);
		assert_ok!(Validation::do_try_state());
		OpenTasks::<Test>::remove(id);
		assert!(Validation::do_try_state().is_err(), "an open task missing from the index");
		OpenTasks::<Test>::insert(id, 1);
		assert!(Validation::do_try_state().is_err(), "an open task under another domain");
		OpenTasks::<Test>::insert(id, MATH);
		OpenTasks::<Test>::insert(99, MATH);
		assert!(Validation::do_try_state().is_err(), "an index entry without a task");
	});
}
