//! Proof of capability: calibration rounds, grading, cool-downs, expiry, errors.

use super::*;
use crate::calibration::CalibrationAction;
use pallet_llmnet_staking::{traits::NodeRegistry, CapabilityStatus, Role, Roles};

/// New providers of `math` (not capable).
const NEWCOMERS: [AccountId; 5] = [20, 21, 22, 23, 24];
const QUESTIONS: [&[u8]; 3] = [b"What is 6 x 7?", b"Capital of France?", b"What is 2 + 2?"];
const KEY: [&[u8]; 3] = [b"42", b"Paris", b"4"];
const KEY_SALT: [u8; 32] = [9; 32];
/// Commit 3, reveal 3, key 3 blocks.
const LENGTHS: CalibrationLengths<u64> = CalibrationLengths { commit: 3, reveal: 3, key: 3 };

fn join_math(who: AccountId) {
	assert_ok!(Staking::register(
		RuntimeOrigin::signed(who),
		Roles::PROVIDER,
		vec![MATH].try_into().unwrap(),
		b"model".to_vec().try_into().unwrap(),
		Default::default(),
		BOND
	));
}

fn questions() -> QuestionsOf<Test> {
	QUESTIONS.iter().map(|q| bounded(q)).collect::<Vec<_>>().try_into().unwrap()
}

fn answers(a: &[&[u8]]) -> CalibrationAnswersOf<Test> {
	a.iter().map(|x| bounded(x)).collect::<Vec<_>>().try_into().unwrap()
}

fn plain(a: &[&[u8]]) -> Vec<Vec<u8>> {
	a.iter().map(|x| x.to_vec()).collect()
}

fn key_commitment() -> H256 {
	Validation::key_commitment_of(&plain(&KEY), &KEY_SALT)
}

/// CREATOR opens a round (threshold 2 of 3).
fn open() -> CalibrationId {
	let id = NextCalibrationId::<Test>::get();
	assert_ok!(Validation::create_calibration(
		RuntimeOrigin::signed(CREATOR),
		MATH,
		questions(),
		key_commitment(),
		2,
		LENGTHS
	));
	id
}

fn commit_answers(id: CalibrationId, who: AccountId, a: &[&[u8]]) {
	let c = Validation::calibration_commitment_of(id, &who, &plain(a), &salt(who));
	assert_ok!(Validation::commit_calibration(RuntimeOrigin::signed(who), id, c));
}

fn reveal_answers(id: CalibrationId, who: AccountId, a: &[&[u8]]) {
	assert_ok!(Validation::reveal_calibration(
		RuntimeOrigin::signed(who),
		id,
		answers(a),
		salt(who)
	));
}

fn round(id: CalibrationId) -> CalibrationOf<Test> {
	Calibrations::<Test>::get(id).unwrap()
}

fn status(who: AccountId) -> Option<CapabilityStatus<u64>> {
	<Staking as NodeRegistry<_, _, _>>::capability(&who, MATH)
}

fn held_deposit(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::CalibrationDeposit.into(), &who)
}

