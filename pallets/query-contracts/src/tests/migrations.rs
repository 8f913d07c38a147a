//! Storage migrations: version 0 to 1 counts the open queries into `OpenQueries` and gives an
//! open query whose deadline was lost from the schedule (the spec-8 spill-over bug) a slot again,
//! so the chain moves it on; a second run does nothing.

use super::*;
use crate::migrations::v1::MigrateV0ToV1;
use frame::deps::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn v0_to_v1_counts_open_queries_and_reschedules_lost_deadlines() {
	ExtBuilder::default().build_and_execute(|| {
		// Version 0 state: two open queries, one with its deadline in the schedule, one (in
		// Committing) whose entry was lost; no count.
		let kept = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
		let lost = create(swarm(2), 1_000);
		select(lost, &[2, 3]);
		let deadline = query(lost).deadline;
		Schedule::<Test>::mutate(deadline, |v| v.retain(|x| *x != lost));
		crate::OpenQueries::<Test>::kill();
		StorageVersion::new(0).put::<QueryContracts>();

		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(weight.ref_time() > 0);
		assert_eq!(QueryContracts::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(crate::OpenQueries::<Test>::get(), 2);
		let now = System::block_number();
		assert_eq!(query(lost).deadline, now + 1, "the lost query is due in the next block");
		assert!(Schedule::<Test>::get(now + 1).contains(&lost));
		assert!(Schedule::<Test>::get(query(kept).deadline).contains(&kept));
		// A second run is a no-op.
		let again = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(again, <Test as frame_system::Config>::DbWeight::get().reads(1));
		// The chain moves it on: nobody committed, so it expires at its new deadline.
		next_block();
		assert_eq!(phase(lost), Phase::Expired);
	});
}

/// Version 1 to 2 removes the volunteers' index `OpenCalls` (extra judges are drawn since
/// spec 12); a second run does nothing.
#[test]
fn v1_to_v2_removes_the_volunteers_index() {
	use crate::migrations::v2::{MigrateV1ToV2, OpenCalls};
	ExtBuilder::default().build_and_execute(|| {
		// Version 1 state: two queries open to volunteers.
		OpenCalls::<Test>::insert(3, MATH);
		OpenCalls::<Test>::insert(9, MATH);
		StorageVersion::new(1).put::<QueryContracts>();

		let weight = MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(QueryContracts::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(OpenCalls::<Test>::iter_keys().count(), 0);
		let db = <Test as frame_system::Config>::DbWeight::get();
		assert!(weight.all_gte(db.reads_writes(2, 2)), "{weight:?}");
		let again = MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(again, db.reads(1));
	});
}
