use super::{free, register_provider};
use crate::{
	mock::*, traits::NodeRegistry, CapabilityStatus, ChunkKind, DomainNodeCount, DomainNodes,
	Error, Event, HoldReason, Nodes, Role, Roles, Unbonding,
};
use frame::{prelude::*, testing_prelude::*, traits::fungible::InspectHold};

/// `v` bounded by `S` (the calls take bounded arguments).
fn b<T: core::fmt::Debug, S: Get<u32>>(v: Vec<T>) -> BoundedVec<T, S> {
	v.try_into().unwrap()
}

fn held_bond(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::NodeBond.into(), &who)
}

#[test]
fn register_works_holds_the_bond_and_indexes_domains() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![1, 0], 150);
		let node = Nodes::<Test>::get(1).unwrap();
		assert_eq!(node.roles, Roles::PROVIDER);
		assert_eq!(node.domains.to_vec(), vec![0, 1], "domains are kept sorted");
		assert_eq!(node.bond, 150);
		assert_eq!(held_bond(1), 150);
		assert_eq!(free(1), ENDOWMENT - 150);
		assert!(DomainNodes::<Test>::contains_key(0, 1));
		assert_eq!(DomainNodeCount::<Test>::get(1), 1);
		System::assert_last_event(
			Event::NodeRegistered {
				node: 1,
				roles: Roles::PROVIDER,
				domains: vec![0, 1].try_into().unwrap(),
				bond: 150,
			}
			.into(),
		);
	});
}

#[test]
fn cannot_register_with_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let reg = |who, roles, domains: Vec<u32>, model: Vec<u8>, desc: Vec<u8>, bond| {
			Staking::register(
				RuntimeOrigin::signed(who),
				roles,
				b(domains),
				b(model),
				b(desc),
				bond,
			)
		};
		assert_noop!(
			reg(1, Roles::default(), vec![0], vec![], vec![], 150),
			Error::<Test>::NoRoles
		);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![], vec![], vec![], 150),
			Error::<Test>::NoDomains
		);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![0, 0], vec![], vec![], 150),
			Error::<Test>::DuplicateDomain
		);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![9], vec![], vec![], 150),
			Error::<Test>::UnknownDomain
		);
		assert_ok!(Staking::register_domain(RuntimeOrigin::root(), b(b"d3".to_vec())));
		assert_ok!(Staking::register_domain(RuntimeOrigin::root(), b(b"d4".to_vec())));
		assert_ok!(Staking::retire_domain(RuntimeOrigin::root(), 4));
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![4], vec![], vec![], 150),
			Error::<Test>::DomainRetired
		);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![0], vec![], vec![], 99),
			Error::<Test>::BondTooLow
		);
		assert_noop!(
			reg(1, Roles::VALIDATOR, vec![], vec![], vec![], 199),
			Error::<Test>::BondTooLow
		);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![0], vec![], vec![], ENDOWMENT + 1),
			Error::<Test>::InsufficientBalance
		);
		register_provider(1, vec![0], 150);
		assert_noop!(
			reg(1, Roles::PROVIDER, vec![0], vec![], vec![], 150),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn validators_may_declare_no_domain_and_need_the_validator_bond() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::register(
			RuntimeOrigin::signed(2),
			Roles::VALIDATOR,
			b(vec![]),
			b(vec![]),
			b(vec![]),
			200
		));
		assert!(
			Staking::is_eligible(&2, Role::Validator, 1),
			"a generalist validator serves every domain"
		);
		assert!(!Staking::is_eligible(&2, Role::Provider, 1));
	});
}

#[test]
fn cannot_register_into_a_full_domain() {
	ExtBuilder::default().build_and_execute(|| {
		for who in 1..=4 {
			register_provider(who, vec![2], 100);
		}
		assert_noop!(
			Staking::register(
				RuntimeOrigin::signed(5),
				Roles::PROVIDER,
				b(vec![2]),
				b(vec![]),
				b(vec![]),
				100
			),
			Error::<Test>::DomainFull
		);
		// Leaving frees a slot.
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(4)));
		register_provider(5, vec![2], 100);
	});
}