#[test]
fn a_round_admits_the_providers_that_pass_and_cools_down_the_others() {
	build_and_execute(|| {
		for who in &NEWCOMERS[..3] {
			join_math(*who);
			assert!(!Staking::is_eligible(who, Role::Provider, MATH));
		}
		let id = open_governance();
		assert_eq!(OpenCalibrations::<Test>::get().into_inner(), vec![id]);
		assert_eq!(Validation::calibration_work(&20), vec![(id, CalibrationAction::Commit)]);
		// Genesis providers are capable already: nothing to do.
		assert!(Validation::calibration_work(&NODES[0]).is_empty());

		// 20 knows everything (written differently), 21 one answer, 22 commits and vanishes.
		commit_answers(id, 20, &[b" 42. ", b"PARIS", b"4"]);
		commit_answers(id, 21, &[b"42", b"Lyon", b"5"]);
		commit_answers(id, 22, &[b"42", b"Paris", b"4"]);
		assert_eq!(round(id).participants, 3);
		assert!(Validation::calibration_work(&20).is_empty());

		run_to_block(round(id).commit_end);
		assert_eq!(Validation::calibration_work(&20), vec![(id, CalibrationAction::Reveal)]);
		reveal_answers(id, 20, &[b" 42. ", b"PARIS", b"4"]);
		reveal_answers(id, 21, &[b"42", b"Lyon", b"5"]);
		assert!(Validation::calibration_work(&20).is_empty());

		let key_block = round(id).reveal_end;
		run_to_block(key_block);
		assert_ok!(Validation::reveal_key(RuntimeOrigin::root(), id, answers(&KEY), KEY_SALT));
		assert_eq!(status(20), Some(CapabilityStatus::Capable { since: key_block }));
		let retry_after = key_block + COOLDOWN;
		assert_eq!(status(21), Some(CapabilityStatus::Failed { retry_after }));
		assert_eq!(status(22), Some(CapabilityStatus::Failed { retry_after }));
		assert!(Staking::is_eligible(&20, Role::Provider, MATH));
		assert!(!Staking::is_eligible(&21, Role::Provider, MATH));

		let graded: Vec<(AccountId, u32, bool)> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::CalibrationGraded { who, correct, passed, .. } => {
					Some((who, correct, passed))
				}
				_ => None,
			})
			.collect();
		let mut graded = graded;
		graded.sort();
		assert_eq!(graded, vec![(20, 3, true), (21, 1, false), (22, 0, false)]);
		// The round is gone.
		assert!(Calibrations::<Test>::get(id).is_none());
		assert_eq!(CalibrationEntries::<Test>::iter_prefix(id).count(), 0);
		assert!(OpenCalibrations::<Test>::get().is_empty());

		// A failed provider waits for the cool-down; a capable one has nothing to prove.
		let next = open_governance();
		assert_noop!(
			Validation::commit_calibration(RuntimeOrigin::signed(21), next, H256::zero()),
			Error::<Test>::CoolingDown
		);
		assert_noop!(
			Validation::commit_calibration(RuntimeOrigin::signed(20), next, H256::zero()),
			Error::<Test>::AlreadyCapable
		);
		assert!(Validation::calibration_work(&21).is_empty());
		run_to_block(round(next).key_end);
		assert_ok!(Validation::close_calibration(RuntimeOrigin::signed(ANYONE), next));
		run_to_block(retry_after);
		let third = open_governance();
		commit_answers(third, 21, &KEY);
	});
}

#[test]
fn governance_rounds_hold_no_deposit_and_only_governance_reveals_the_key() {
	build_and_execute(|| {
		join_math(20);
		let id = NextCalibrationId::<Test>::get();
		assert_ok!(Validation::create_calibration(
			RuntimeOrigin::root(),
			MATH,
			questions(),
			key_commitment(),
			3,
			LENGTHS
		));
		assert_eq!(round(id).creator, None);
		assert_eq!(round(id).deposit, 0);
		commit_answers(id, 20, &KEY);
		run_to_block(round(id).commit_end);
		reveal_answers(id, 20, &KEY);
		run_to_block(round(id).reveal_end);
		assert_noop!(
			Validation::reveal_key(RuntimeOrigin::signed(CREATOR), id, answers(&KEY), KEY_SALT),
			Error::<Test>::NotCreator
		);
		assert_ok!(Validation::reveal_key(RuntimeOrigin::root(), id, answers(&KEY), KEY_SALT));
		assert!(Staking::is_eligible(&20, Role::Provider, MATH));
	});
}

#[test]
fn a_round_without_its_key_expires_burns_the_deposit_and_changes_no_status() {
	build_and_execute(|| {
		join_math(20);
		let id = open();
		commit_answers(id, 20, &KEY);
		let issuance = Balances::total_issuance();
		assert_noop!(
			Validation::close_calibration(RuntimeOrigin::signed(ANYONE), id),
			Error::<Test>::DeadlineNotReached
		);
		run_to_block(round(id).key_end - 1);
		assert_noop!(
			Validation::close_calibration(RuntimeOrigin::signed(ANYONE), id),
			Error::<Test>::DeadlineNotReached
		);
		run_to_block(round(id).key_end);
		assert_noop!(
			Validation::reveal_key(RuntimeOrigin::signed(CREATOR), id, answers(&KEY), KEY_SALT),
			Error::<Test>::WrongPhase
		);
		assert_ok!(Validation::close_calibration(RuntimeOrigin::signed(ANYONE), id));
		// The creator's deposit, and 20's calibrant deposit: it never revealed (AUDIT H3).
		assert_eq!(Balances::total_issuance(), issuance - CAL_DEPOSIT - CALIBRANT_DEPOSIT);
		assert_eq!(held_deposit(CREATOR), 0);
		assert_eq!(status(20), None);
		assert!(Calibrations::<Test>::get(id).is_none());
		assert_eq!(CalibrationEntries::<Test>::iter_prefix(id).count(), 0);
		assert!(events()
			.contains(&Event::CalibrationExpired { calibration: id, forfeited: CAL_DEPOSIT }));
		assert_noop!(
			Validation::close_calibration(RuntimeOrigin::signed(ANYONE), id),
			Error::<Test>::UnknownCalibration
		);
	});
}

