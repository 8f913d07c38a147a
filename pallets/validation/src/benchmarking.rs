//! Benchmarks for `pallet_llmnet_validation` (frame-benchmarking v2). Each runs the worst case
//! of its call or transition and asserts that it did.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]

use super::*;
use alloc::{vec, vec::Vec};
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use pallet_llmnet_staking::traits::NodeRegistry;

fn funded<T: Config + pallet_llmnet_staking::Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let amount =
		T::MinPool::get().max(<T as Config>::Currency::minimum_balance()) * 1_000_000u32.into();
	<T as Config>::Currency::set_balance(&who, amount);
	let side = pallet_llmnet_staking::BalanceOf::<T>::from(1_000_000_000u32)
		* <T as pallet_llmnet_staking::Config>::MinValidatorBond::get().max(1u32.into());
	<T as pallet_llmnet_staking::Config>::Currency::set_balance(&who, side);
	who
}

fn domain<T: pallet_llmnet_staking::Config>() -> DomainId {
	pallet_llmnet_staking::bench_helpers::new_domain::<T>()
}

/// A provider and validator of `domain`, capable there, bonded 10x the larger minimum.
fn node<T: Config + pallet_llmnet_staking::Config>(
	name: &'static str,
	i: u32,
	domain: DomainId,
) -> T::AccountId {
	let who = funded::<T>(name, i);
	let roles =
		pallet_llmnet_staking::Roles { provider: true, coordinator: false, validator: true };
	pallet_llmnet_staking::bench_helpers::register_capable::<T>(&who, roles, domain);
	who
}

fn uri<T: Config>(tag: u8) -> UriOf<T> {
	vec![tag; T::MaxUriLen::get() as usize].try_into().unwrap()
}

fn lengths<T: Config>() -> TaskLengths<BlockNumberFor<T>> {
	let w = T::MinWindow::get().max(10u32.into()).min(T::MaxWindow::get());
	TaskLengths {
		epochs: T::MaxEpochs::get().min(3) as u16,
		commit: w,
		reveal: w,
		reveal_set: w,
		// Thirds of at least the shortest response window, at most the unbonding period.
		challenge: (T::MinResponseWindow::get() * 3u32.into())
			.max(w)
			.min(T::UnbondingPeriod::get() * 3u32.into()),
	}
}

const SET_SALT: [u8; 32] = [3; 32];

/// A training task in `domain` with `s` submissions; (id, creator, nodes).
fn task<T: Config + pallet_llmnet_staking::Config>(
	domain: DomainId,
	s: u32,
) -> (TaskId, T::AccountId, Vec<T::AccountId>) {
	let creator = funded::<T>("creator", 0);
	let id = NextTaskId::<T>::get();
	let set = uri::<T>(7);
	Pallet::<T>::do_create(
		creator.clone(),
		domain,
		TaskKind::Training,
		uri::<T>(1),
		H256::repeat_byte(1),
		Pallet::<T>::eval_commitment_of(&set, &SET_SALT),
		T::MinPool::get() * 1_000u32.into(),
		lengths::<T>(),
	)
	.unwrap();
	let nodes: Vec<T::AccountId> = (0..s).map(|i| node::<T>("trainer", i, domain)).collect();
	for (i, n) in nodes.iter().enumerate() {
		Pallet::<T>::do_submit(n.clone(), id, H256::repeat_byte(i as u8), uri::<T>(2)).unwrap();
	}
	(id, creator, nodes)
}