#[test]
fn update_profile_works_and_moves_domain_membership() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0, 1], 250);
		assert_ok!(Staking::update_profile(
			RuntimeOrigin::signed(1),
			Roles { provider: true, coordinator: true, validator: true },
			b(vec![1, 2]),
			b(b"qwen".to_vec()),
			b(b"lawyer".to_vec())
		));
		let node = Nodes::<Test>::get(1).unwrap();
		assert_eq!(node.domains.to_vec(), vec![1, 2]);
		assert_eq!(node.model.to_vec(), b"qwen".to_vec());
		assert!(!DomainNodes::<Test>::contains_key(0, 1));
		assert!(DomainNodes::<Test>::contains_key(2, 1));
		assert_eq!(DomainNodeCount::<Test>::get(0), 0);
		assert!(matches!(staking_events().last(), Some(Event::ProfileUpdated { node: 1, .. })));
	});
}

#[test]
fn cannot_update_profile_with_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let upd = |who, roles, domains: Vec<u32>| {
			Staking::update_profile(
				RuntimeOrigin::signed(who),
				roles,
				b(domains),
				b(vec![]),
				b(vec![]),
			)
		};
		assert_noop!(upd(1, Roles::PROVIDER, vec![0]), Error::<Test>::NotRegistered);
		register_provider(1, vec![0], 150);
		assert_noop!(upd(1, Roles::default(), vec![0]), Error::<Test>::NoRoles);
		assert_noop!(upd(1, Roles::PROVIDER, vec![]), Error::<Test>::NoDomains);
		assert_noop!(upd(1, Roles::PROVIDER, vec![5]), Error::<Test>::UnknownDomain);
		assert_noop!(upd(1, Roles::VALIDATOR, vec![0]), Error::<Test>::BondTooLow);
		for who in 2..=5 {
			register_provider(who, vec![2], 100);
		}
		assert_noop!(upd(1, Roles::PROVIDER, vec![2]), Error::<Test>::DomainFull);
	});
}

#[test]
fn bond_extra_and_unbond_and_withdraw_work() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 50));
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 200);
		System::assert_last_event(Event::Bonded { node: 1, amount: 50 }.into());

		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 60));
		System::assert_last_event(
			Event::Unbonded { node: 1, amount: 60, unlock_at: 1 + UNBONDING }.into(),
		);
		assert_eq!(Nodes::<Test>::get(1).unwrap().bond, 140);
		assert_eq!(held_bond(1), 200, "unbonding funds stay held");
		// A second unbond in the same block merges into the same chunk.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 10));
		assert_eq!(Unbonding::<Test>::get(1).len(), 1);

		// Too early: nothing happens.
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held_bond(1), 200);
		run_to_block(1 + UNBONDING);
		let before = free(1);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), before + 70);
		assert_eq!(held_bond(1), 130);
		assert!(Unbonding::<Test>::get(1).is_empty());
		System::assert_last_event(Event::Withdrawn { who: 1, amount: 70 }.into());
	});
}

#[test]
fn cannot_bond_or_unbond_wrongly() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::bond_extra(RuntimeOrigin::signed(1), 5),
			Error::<Test>::NotRegistered
		);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 5), Error::<Test>::NotRegistered);
		register_provider(1, vec![0], 150);
		assert_noop!(Staking::bond_extra(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Staking::bond_extra(RuntimeOrigin::signed(1), ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 51), Error::<Test>::BondTooLow);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 151), Error::<Test>::BondTooLow);
		// Chunks are bounded: one per block, at most 3.
		for b in 2..=4 {
			run_to_block(b);
			assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 10));
		}
		run_to_block(5);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 10), Error::<Test>::TooManyChunks);
	});
}

#[test]
fn deregister_unbonds_everything_and_leaves_domains() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0, 1], 150);
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(1)));
		assert!(Nodes::<Test>::get(1).is_none());
		assert_eq!(DomainNodeCount::<Test>::get(0), 0);
		let chunks = Unbonding::<Test>::get(1);
		assert_eq!(chunks.len(), 1);
		assert_eq!(chunks[0].kind, ChunkKind::Bond);
		assert_eq!(chunks[0].value, 150);
		System::assert_last_event(Event::NodeDeregistered { node: 1 }.into());
		run_to_block(1 + UNBONDING);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT);
		// Registering again is possible.
		register_provider(1, vec![0], 150);
	});
}

#[test]
fn cannot_deregister_with_live_assignments_or_unregistered() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::deregister(RuntimeOrigin::signed(1)), Error::<Test>::NotRegistered);
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::assignment_opened(&1));
		assert_noop!(
			Staking::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::HasLiveAssignments
		);
		Staking::assignment_closed(&1);
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(1)));
		assert_noop!(Staking::assignment_opened(&1), Error::<Test>::NotRegistered);
	});
}