#[test]
fn a_provider_that_left_the_domain_is_graded_but_gets_no_status() {
	build_and_execute(|| {
		join_math(20);
		let id = open_governance();
		commit_answers(id, 20, &KEY);
		run_to_block(round(id).commit_end);
		reveal_answers(id, 20, &KEY);
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(20)));
		run_to_block(round(id).reveal_end);
		assert_ok!(Validation::reveal_key(RuntimeOrigin::root(), id, answers(&KEY), KEY_SALT));
		assert!(events().contains(&Event::CalibrationGraded {
			calibration: id,
			who: 20,
			correct: 3,
			passed: true
		}));
		assert_eq!(status(20), None);
	});
}

#[test]
fn bad_calibration_calls_change_nothing() {
	build_and_execute(|| {
		for who in NEWCOMERS {
			join_math(who);
		}
		let signed = RuntimeOrigin::signed;
		let create = |domain, q: QuestionsOf<Test>, threshold, lengths| {
			Validation::create_calibration(
				signed(CREATOR),
				domain,
				q,
				key_commitment(),
				threshold,
				lengths,
			)
		};
		assert_noop!(create(7, questions(), 2, LENGTHS), Error::<Test>::InactiveDomain);
		assert_noop!(create(MATH, Default::default(), 1, LENGTHS), Error::<Test>::BadQuestions);
		assert_noop!(create(MATH, questions(), 0, LENGTHS), Error::<Test>::BadQuestions);
		assert_noop!(create(MATH, questions(), 4, LENGTHS), Error::<Test>::BadQuestions);
		let zero = CalibrationLengths { commit: 0, ..LENGTHS };
		assert_noop!(create(MATH, questions(), 2, zero), Error::<Test>::BadWindow);
		let long = CalibrationLengths { key: 101, ..LENGTHS };
		assert_noop!(create(MATH, questions(), 2, long), Error::<Test>::BadWindow);
		// A creator who cannot hold the deposit.
		assert_ok!(Balances::transfer_all(signed(ANYONE), CREATOR, false));
		assert_noop!(
			Validation::create_calibration(
				signed(ANYONE),
				MATH,
				questions(),
				key_commitment(),
				2,
				LENGTHS
			),
			TokenError::FundsUnavailable
		);

		let id = open();
		open_governance();
		assert_noop!(create(MATH, questions(), 2, LENGTHS), Error::<Test>::TooManyCalibrations);

		// Commit.
		let c = H256::repeat_byte(3);
		assert_noop!(
			Validation::commit_calibration(signed(20), 99, c),
			Error::<Test>::UnknownCalibration
		);
		for outsider in [ANYONE, OUTSIDER, VALIDATORS[0]] {
			assert_noop!(
				Validation::commit_calibration(signed(outsider), id, c),
				Error::<Test>::NotCalibrant
			);
		}
		assert_noop!(
			Validation::commit_calibration(signed(NODES[0]), id, c),
			Error::<Test>::AlreadyCapable
		);
		for who in &NEWCOMERS[..4] {
			commit_answers(id, *who, &KEY);
		}
		assert_noop!(
			Validation::commit_calibration(signed(20), id, c),
			Error::<Test>::AlreadyCommitted
		);
		assert_noop!(
			Validation::commit_calibration(signed(24), id, c),
			Error::<Test>::TooManyCalibrants
		);
		// Reveal: too early, then bad inputs.
		assert_noop!(
			Validation::reveal_calibration(signed(20), id, answers(&KEY), salt(20)),
			Error::<Test>::WrongPhase
		);
		run_to_block(round(id).commit_end);
		assert_noop!(Validation::commit_calibration(signed(24), id, c), Error::<Test>::WrongPhase);
		assert_noop!(
			Validation::reveal_calibration(signed(24), id, answers(&KEY), salt(24)),
			Error::<Test>::NoCommitment
		);
		assert_noop!(
			Validation::reveal_calibration(signed(20), id, answers(&KEY[..2]), salt(20)),
			Error::<Test>::BadAnswers
		);
		assert_noop!(
			Validation::reveal_calibration(signed(20), id, answers(&KEY), salt(21)),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Validation::reveal_calibration(signed(20), id, answers(&[b"1", b"2", b"3"]), salt(20)),
			Error::<Test>::CommitmentMismatch
		);
		reveal_answers(id, 20, &KEY);
		assert_noop!(
			Validation::reveal_calibration(signed(20), id, answers(&KEY), salt(20)),
			Error::<Test>::AlreadyRevealed
		);
		// Key: too early, wrong origin, wrong key.
		assert_noop!(
			Validation::reveal_key(signed(CREATOR), id, answers(&KEY), KEY_SALT),
			Error::<Test>::WrongPhase
		);
		run_to_block(round(id).reveal_end);
		assert_noop!(
			Validation::reveal_calibration(signed(21), id, answers(&KEY), salt(21)),
			Error::<Test>::WrongPhase
		);
		assert_noop!(
			Validation::reveal_key(signed(20), id, answers(&KEY), KEY_SALT),
			Error::<Test>::NotCreator
		);
		assert_noop!(
			Validation::reveal_key(RuntimeOrigin::root(), id, answers(&KEY), KEY_SALT),
			Error::<Test>::NotCreator
		);
		assert_noop!(
			Validation::reveal_key(signed(CREATOR), 99, answers(&KEY), KEY_SALT),
			Error::<Test>::UnknownCalibration
		);
		assert_noop!(
			Validation::reveal_key(signed(CREATOR), id, answers(&KEY[..1]), KEY_SALT),
			Error::<Test>::BadAnswers
		);
		assert_noop!(
			Validation::reveal_key(signed(CREATOR), id, answers(&KEY), [0; 32]),
			Error::<Test>::KeyMismatch
		);
		assert_noop!(
			Validation::reveal_key(
				signed(CREATOR),
				id,
				answers(&[b"42", b"Paris", b"5"]),
				KEY_SALT
			),
			Error::<Test>::KeyMismatch
		);
	});
}

