use crate::{mock::*, DomainIdByName, Domains, Error, Event, NextDomainId};
use frame::{prelude::*, testing_prelude::*};

fn bounded(name: &[u8]) -> BoundedVec<u8, ConstU32<16>> {
	name.to_vec().try_into().unwrap()
}

#[test]
fn genesis_registers_domains_in_order() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(NextDomainId::<Test>::get(), 3);
		assert_eq!(Domains::<Test>::get(0).unwrap().name, bounded(b"math"));
		assert_eq!(Domains::<Test>::get(2).unwrap().name, bounded(b"law"));
		assert_eq!(DomainIdByName::<Test>::get(bounded(b"code")), Some(1));
		assert!(Staking::is_active_domain(0));
		assert!(!Staking::is_active_domain(3));
		let views = Staking::domain_views();
		assert_eq!(views.iter().map(|d| d.id).collect::<Vec<_>>(), vec![0, 1, 2]);
	});
}

#[test]
fn register_domain_works_and_emits_event() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::register_domain(
			RuntimeOrigin::root(),
			(b"medicine".to_vec()).try_into().unwrap()
		));
		let info = Domains::<Test>::get(3).unwrap();
		assert_eq!(info.name, bounded(b"medicine"));
		assert!(info.active);
		assert_eq!(info.registered_at, 1);
		System::assert_last_event(
			Event::DomainRegistered { domain: 3, name: bounded(b"medicine") }.into(),
		);
	});
}

#[test]
fn cannot_register_domain_with_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::register_domain(RuntimeOrigin::signed(1), b"x".to_vec().try_into().unwrap()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Staking::register_domain(RuntimeOrigin::root(), (vec![]).try_into().unwrap()),
			Error::<Test>::EmptyDomainName
		);
		assert_noop!(
			Staking::register_domain(RuntimeOrigin::root(), b"math".to_vec().try_into().unwrap()),
			Error::<Test>::DuplicateDomainName
		);
	});
}

#[test]
fn cannot_register_domain_beyond_max_domains() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 3u8..8 {
			assert_ok!(Staking::register_domain(
				RuntimeOrigin::root(),
				(vec![b'd', i]).try_into().unwrap()
			));
		}
		assert_noop!(
			Staking::register_domain(
				RuntimeOrigin::root(),
				b"one-more".to_vec().try_into().unwrap()
			),
			Error::<Test>::TooManyDomains
		);
	});
}

#[test]
fn retire_domain_works_once_and_keeps_the_name() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::retire_domain(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
		assert_noop!(
			Staking::retire_domain(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownDomain
		);
		assert_ok!(Staking::retire_domain(RuntimeOrigin::root(), 0));
		assert!(!Staking::is_active_domain(0));
		System::assert_last_event(Event::DomainRetired { domain: 0 }.into());
		assert_noop!(
			Staking::retire_domain(RuntimeOrigin::root(), 0),
			Error::<Test>::DomainAlreadyRetired
		);
		assert_noop!(
			Staking::register_domain(RuntimeOrigin::root(), b"math".to_vec().try_into().unwrap()),
			Error::<Test>::DuplicateDomainName
		);
	});
}

#[test]
fn try_state_detects_a_broken_index() {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(Staking::do_try_state());
		DomainIdByName::<Test>::remove(bounded(b"math"));
		assert!(Staking::do_try_state().is_err());
	});
}
