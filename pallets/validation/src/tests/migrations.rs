//! Storage migrations: challenges written in the version 0 layout keep their tallies, the
//! version is set, a second run does nothing, and a migrated challenge ends by the rule it
//! was made under (no quorum, votes as cast). Version 1 to 2: submissions and commitments
//! made before hold nothing and keep their fields; submitters of open tasks become live
//! assignments, which the task's close ends. Version 2 to 3: the open-task index is counted,
//! and an open task whose deadline was lost from the schedule gets a slot again. Version 3 to
//! 4: votes cast before are revealed votes with their sides, stakes and tallies; calibration
//! entries hold no deposit.

use super::*;
use crate::migrations::{
	v1::{v0, MigrateV0ToV1},
	v2::{v1, MigrateV1ToV2},
	v3::MigrateV2ToV3,
	v4::{v3, MigrateV3ToV4},
};
use frame::{
	deps::frame_support::{storage::unhashed, traits::OnRuntimeUpgrade},
	traits::fungible::MutateHold,
};

#[test]
fn v0_to_v1_keeps_every_challenge_tally_and_sets_the_version() {
	build_and_execute(|| {
		let id = through_final();
		// Version 0 state: node 2 (index 1) challenged, answered, upheld by 10 alone (200).
		let old = v0::ChallengeOf::<Test> {
			challenger: 31,
			bond: MIN_BOND,
			reason: bounded(b"copied"),
			proof: Some((H256::repeat_byte(9), bounded(b"ipfs://log"))),
			uphold: 200,
			reject: 0,
			voters: vec![10].try_into().unwrap(),
		};
		assert_ok!(Balances::hold(&HoldReason::ChallengeBond.into(), &31, MIN_BOND));
		unhashed::put(&Challenges::<Test>::hashed_key_for(id, 1), &old);
		StorageVersion::new(0).put::<Pallet<Test>>();

		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(weight.ref_time() > 0 && weight.proof_size() > 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		// Written in the layout of versions 1 to 3, which version 4's migration reads.
		let key = Challenges::<Test>::hashed_key_for(id, 1);
		let c = unhashed::get::<v3::ChallengeOf<Test>>(&key).unwrap();
		assert_eq!((c.uphold, c.reject, c.electorate), (200, 0, 0));
		assert_eq!(c.voters.to_vec(), vec![v3::Vote { voter: 10, uphold: false, stake: 0 }]);
		assert_eq!(c.challenger, 31);
		// A second run is a no-op.
		let again = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(again, <Test as frame_system::Config>::DbWeight::get().reads(1));
		assert_eq!(unhashed::get::<v3::ChallengeOf<Test>>(&key).unwrap().encode(), c.encode());
		// Through to today's layout (versions 2 and 3 do not touch challenges).
		StorageVersion::new(3).put::<Pallet<Test>>();
		MigrateV3ToV4::<Test>::on_runtime_upgrade();
		let c = Challenges::<Test>::get(id, 1).unwrap();
		assert_eq!(
			c.voters.to_vec(),
			vec![Vote { voter: 10, uphold: false, stake: 0, sealed: None }]
		);
		// Version 0's rule decides it: upheld by the 200 as cast, no quorum.
		assert_eq!(Validation::outcome(&c), ChallengeOutcome::Upheld);
		let bond_2 = stake(2);
		to_deadline(id);
		assert_eq!(stake(2), bond_2 - bond_2 / 10);
	});
}

#[test]
fn v1_to_v2_keeps_submissions_and_commits_and_opens_assignments() {
	build_and_execute(|| {
		// Version 1 state: a task in its first round with two submissions and one commitment,
		// none of which hold anything, and no assignments.
		let id = create(TaskKind::Training, POOL, 2);
		let old: v1::SubmissionsOf<Test> = [1u64, 2]
			.iter()
			.map(|n| v1::Submission {
				node: *n,
				artifact: H256::repeat_byte(*n as u8),
				uri: bounded(b"ipfs://model"),
				score: None,
				final_score: None,
				earned: 0,
				vested: 0,
			})
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();
		unhashed::put(&Submissions::<Test>::hashed_key_for(id), &old);
		let c = H256::repeat_byte(5);
		unhashed::put(&Commits::<Test>::hashed_key_for(id, 10), &(0u16, c));
		Tasks::<Test>::mutate(id, |t| t.as_mut().unwrap().commits = 1);
		StorageVersion::new(1).put::<Pallet<Test>>();

		let weight = MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert!(weight.ref_time() > 0 && weight.proof_size() > 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(2));
		let subs = Submissions::<Test>::get(id);
		assert_eq!(subs.len(), 2);
		assert!(subs.iter().all(|s| s.deposit == 0 && s.uri.to_vec() == b"ipfs://model"));
		assert_eq!(Commits::<Test>::get(id, 10), Some((0, c, 0)));
		let live = |n| pallet_llmnet_staking::Nodes::<Test>::get(n).unwrap().live_assignments;
		assert_eq!((live(1), live(2)), (1, 1));
		// A second run is a no-op.
		assert_eq!(
			MigrateV1ToV2::<Test>::on_runtime_upgrade(),
			<Test as frame_system::Config>::DbWeight::get().reads(1)
		);
		assert_eq!((live(1), live(2)), (1, 1));
		// The task runs to its close: the commitment (never revealed) burns nothing, the
		// assignments end.
		let free_10 = free(10);
		while task(id).phase != TaskPhase::Closed {
			to_deadline(id);
		}
		assert_eq!(free(10), free_10);
		assert_eq!((live(1), live(2)), (0, 0));
	});
}

#[test]
fn v2_to_v3_counts_open_tasks_and_reschedules_lost_deadlines() {
	build_and_execute(|| {
		// Version 2 state: two open tasks, one whose schedule entry was lost; no counter.
		let kept = create(TaskKind::Training, MIN_POOL, 2);
		let lost = create(TaskKind::Training, MIN_POOL, 2);
		Schedule::<Test>::mutate(task(lost).deadline, |v| v.retain(|x| *x != lost));
		unhashed::kill(&OpenTasks::<Test>::counter_storage_final_key());
		assert_eq!(OpenTasks::<Test>::count(), 0);
		StorageVersion::new(2).put::<Pallet<Test>>();

		let weight = MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert!(weight.ref_time() > 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(OpenTasks::<Test>::count(), 2);
		let now = System::block_number();
		assert_eq!(task(lost).deadline, now + 1, "the lost task is due in the next block");
		assert!(Schedule::<Test>::get(now + 1).contains(&lost));
		assert!(Schedule::<Test>::get(task(kept).deadline).contains(&kept));
		// A second run is a no-op.
		let again = MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(again, <Test as frame_system::Config>::DbWeight::get().reads(1));
	});
}

#[test]
fn v3_to_v4_keeps_every_vote_revealed_with_its_side_and_stake() {
	build_and_execute(|| {
		let id = through_final();
		// Version 3 state: node 2 (index 1) challenged, answered, 19 (1_100) upheld and 18
		// (1_000) rejected, in clear.
		let old = v3::ChallengeOf::<Test> {
			challenger: 31,
			bond: MIN_BOND,
			reason: bounded(b"copied"),
			proof: Some((H256::repeat_byte(9), bounded(b"ipfs://log"))),
			uphold: 1_100,
			reject: 1_000,
			voters: vec![
				v3::Vote { voter: 19, uphold: true, stake: 1_100 },
				v3::Vote { voter: 18, uphold: false, stake: 1_000 },
			]
			.try_into()
			.unwrap(),
			electorate: 6_500,
		};
		assert_ok!(Balances::hold(&HoldReason::ChallengeBond.into(), &31, MIN_BOND));
		unhashed::put(&Challenges::<Test>::hashed_key_for(id, 1), &old);
		StorageVersion::new(3).put::<Pallet<Test>>();

		let weight = MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert!(weight.ref_time() > 0 && weight.proof_size() > 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(4));
		let c = Challenges::<Test>::get(id, 1).unwrap();
		assert_eq!((c.uphold, c.reject, c.electorate), (1_100, 1_000, 6_500));
		assert_eq!(
			c.voters.to_vec(),
			vec![
				Vote { voter: 19, uphold: true, stake: 1_100, sealed: None },
				Vote { voter: 18, uphold: false, stake: 1_000, sealed: None },
			]
		);
		// A second run is a no-op.
		let again = MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert_eq!(again, <Test as frame_system::Config>::DbWeight::get().reads(1));
		assert_eq!(Challenges::<Test>::get(id, 1).unwrap(), c);
		// 1_100 of 6_500 is short of the third: rejected, as before the upgrade.
		assert_eq!(Validation::outcome(&c), ChallengeOutcome::Rejected);
		// A calibration entry of version 3 holds no deposit.
		let entry = v3::CalibrationEntryOf::<Test> {
			commitment: H256::repeat_byte(3),
			answers: Some(vec![bounded(b"42")].try_into().unwrap()),
		};
		let key = CalibrationEntries::<Test>::hashed_key_for(0, 20);
		unhashed::put(&key, &entry);
		StorageVersion::new(3).put::<Pallet<Test>>();
		MigrateV3ToV4::<Test>::on_runtime_upgrade();
		assert_eq!(
			CalibrationEntries::<Test>::get(0, 20),
			Some(CalibrationEntry {
				commitment: entry.commitment,
				answers: entry.answers,
				deposit: 0
			})
		);
		// (No round 0 exists: the entry only checks the layout; remove it for `try_state`.)
		CalibrationEntries::<Test>::remove(0, 20);
	});
}