#[test]
fn try_state_detects_a_broken_participant_counter() {
	new_test_ext().execute_with(|| {
		join_math(20);
		let id = open();
		commit_answers(id, 20, &KEY);
		assert!(Validation::do_try_state().is_ok());
		Calibrations::<Test>::mutate(id, |c| c.as_mut().unwrap().participants = 0);
		assert!(Validation::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_an_unlisted_round() {
	new_test_ext().execute_with(|| {
		let id = open();
		OpenCalibrations::<Test>::kill();
		assert!(Validation::do_try_state().is_err());
		let _ = id;
	});
}

// ---------------------------------------------------------------------------------------------
// Attacks (AUDIT H2, H3). Each was run first against the code before the fix (main at 120251c),
// where the attack worked; the figures of that run are in the test's comment.
// ---------------------------------------------------------------------------------------------

/// Root opens a round with the usual key (threshold 2 of 3).
fn open_governance() -> CalibrationId {
	let id = NextCalibrationId::<Test>::get();
	assert_ok!(Validation::create_calibration(
		RuntimeOrigin::root(),
		MATH,
		questions(),
		key_commitment(),
		2,
		LENGTHS
	));
	id
}

/// Everyone in `who` commits `a` and reveals it; the creator (`None`: root) reveals `key`.
fn take_round(
	id: CalibrationId,
	creator: Option<AccountId>,
	who: &[AccountId],
	a: &[&[u8]],
	key: &[&[u8]],
) {
	for w in who {
		commit_answers(id, *w, a);
	}
	run_to_block(round(id).commit_end);
	for w in who {
		reveal_answers(id, *w, a);
	}
	run_to_block(round(id).reveal_end);
	let origin = creator.map_or(RuntimeOrigin::root(), RuntimeOrigin::signed);
	let salt = KEY_SALT;
	assert_ok!(Validation::reveal_key(origin, id, answers(key), salt));
}

/// H2. Before: a signed creator wrote the exam and its key, its sybil provider 20 committed
/// the known answers and became capable (status `Capable { since: 7 }`, eligible for queries),
/// and the deposit came back. Now only governance rounds grant capability; a signed round is
/// a practice round: graded in events, no status recorded.
#[test]
fn h2_a_signed_round_grants_no_capability() {
	build_and_execute(|| {
		join_math(20);
		let id = open();
		take_round(id, Some(CREATOR), &[20], &KEY, &KEY);
		println!(
			"H2: sybil of the exam's author: status {:?}, eligible {}",
			status(20),
			Staking::is_eligible(&20, Role::Provider, MATH)
		);
		assert!(events().contains(&Event::CalibrationGraded {
			calibration: id,
			who: 20,
			correct: 3,
			passed: true
		}));
		assert_eq!(status(20), None);
		assert!(!Staking::is_eligible(&20, Role::Provider, MATH));
		assert_eq!(held_deposit(CREATOR), 0, "the deposit still comes back");
	});
}

/// H3. Before: a signed round with a nonsense key failed every honest newcomer that joined it
/// (21: `Failed { retry_after: 27 }`, locked out of governance rounds for the cool-down). Now
/// a signed round records no status.
#[test]
fn h3_a_bogus_key_locks_nobody_out() {
	build_and_execute(|| {
		join_math(21);
		let bogus: [&[u8]; 3] = [b"x", b"y", b"z"];
		let id = NextCalibrationId::<Test>::get();
		assert_ok!(Validation::create_calibration(
			RuntimeOrigin::signed(CREATOR),
			MATH,
			questions(),
			Validation::key_commitment_of(&plain(&bogus), &KEY_SALT),
			2,
			LENGTHS
		));
		take_round(id, Some(CREATOR), &[21], &KEY, &bogus);
		println!("H3: honest newcomer after a bogus key: status {:?}", status(21));
		assert_eq!(status(21), None);
		// It takes the next governance round at once and passes.
		let gov = open_governance();
		take_round(gov, None, &[21], &KEY, &KEY);
		assert!(matches!(status(21), Some(CapabilityStatus::Capable { .. })));
	});
}

/// H3. Before: signed rounds took every open slot (the mock has 2) and even root could not
/// open one (`TooManyCalibrations`). Now signed rounds hold at most `MaxSignedCalibrations`
/// (1 here) of them; governance always has the rest.
#[test]
fn h3_signed_rounds_cannot_take_every_slot() {
	build_and_execute(|| {
		open();
		let second = Validation::create_calibration(
			RuntimeOrigin::signed(ANYONE),
			MATH,
			questions(),
			key_commitment(),
			2,
			LENGTHS,
		);
		let governance = Validation::create_calibration(
			RuntimeOrigin::root(),
			MATH,
			questions(),
			key_commitment(),
			2,
			LENGTHS,
		);
		println!("H3: a second signed round {second:?}, then root's {governance:?}");
		assert_eq!(second, Err(Error::<Test>::TooManyCalibrations.into()));
		assert_ok!(governance);
	});
}

fn held_calibrant(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::CalibrantDeposit.into(), &who)
}

/// H3, governance slots. Before (main at 5366a4f): taking one of a governance round's
/// `MaxCalibrants` slots cost nothing, so sybil providers committed and never revealed,
/// keeping honest newcomers out of the round for free (their free balances unchanged after
/// the round). Now each commitment holds `CalibrantDeposit`: back at the round's end to a
/// provider that revealed, passed or not; burned for one that did not (here 20 revealed and
/// 21 and 22, the squatters, did not). Same when the round expires without its key.
#[test]
fn h3_squatting_a_governance_round_costs_the_calibrant_deposit() {
	build_and_execute(|| {
		for who in [20, 21, 22, 23, 24] {
			join_math(who);
		}
		let (free_20, free_21) = (free(20), free(21));
		let gov = open_governance();
		commit_answers(gov, 20, &KEY);
		commit_answers(gov, 21, &KEY);
		commit_answers(gov, 22, &KEY);
		assert_eq!(held_calibrant(21), CALIBRANT_DEPOSIT);
		assert_eq!(free(21), free_21 - CALIBRANT_DEPOSIT);
		run_to_block(round(gov).commit_end);
		reveal_answers(gov, 20, &KEY);
		run_to_block(round(gov).reveal_end);
		assert_ok!(Validation::reveal_key(RuntimeOrigin::root(), gov, answers(&KEY), KEY_SALT));
		println!(
			"H3: squatters 21, 22: free {free_21} -> {}; calibrant 20: {free_20} -> {}",
			free(21),
			free(20)
		);
		assert_eq!((free(20), held_calibrant(20)), (free_20, 0), "revealed: deposit back");
		assert_eq!((free(21), held_calibrant(21)), (free_21 - CALIBRANT_DEPOSIT, 0));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::CalibrantDepositForfeited { who: 22, amount: CALIBRANT_DEPOSIT, .. }
		)));
		// A round that expires without its key: the revealed deposit comes back, the
		// unrevealed one is burned.
		let (free_23, free_24) = (free(23), free(24));
		let gov = open_governance();
		commit_answers(gov, 24, &KEY);
		commit_answers(gov, 23, &KEY);
		run_to_block(round(gov).commit_end);
		reveal_answers(gov, 24, &KEY);
		run_to_block(round(gov).key_end);
		assert_ok!(Validation::close_calibration(RuntimeOrigin::signed(ANYONE), gov));
		assert_eq!(free(24), free_24);
		assert_eq!(free(23), free_23 - CALIBRANT_DEPOSIT);
	});
}