fn scores<T: Config>(s: u32, tag: u32) -> ScoresOf<T> {
	(0..s)
		.map(|i| Perbill::from_percent((i * 7 + tag * 3) % 101))
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

fn set_block<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

/// `r` validators commit and reveal scores of all `s` submissions in the current round.
fn reports<T: Config + pallet_llmnet_staking::Config>(
	id: TaskId,
	domain: DomainId,
	s: u32,
	r: u32,
) {
	let t = Tasks::<T>::get(id).unwrap();
	let round = Pallet::<T>::current_round(&t).unwrap();
	let validators: Vec<T::AccountId> =
		(0..r).map(|i| node::<T>("validator", u32::from(round) * 1_000 + i, domain)).collect();
	for (i, v) in validators.iter().enumerate() {
		let c = Pallet::<T>::commitment_of(id, round, v, &scores::<T>(s, i as u32), &[i as u8; 32]);
		Pallet::<T>::do_commit(v.clone(), id, c).unwrap();
	}
	set_block::<T>(Pallet::<T>::reveal_from(&t));
	for (i, v) in validators.iter().enumerate() {
		Pallet::<T>::do_reveal(v.clone(), id, scores::<T>(s, i as u32), [i as u8; 32]).unwrap();
	}
}

/// A challenge with `MaxVoters - 1` sealed votes and `last` eligible to vote; the block set
/// to the commit window of the votes.
fn to_votes<T: Config + pallet_llmnet_staking::Config>() -> (TaskId, Vec<T::AccountId>, T::AccountId)
{
	let (id, _, nodes, d) = to_challenge::<T>(1);
	let who = funded::<T>("challenger", 0);
	Pallet::<T>::do_challenge(who, id, 0, Default::default(), T::MinChallengeBond::get()).unwrap();
	Pallet::<T>::do_respond(nodes[0].clone(), id, 0, H256::zero(), uri::<T>(4)).unwrap();
	// Sealed votes in the first half of the last third of the phase.
	let t = Tasks::<T>::get(id).unwrap();
	set_block::<T>(t.deadline - Pallet::<T>::third(t.lengths.challenge));
	let voters: Vec<T::AccountId> =
		(0..T::MaxVoters::get() - 1).map(|i| node::<T>("voter", i, d)).collect();
	for (i, v) in voters.iter().enumerate() {
		let c = Pallet::<T>::vote_commitment_of(id, 0, v, i % 2 == 0, &[i as u8; 32]);
		Pallet::<T>::do_commit_vote(v.clone(), id, 0, c).unwrap();
	}
	(id, voters, node::<T>("voter", T::MaxVoters::get(), d))
}

/// Run the task to its challenge phase with `s` submissions scored in the final round.
fn to_challenge<T: Config + pallet_llmnet_staking::Config>(
	s: u32,
) -> (TaskId, T::AccountId, Vec<T::AccountId>, u32) {
	let d = domain::<T>();
	let (id, creator, nodes) = task::<T>(d, s);
	reports::<T>(id, d, s, 1);
	while Tasks::<T>::get(id).unwrap().phase != TaskPhase::FinalValidation {
		let t = Tasks::<T>::get(id).unwrap();
		set_block::<T>(t.deadline);
		Pallet::<T>::do_advance(id).unwrap();
	}
	Pallet::<T>::do_reveal_set(creator.clone(), id, uri::<T>(7), SET_SALT).unwrap();
	reports::<T>(id, d, s, 1);
	set_block::<T>(Tasks::<T>::get(id).unwrap().deadline);
	Pallet::<T>::do_advance(id).unwrap();
	assert_eq!(Tasks::<T>::get(id).unwrap().phase, TaskPhase::Challenge);
	(id, creator, nodes, d)
}

/// A provider of `domain` that has not passed calibration there.
fn calibrant<T: Config + pallet_llmnet_staking::Config>(i: u32, domain: DomainId) -> T::AccountId {
	let who = funded::<T>("calibrant", i);
	let bond = <T as pallet_llmnet_staking::Config>::MinProviderBond::get() * 10u32.into();
	pallet_llmnet_staking::Pallet::<T>::do_register(
		&who,
		pallet_llmnet_staking::Roles { provider: true, coordinator: false, validator: false },
		vec![domain],
		b"model".to_vec(),
		b"description".to_vec(),
		bond,
	)
	.unwrap();
	who
}

/// `q` answers of the longest length (the key and every provider's answers).
fn cal_answers<T: Config>(q: u32) -> CalibrationAnswersOf<T> {
	let answer: BoundedVec<u8, T::MaxCalibrationAnswerLen> =
		vec![b'A'; T::MaxCalibrationAnswerLen::get() as usize].try_into().unwrap();
	vec![answer; q as usize].try_into().unwrap()
}

const KEY_SALT: [u8; 32] = [5; 32];

/// A signed round of `q` longest questions in `domain`, opened now; (id, creator).
fn cal_round<T: Config + pallet_llmnet_staking::Config>(
	domain: DomainId,
	q: u32,
) -> (CalibrationId, T::AccountId) {
	let creator = funded::<T>("cal-creator", 0);
	let id = open_round::<T>(Some(creator.clone()), domain, q);
	(id, creator)
}

/// A round of `q` longest questions in `domain` opened now by `creator` (`None`: governance).
fn open_round<T: Config + pallet_llmnet_staking::Config>(
	creator: Option<T::AccountId>,
	domain: DomainId,
	q: u32,
) -> CalibrationId {
	let question: BoundedVec<u8, T::MaxQuestionLen> =
		vec![b'Q'; T::MaxQuestionLen::get() as usize].try_into().unwrap();
	let key: Vec<Vec<u8>> = cal_answers::<T>(q).iter().map(|a| a.to_vec()).collect();
	let w = T::MinWindow::get().max(10u32.into()).min(T::MaxWindow::get());
	let id = NextCalibrationId::<T>::get();
	Pallet::<T>::do_create_calibration(
		creator,
		domain,
		vec![question; q as usize].try_into().unwrap(),
		Pallet::<T>::key_commitment_of(&key, &KEY_SALT),
		1,
		CalibrationLengths { commit: w, reveal: w, key: w },
	)
	.unwrap();
	id
}

/// `p` calibrants commit to (and, if `reveal`, reveal) `q` longest answers in round `id`.
fn cal_entries<T: Config + pallet_llmnet_staking::Config>(
	id: CalibrationId,
	domain: DomainId,
	p: u32,
	q: u32,
	reveal: bool,
) {
	let answers = cal_answers::<T>(q);
	let plain: Vec<Vec<u8>> = answers.iter().map(|a| a.to_vec()).collect();
	let whos: Vec<T::AccountId> = (0..p).map(|i| calibrant::<T>(i, domain)).collect();
	for who in &whos {
		let c = Pallet::<T>::calibration_commitment_of(id, who, &plain, &KEY_SALT);
		Pallet::<T>::do_commit_calibration(who.clone(), id, c).unwrap();
	}
	if reveal {
		set_block::<T>(Calibrations::<T>::get(id).unwrap().commit_end);
		for who in whos {
			Pallet::<T>::do_reveal_calibration(who, id, answers.clone(), KEY_SALT).unwrap();
		}
	}
}

#[benchmarks(where T: pallet_llmnet_staking::Config)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_task() {
		let d = domain::<T>();
		let creator = funded::<T>("creator", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(creator),
			d,
			TaskKind::Training,
			uri::<T>(1),
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			T::MinPool::get() * 1_000u32.into(),
			lengths::<T>(),
		);
		assert!(Tasks::<T>::contains_key(0));
	}

	#[benchmark]
	fn submit() {
		let d = domain::<T>();
		let (id, _, _) = task::<T>(d, T::MaxSubmissions::get() - 1);
		let who = node::<T>("late", 0, d);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, H256::repeat_byte(0xff), uri::<T>(3));
		assert_eq!(Submissions::<T>::decode_len(id), Some(T::MaxSubmissions::get() as usize));
	}

	// Proof size as measured, in a state where the maps the call reads are full (every other
	// commitment of the task taken): the MaxEncodedLen estimate counts only the largest map
	// read, and the fuzzer recorded proofs of 4,225-4,282 bytes against its 4,208 (seeds
	// 701712, 900228, 900647, 901532 of the spec-9 run; docs/reliability.md).
	#[benchmark(pov_mode = Measured)]
	fn commit_scores() {
		let d = domain::<T>();
		let (id, _, _) = task::<T>(d, 1);
		let others = T::MaxReports::get().saturating_sub(1);
		for i in 0..others {
			let v = node::<T>("validator", 1_000 + i, d);
			Pallet::<T>::do_commit(v, id, H256::repeat_byte(6)).unwrap();
		}
		let who = node::<T>("validator", 0, d);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, H256::repeat_byte(5));
		assert!(Commits::<T>::contains_key(id, &who));
	}

	// Proof size as measured: the MaxEncodedLen estimate stays flat while the proof grows
	// with the scores (found by the weights check, `try-runtime/tests/weights.rs`).
	#[benchmark(pov_mode = Measured)]
	fn reveal_scores(s: Linear<1, { T::MaxSubmissions::get() }>) {
		let d = domain::<T>();
		let (id, _, _) = task::<T>(d, s);
		reports::<T>(id, d, s, T::MaxReports::get() - 1);
		let who = node::<T>("validator", T::MaxReports::get(), d);
		let c = Pallet::<T>::commitment_of(id, 0, &who, &scores::<T>(s, 0), &[9; 32]);
		set_block::<T>(Tasks::<T>::get(id).unwrap().round_start);
		Pallet::<T>::do_commit(who.clone(), id, c).unwrap();
		set_block::<T>(Pallet::<T>::reveal_from(&Tasks::<T>::get(id).unwrap()));
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, scores::<T>(s, 0), [9; 32]);
		assert_eq!(Reports::<T>::decode_len(id), Some(T::MaxReports::get() as usize));
	}

	#[benchmark]
	fn reveal_eval_set() {
		let d = domain::<T>();
		let (id, creator, _) = task::<T>(d, 1);
		while Tasks::<T>::get(id).unwrap().phase != TaskPhase::FinalValidation {
			set_block::<T>(Tasks::<T>::get(id).unwrap().deadline);
			Pallet::<T>::do_advance(id).unwrap();
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(creator), id, uri::<T>(7), SET_SALT);
		assert!(Tasks::<T>::get(id).unwrap().eval_set.is_some());
	}

	#[benchmark]
	fn challenge() {
		let (id, _, _, _) = to_challenge::<T>(1);
		let who = funded::<T>("challenger", 0);
		let reason = vec![b'r'; T::MaxReasonLen::get() as usize].try_into().unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, 0, reason, T::MinChallengeBond::get());
		assert!(Challenges::<T>::contains_key(id, 0));
	}

	#[benchmark]
	fn respond() {
		let (id, _, nodes, _) = to_challenge::<T>(1);
		let who = funded::<T>("challenger", 0);
		Pallet::<T>::do_challenge(who, id, 0, Default::default(), T::MinChallengeBond::get())
			.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(nodes[0].clone()), id, 0, H256::repeat_byte(4), uri::<T>(4));
		assert!(Challenges::<T>::get(id, 0).unwrap().proof.is_some());
	}

	#[benchmark]
	fn commit_vote() {
		let (id, _, last) = to_votes::<T>();
		let c = Pallet::<T>::vote_commitment_of(id, 0, &last, true, &[7; 32]);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, 0, c);
		assert_eq!(Challenges::<T>::get(id, 0).unwrap().voters.len() as u32, T::MaxVoters::get());
	}

	/// The last of `MaxVoters` sealed votes revealed (the search walks every voter).
	#[benchmark]
	fn reveal_vote() {
		let (id, _, last) = to_votes::<T>();
		let c = Pallet::<T>::vote_commitment_of(id, 0, &last, true, &[7; 32]);
		Pallet::<T>::do_commit_vote(last.clone(), id, 0, c).unwrap();
		set_block::<T>(Tasks::<T>::get(id).unwrap().deadline - 1u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, 0, true, [7; 32]);
		assert!(!Challenges::<T>::get(id, 0).unwrap().uphold.is_zero());
	}

	/// An epoch round closing: `s` submissions scored by `r` validators, everyone paid.
	#[benchmark]
	fn advance_close_round(
		s: Linear<1, { T::MaxSubmissions::get() }>,
		r: Linear<1, { T::MaxReports::get() }>,
	) {
		let d = domain::<T>();
		let (id, _, _) = task::<T>(d, s);
		reports::<T>(id, d, s, r);
		set_block::<T>(Tasks::<T>::get(id).unwrap().deadline);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);
		let rounds = Rounds::<T>::get(id);
		assert_eq!(rounds.len(), 1);
		assert_eq!(rounds[0].reports, r);
	}

	/// Closing after the challenge phase: `s` submissions, every one challenged, answered and
	/// upheld (the award paid, the node and its delegation pool slashed: the heaviest outcome,
	/// AUDIT M4), every node with a pool of vesting rewards, every vested reward paid.
	#[benchmark]
	fn advance_close_task(s: Linear<1, { T::MaxSubmissions::get() }>) {
		let (id, _, nodes, _) = to_challenge::<T>(s);
		for (i, n) in nodes.iter().enumerate() {
			pallet_llmnet_staking::bench_helpers::with_pool::<T>(n, i as u32);
			let who = funded::<T>("challenger", i as u32);
			Pallet::<T>::do_challenge(
				who,
				id,
				i as u16,
				Default::default(),
				T::MinChallengeBond::get(),
			)
			.unwrap();
			Pallet::<T>::do_respond(n.clone(), id, i as u16, H256::zero(), uri::<T>(4)).unwrap();
			// The vote is not what is measured: the electorate's quorum, as if it had voted.
			Challenges::<T>::mutate(id, i as u16, |c| {
				let c = c.as_mut().unwrap();
				c.uphold = c.electorate.max(1u32.into());
				c.reject = Zero::zero();
			});
			assert_eq!(
				Pallet::<T>::outcome(&Challenges::<T>::get(id, i as u16).unwrap()),
				ChallengeOutcome::Upheld
			);
		}
		set_block::<T>(Tasks::<T>::get(id).unwrap().deadline);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), id);
		assert_eq!(Tasks::<T>::get(id).unwrap().phase, TaskPhase::Closed);
	}

	/// `schedule(id, at)` when the `s - 1` slots from `at` are full: `s` probes (AUDIT M3; at
	/// most `SCHEDULE_REACH`).
	#[benchmark]
	fn schedule(s: Linear<1, { llmnet_primitives::schedule::SCHEDULE_REACH }>) {
		let at = frame_system::Pallet::<T>::block_number() + 10u32.into();
		for j in 0..s - 1 {
			let full: Vec<TaskId> = (0..T::MaxDuePerBlock::get())
				.map(|x| TaskId::MAX - (j * 1_000 + x) as TaskId)
				.collect();
			Schedule::<T>::insert(at + j.into(), BoundedVec::truncate_from(full));
		}
		let placed;

		#[block]
		{
			placed = Pallet::<T>::schedule(0, at);
		}

		assert_eq!(placed.unwrap(), at + (s - 1).into());
	}

	#[benchmark]
	fn reap(s: Linear<1, { T::MaxSubmissions::get() }>) {
		let (id, _, _, _) = to_challenge::<T>(s);
		set_block::<T>(Tasks::<T>::get(id).unwrap().deadline);
		Pallet::<T>::do_advance(id).unwrap();
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert!(!Tasks::<T>::contains_key(id));
	}

	#[benchmark]
	fn create_calibration(q: Linear<1, { T::MaxQuestions::get() }>) {
		let d = domain::<T>();
		// All but one open slot taken, all but one signed slot by signed rounds: the longest
		// open list to count and extend.
		for _ in 1..T::MaxSignedCalibrations::get() {
			cal_round::<T>(d, 1);
		}
		for _ in T::MaxSignedCalibrations::get()..T::MaxOpenCalibrations::get() {
			open_round::<T>(None, d, 1);
		}
		let creator = funded::<T>("creator", 1);
		let question: BoundedVec<u8, T::MaxQuestionLen> =
			vec![b'Q'; T::MaxQuestionLen::get() as usize].try_into().unwrap();
		let questions: QuestionsOf<T> = vec![question; q as usize].try_into().unwrap();
		let w = T::MinWindow::get().max(10u32.into()).min(T::MaxWindow::get());
		let id = NextCalibrationId::<T>::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(creator),
			d,
			questions,
			H256::zero(),
			1,
			CalibrationLengths { commit: w, reveal: w, key: w },
		);
		assert!(Calibrations::<T>::contains_key(id));
	}

	#[benchmark]
	fn commit_calibration() {
		let d = domain::<T>();
		let (id, _) = cal_round::<T>(d, 1);
		let who = calibrant::<T>(0, d);
		// A provider back after a failed round: the cool-down is read and has passed.
		<pallet_llmnet_staking::Pallet<T> as NodeRegistry<_, _, _>>::set_capability(
			&who,
			d,
			pallet_llmnet_staking::CapabilityStatus::Failed { retry_after: 0u32.into() },
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, H256::zero());
		assert!(CalibrationEntries::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn reveal_calibration(q: Linear<1, { T::MaxQuestions::get() }>) {
		let d = domain::<T>();
		let (id, _) = cal_round::<T>(d, q);
		cal_entries::<T>(id, d, 1, q, false);
		let who: T::AccountId = account("calibrant", 0, 0);
		set_block::<T>(Calibrations::<T>::get(id).unwrap().commit_end);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, cal_answers::<T>(q), KEY_SALT);
		assert!(CalibrationEntries::<T>::get(id, &who).unwrap().answers.is_some());
	}

	#[benchmark]
	fn reveal_key(
		p: Linear<1, { T::MaxCalibrants::get() }>,
		q: Linear<1, { T::MaxQuestions::get() }>,
	) -> Result<(), BenchmarkError> {
		// A governance round: only those record statuses (the heavier path).
		let d = domain::<T>();
		let origin = T::CalibrationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let id = open_round::<T>(None, d, q);
		cal_entries::<T>(id, d, p, q, true);
		set_block::<T>(Calibrations::<T>::get(id).unwrap().reveal_end);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, cal_answers::<T>(q), KEY_SALT);
		assert!(!Calibrations::<T>::contains_key(id));
		let who: T::AccountId = account("calibrant", 0, 0);
		assert!(<pallet_llmnet_staking::Pallet<T>>::is_capable(&who, d));
		Ok(())
	}

	#[benchmark]
	fn close_calibration(p: Linear<1, { T::MaxCalibrants::get() }>) {
		let d = domain::<T>();
		let (id, _) = cal_round::<T>(d, T::MaxQuestions::get());
		cal_entries::<T>(id, d, p, T::MaxQuestions::get(), true);
		set_block::<T>(Calibrations::<T>::get(id).unwrap().key_end);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert!(!Calibrations::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