#[test]
fn commission_decreases_at_once_and_increases_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		register_provider(1, vec![0], 150);
		assert_ok!(Staking::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		let node = Nodes::<Test>::get(1).unwrap();
		assert_eq!(Staking::effective_commission(&node, 1), Perbill::zero());
		assert_eq!(
			Staking::effective_commission(&node, 1 + COMMISSION_DELAY),
			Perbill::from_percent(20)
		);
		System::assert_last_event(
			Event::CommissionSet {
				node: 1,
				commission: Perbill::from_percent(20),
				effective_at: 1 + COMMISSION_DELAY,
			}
			.into(),
		);
		run_to_block(1 + COMMISSION_DELAY);
		assert_ok!(Staking::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(5)));
		let node = Nodes::<Test>::get(1).unwrap();
		assert_eq!(node.commission, Perbill::from_percent(5));
		assert_eq!(node.pending_commission, None);
		assert_noop!(
			Staking::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(51)),
			Error::<Test>::CommissionTooHigh
		);
		assert_noop!(
			Staking::set_commission(RuntimeOrigin::signed(2), Perbill::from_percent(1)),
			Error::<Test>::NotRegistered
		);
	});
}

#[test]
fn eligibility_follows_roles_domains_bond_and_capability() {
	ExtBuilder::default()
		.with_node(7, Roles::PROVIDER_COORDINATOR, vec![0], 100)
		.build_and_execute(|| {
			assert!(Staking::is_eligible(&7, Role::Provider, 0), "genesis nodes are capable");
			assert!(Staking::is_eligible(&7, Role::Coordinator, 0));
			assert!(!Staking::is_eligible(&7, Role::Validator, 0));
			assert!(!Staking::is_eligible(&7, Role::Provider, 1), "domain not declared");
			register_provider(1, vec![0], 150);
			assert!(!Staking::is_eligible(&1, Role::Provider, 0), "not yet capable");
			assert_noop!(
				Staking::set_capability(RuntimeOrigin::signed(1), 1, 0, true),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Staking::set_capability(RuntimeOrigin::root(), 1, 9, true),
				Error::<Test>::UnknownDomain
			);
			assert_ok!(Staking::set_capability(RuntimeOrigin::root(), 1, 0, true));
			System::assert_last_event(
				Event::CapabilitySet {
					who: 1,
					domain: 0,
					status: CapabilityStatus::Capable { since: 1 },
				}
				.into(),
			);
			assert!(Staking::is_eligible(&1, Role::Provider, 0));
			RequireCapability::set(false);
			assert!(!Staking::is_eligible(&2, Role::Provider, 0), "unregistered");
			assert_ok!(Staking::retire_domain(RuntimeOrigin::root(), 0));
			assert!(!Staking::is_eligible(&1, Role::Provider, 0), "retired domain");
			RequireCapability::set(true);
		});
}

#[test]
fn genesis_nodes_are_registered_bonded_and_capable() {
	ExtBuilder::default().with_node(7, Roles::PROVIDER, vec![0, 2], 300).build_and_execute(|| {
		assert_eq!(Nodes::<Test>::get(7).unwrap().bond, 300);
		assert_eq!(held_bond(7), 300);
		assert!(Staking::is_capable(&7, 2));
		assert_eq!(Staking::stake_of(&7), 300);
		let view = Staking::node_view(7).unwrap();
		assert_eq!(view.domains, vec![0, 2]);
		assert_eq!(Staking::nodes_in_domain(2, 0, 10).len(), 1);
		assert_eq!(Staking::nodes_in_domain(2, 1, 10).len(), 0);
	});
}