/// H3. Before: every eligible provider's worker answered every open round, signed ones
/// included (each costs up to `MaxQuestions` LLM calls). Now workers take governance rounds
/// only.
#[test]
fn h3_workers_answer_governance_rounds_only() {
	build_and_execute(|| {
		join_math(20);
		let signed = open();
		println!(
			"H3: work of 20 with a signed round open: {:?}",
			Validation::calibration_work(&20)
		);
		assert!(Validation::calibration_work(&20).is_empty());
		let gov = open_governance();
		assert_eq!(Validation::calibration_work(&20), vec![(gov, CalibrationAction::Commit)]);
		let _ = signed;
	});
}

/// H2. Before: capability survived a change of model (node 1 went from `model` to
/// `other-model` and stayed `Capable`). Now a new model needs a new proof.
#[test]
fn h2_capability_is_bound_to_the_model() {
	build_and_execute(|| {
		let capable = |who| Staking::is_eligible(&who, Role::Provider, MATH);
		assert!(capable(1));
		assert_ok!(Staking::update_profile(
			RuntimeOrigin::signed(1),
			Roles::PROVIDER,
			vec![MATH].try_into().unwrap(),
			b"model".to_vec().try_into().unwrap(),
			b"new description".to_vec().try_into().unwrap()
		));
		assert!(capable(1), "same model: still capable");
		assert_ok!(Staking::update_profile(
			RuntimeOrigin::signed(1),
			Roles::PROVIDER,
			vec![MATH].try_into().unwrap(),
			b"other-model".to_vec().try_into().unwrap(),
			Default::default()
		));
		println!("H2: after a model change: status {:?}, eligible {}", status(1), capable(1));
		assert_eq!(status(1), None);
		assert!(!capable(1));
	});
}

/// H2. Before: capability never expired (node 1 was still capable ten million blocks after
/// genesis). Now it lasts `CapabilityValidity` (the mock's 10_000_000 blocks).
#[test]
fn h2_capability_expires() {
	build_and_execute(|| {
		let capable = |who| Staking::is_eligible(&who, Role::Provider, MATH);
		System::set_block_number(9_999_999);
		assert!(capable(1));
		System::set_block_number(10_000_000);
		println!("H2: ten million blocks after genesis: eligible {}", capable(1));
		assert!(!capable(1));
		assert_eq!(status(1), None, "an expired proof reads as none");
		// An expired provider may take a round again.
		assert!(Validation::calibration_refusal(&1, MATH).is_none());
	});
}
