//! Unit tests for `pallet_llmnet_staking`.
#![allow(clippy::arithmetic_side_effects)]

use crate::{mock::*, DomainIdByName, Domains, Error, Event, NextDomainId};
use frame::{prelude::*, testing_prelude::*};

fn bounded(name: &[u8]) -> BoundedVec<u8, ConstU32<16>> {
	name.to_vec().try_into().unwrap()
}

#[test]
fn genesis_registers_domains_in_order() {
	run_test(|| {
		assert_eq!(NextDomainId::<Test>::get(), 2);
		assert_eq!(Domains::<Test>::get(0).unwrap().name, bounded(b"math"));
		assert_eq!(Domains::<Test>::get(1).unwrap().name, bounded(b"code"));
		assert_eq!(DomainIdByName::<Test>::get(bounded(b"code")), Some(1));
		assert!(LlmnetStaking::is_active_domain(0));
		assert!(!LlmnetStaking::is_active_domain(2));
	});
}

#[test]
fn register_domain_works_and_emits_event() {
	run_test(|| {
		assert_ok!(LlmnetStaking::register_domain(RuntimeOrigin::root(), b"law".to_vec()));
		let info = Domains::<Test>::get(2).unwrap();
		assert_eq!(info.name, bounded(b"law"));
		assert!(info.active);
		assert_eq!(info.registered_at, 1);
		assert_eq!(NextDomainId::<Test>::get(), 3);
		System::assert_last_event(
			Event::DomainRegistered { domain: 2, name: bounded(b"law") }.into(),
		);
	});
}

#[test]
fn register_domain_rejects_bad_input() {
	run_test(|| {
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::signed(1), b"law".to_vec()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::root(), Vec::new()),
			Error::<Test>::EmptyDomainName
		);
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::root(), vec![b'a'; 17]),
			Error::<Test>::DomainNameTooLong
		);
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::root(), b"math".to_vec()),
			Error::<Test>::DuplicateDomainName
		);
	});
}

#[test]
fn register_domain_stops_at_max_domains() {
	run_test(|| {
		for i in 2u8..8 {
			assert_ok!(LlmnetStaking::register_domain(RuntimeOrigin::root(), vec![b'd', i]));
		}
		assert_eq!(NextDomainId::<Test>::get(), 8);
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::root(), b"one-more".to_vec()),
			Error::<Test>::TooManyDomains
		);
	});
}

#[test]
fn retire_domain_works_once() {
	run_test(|| {
		assert_noop!(
			LlmnetStaking::retire_domain(RuntimeOrigin::signed(1), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LlmnetStaking::retire_domain(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownDomain
		);
		assert_ok!(LlmnetStaking::retire_domain(RuntimeOrigin::root(), 0));
		assert!(!LlmnetStaking::is_active_domain(0));
		System::assert_last_event(Event::DomainRetired { domain: 0 }.into());
		assert_noop!(
			LlmnetStaking::retire_domain(RuntimeOrigin::root(), 0),
			Error::<Test>::DomainAlreadyRetired
		);
		// A retired domain's name stays taken so ids are never ambiguous.
		assert_noop!(
			LlmnetStaking::register_domain(RuntimeOrigin::root(), b"math".to_vec()),
			Error::<Test>::DuplicateDomainName
		);
	});
}

#[test]
fn try_state_detects_a_broken_index() {
	new_test_ext().execute_with(|| {
		assert_ok!(LlmnetStaking::do_try_state());
		DomainIdByName::<Test>::remove(bounded(b"math"));
		assert!(LlmnetStaking::do_try_state().is_err());
	});
}