/// Samples of a domain (issue 16): `n` distinct nodes, each set equally likely, the whole
/// domain when it has at most `n`, never a node that left; the list stays dense (`try_state`
/// checks places at the end) as nodes leave and join.
#[test]
fn domain_samples_are_uniform_distinct_and_follow_leaves_and_joins() {
	use llmnet_primitives::NodeRegistry;
	use std::collections::BTreeMap;
	let mut b = ExtBuilder::default();
	for who in 1..=4 {
		b = b.with_node(who, Roles::PROVIDER, vec![2], 300);
	}
	b.build_and_execute(|| {
		let sample = |n, seed: u32| {
			let mut s = <Staking as NodeRegistry<_, _, _>>::sample_domain(2, n, {
				let mut b = [0u8; 16];
				b[..4].copy_from_slice(&seed.to_le_bytes());
				b
			});
			s.sort();
			s
		};
		// The mock's `MaxNodesPerDomain` is 4.
		assert_eq!(sample(4, 0), vec![1, 2, 3, 4]);
		assert_eq!(sample(9, 1), vec![1, 2, 3, 4]);
		assert!(sample(0, 2).is_empty());
		// Pairs: 6 possible, each about 1/6 of 6,000 draws (binomial sd 29).
		let mut pairs: BTreeMap<Vec<AccountId>, u32> = BTreeMap::new();
		for seed in 0..6_000 {
			let s = sample(2, seed);
			assert_eq!(s.len(), 2);
			assert_ne!(s[0], s[1]);
			*pairs.entry(s).or_default() += 1;
		}
		assert_eq!(pairs.len(), 6, "{pairs:?}");
		assert!(pairs.values().all(|c| (880..=1_120).contains(c)), "{pairs:?}");
		// Node 2 leaves domain 2 (the last node takes its place); 5 joins it.
		assert_ok!(Staking::update_profile(
			RuntimeOrigin::signed(2),
			Roles::PROVIDER,
			vec![0].try_into().unwrap(),
			b"model".to_vec().try_into().unwrap(),
			b"".to_vec().try_into().unwrap(),
		));
		assert_eq!(sample(4, 3), vec![1, 3, 4]);
		for seed in 0..200 {
			assert!(!sample(2, seed).contains(&2));
		}
		register_provider(5, vec![2], 150);
		assert_eq!(sample(4, 4), vec![1, 3, 4, 5]);
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(5)));
		assert_eq!(sample(4, 5), vec![1, 3, 4]);
	});
}

#[test]
fn validator_stake_counts_eligible_validators_of_the_domain_with_their_pools() {
	use llmnet_primitives::NodeRegistry;
	let b = ExtBuilder::default()
		.with_node(1, Roles::VALIDATOR, vec![2], 300)
		.with_node(2, Roles::PROVIDER, vec![2], 300)
		.with_node(3, Roles::VALIDATOR, vec![1], 400)
		.with_node(4, Roles::VALIDATOR, vec![2], 500);
	b.build_and_execute(|| {
		let total = |limit| <Staking as NodeRegistry<_, _, _>>::validator_stake(2, limit);
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(9), 4, 50));
		// Validators 1 and 4 (with 4's pool); not the provider 2, not 3 of another domain.
		assert_eq!(total(10), 300 + 500 + 50);
		// At most `limit` nodes read (in hash order, the provider may be among them).
		assert!(total(1) <= 550);
		assert_eq!(<Staking as NodeRegistry<_, _, _>>::validator_stake(9, 10), 0, "unknown domain");
	});
}

/// AUDIT M5: call arguments are bounded in the call's type, so an oversized one never
/// decodes (before: `Vec`s up to the extrinsic size, sorted and read before any bound check).
#[test]
fn oversized_call_arguments_do_not_decode() {
	use codec::{Decode, Encode};
	let decodes = |index: u8, args: &dyn Fn(&mut Vec<u8>)| {
		let mut bytes = vec![index];
		args(&mut bytes);
		crate::Call::<Test>::decode(&mut &bytes[..]).is_ok()
	};
	let register = |domains: Vec<u32>, model: usize, desc: usize| {
		decodes(2, &|b: &mut Vec<u8>| {
			(Roles::PROVIDER, domains.clone(), vec![b'm'; model], vec![b'd'; desc], 150u128)
				.encode_to(b)
		})
	};
	// The mock's bounds: 3 domains per node, a 16-byte model, a 32-byte description.
	assert!(register(vec![0, 1, 2], 16, 32));
	assert!(!register(vec![0, 1, 2, 3], 16, 32));
	assert!(!register(vec![0], 17, 0));
	assert!(!register(vec![0], 0, 33));
	let update = |domains: Vec<u32>, model: usize| {
		decodes(3, &|b: &mut Vec<u8>| {
			(Roles::PROVIDER, domains.clone(), vec![b'm'; model], Vec::<u8>::new()).encode_to(b)
		})
	};
	assert!(update(vec![0], 16));
	assert!(!update(vec![0, 1, 2, 3], 0));
	assert!(!update(vec![0], 17));
	// Domain names: at most 16 bytes.
	assert!(decodes(0, &|b: &mut Vec<u8>| vec![b'a'; 16].encode_to(b)));
	assert!(!decodes(0, &|b: &mut Vec<u8>| vec![b'a'; 17].encode_to(b)));
}
