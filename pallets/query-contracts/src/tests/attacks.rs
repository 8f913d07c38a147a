//! The attacks of `AUDIT.md` on the query market (C2, H5, H6, H8, M7, M8), each written
//! first against the code that allowed it (see the commit that added this file), then kept:
//! every test asserts the attacker's gain and the victims' bonds and reputations.

use super::*;
use crate::Error;
use pallet_llmnet_reputation::{Feedback, Reputation as _, ReputationKind};

fn bond(who: AccountId) -> Balance {
	pallet_llmnet_staking::Nodes::<Test>::get(who).map(|n| n.bond).unwrap_or(0)
}

fn answer_rep(who: AccountId) -> (u32, u32) {
	(
		Reputation::reputation(&who, MATH, ReputationKind::Answer).deconstruct(),
		Reputation::observations(&who, MATH, ReputationKind::Answer),
	)
}

fn zero_shares() -> RewardShares {
	RewardShares {
		coordinator: Perbill::zero(),
		validators: Perbill::zero(),
		judges: Perbill::zero(),
		answers: Perbill::zero(),
	}
}

/// C2: two-block phases and zero shares on automatic selection. Before: the query was
/// accepted, the eight best providers were assigned work no real endpoint can do in one block,
/// and each lost `MissedDeadlineSlash` of its bond for free (the budget came back). After:
/// nobody consents to phases shorter than its terms' `min_phase` nor to zero pay, so the query
/// is refused and no bond moves.
#[test]
fn c2_short_unpaid_phases_cannot_burn_bonds() {
	ExtBuilder::default().build_and_execute(|| {
		let before: Vec<Balance> = (1..=8).map(bond).collect();
		let attack = QueryParams {
			coordinator: None,
			phases: PhaseLengths { committing: 1, revealing: 1, ..phases() },
			shares: zero_shares(),
			..swarm(7)
		};
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"q"),
				attack.clone(),
				MIN_BUDGET
			),
			Error::<Test>::NoProvidersWithinTerms
		);
		// Long enough phases but still no pay: refused too.
		let unpaid = QueryParams { phases: phases(), ..attack };
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"q"),
				unpaid,
				MIN_BUDGET
			),
			Error::<Test>::NoProvidersWithinTerms
		);
		assert_eq!((1..=8).map(bond).collect::<Vec<_>>(), before);
	});
}

/// H5: forced unpaid work. A provider that prices its answers is never assigned a query
/// whose answer pay is below that price (automatic or coordinator selection), and a
/// requester cannot ask for a quality threshold that honest validators' scores miss.
#[test]
fn h5_work_below_a_providers_price_is_never_assigned() {
	ExtBuilder::default().build_and_execute(|| {
		// Everyone but 2 and 3 asks 200 per answer.
		for who in 1..=8 {
			let answer = if who == 2 || who == 3 { 10 } else { 200 };
			assert_ok!(QueryContracts::set_terms(
				RuntimeOrigin::signed(who),
				MATH,
				ProviderTerms { answer, ..terms() }
			));
		}
		run_to_block(System::block_number() + TERMS_DELAY);
		// 1_000 x 70 % / 3 = 233 per answer: affordable for everyone...
		let id = create(QueryParams { coordinator: None, ..swarm(3) }, 1_000);
		// ... but 1_000 x 70 % / 4 = 175 only for 2 and 3.
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"q"),
				QueryParams { coordinator: None, ..swarm(4) },
				1_000
			),
			Error::<Test>::NoProvidersWithinTerms
		);
		let cheap = create(swarm(2), 400);
		assert_noop!(
			QueryContracts::select(
				RuntimeOrigin::signed(COORD),
				cheap,
				vec![2, 4].try_into().unwrap(),
				bounded(b"")
			),
			Error::<Test>::TermsNotMet
		);
		assert_ok!(QueryContracts::select(
			RuntimeOrigin::signed(COORD),
			cheap,
			vec![2, 3].try_into().unwrap(),
			bounded(b"")
		));
		assert_noop!(
			QueryContracts::create_query(
				RuntimeOrigin::signed(REQUESTER),
				MATH,
				bounded(b"q"),
				QueryParams { quality_threshold: percent(100), ..swarm(2) },
				1_000
			),
			Error::<Test>::QualityThresholdTooHigh
		);
		while phase(id) == Phase::Selecting {
			next_block();
		}
		assert_eq!(query(id).respondents.len(), 3);
	});
}

/// H5 / H8: every query burns the protocol fee, even when its budget comes back, so
/// zero-value self-dealing costs the attacker real money.
#[test]
fn h5_every_query_burns_the_protocol_fee() {
	ExtBuilder::default().build_and_execute(|| {
		QueryFee::set(7);
		let issuance = Balances::total_issuance();
		let before = free(REQUESTER);
		let id = create(swarm(2), 1_000);
		assert_ok!(QueryContracts::cancel(RuntimeOrigin::signed(REQUESTER), id));
		assert_eq!(free(REQUESTER), before - 7);
		assert_eq!(Balances::total_issuance(), issuance - 7);
		assert!(query_events()
			.iter()
			.any(|e| matches!(e, Event::QueryCreated { query, fee: 7, .. } if *query == id)));
	});
}

/// H6: a sybil validator of the requester scores a lone respondent 0. Before: the sybil,
/// first to call `validate`, always took the slot; the answer's share went back to the
/// requester, the sybil took the validators' share and the victim's Answer reputation fell
/// by a fifth. After: validators are drawn by stake (the sybil is refused unless drawn), the
/// respondent's agreed price is paid whatever the score, and a single validator's score does
/// not move reputations (even when the drawn validator scores 0).
#[test]
fn h6_a_lone_sybil_validator_cannot_zero_a_reputation_or_the_pay() {
	ExtBuilder::default().build_and_execute(|| {
		let victim = 2;
		assert_ok!(QueryContracts::set_terms(
			RuntimeOrigin::signed(victim),
			MATH,
			ProviderTerms { answer: 100, ..terms() }
		));
		run_to_block(System::block_number() + TERMS_DELAY);
		let before = answer_rep(victim);
		let single = QueryParams {
			mode: Mode::Single,
			respondents: 1,
			validators: 1,
			quality_threshold: percent(50),
			..swarm(1)
		};
		let id = create(single, 1_000);
		select(id, &[victim]);
		answer_all(id, &[(victim, b"42")]);
		assert_eq!(phase(id), Phase::Validating);
		let drawn = DrawnValidators::<Test>::get(id).to_vec();
		let sybil = VALIDATORS[0];
		if !drawn.contains(&sybil) {
			assert_noop!(
				QueryContracts::commit_validation(RuntimeOrigin::signed(sybil), id, H256::zero()),
				Error::<Test>::CannotValidate
			);
		}
		score(id, drawn[0], percent(0));
		while !phase(id).is_final() {
			next_block();
		}
		assert_eq!(answer_rep(victim), before, "one validator's score moved the reputation");
		assert!(paid_events(id).contains(&(victim, PayRole::Answer, 100)));
	});
}

/// H8: self-dealing below the observation floor. Queries whose answer pay is under
/// `ObservationFloor` settle and pay, but move no reputation: farming costs at least the floor
/// per observation plus the fee.
#[test]
fn h8_cheap_self_dealing_farms_no_reputation() {
	ExtBuilder::default().build_and_execute(|| {
		let before: Vec<(u32, u32)> = (2..=4).map(answer_rep).collect();
		// 150 x 70 % / 3 = 35 per answer, under the floor of 50; the sybils agree on "42".
		let id = create(swarm(3), 150);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		judge(id, 2, vec![cmp(1, 2, PairOutcome::A)]);
		judge(id, 3, vec![cmp(0, 2, PairOutcome::A)]);
		judge(id, 4, vec![cmp(0, 1, PairOutcome::A)]);
		while !phase(id).is_final() {
			next_block();
		}
		assert_eq!(phase(id), Phase::Settled);
		assert_eq!((2..=4).map(answer_rep).collect::<Vec<_>>(), before);
	});
}

/// M7: a respondent that reads the others' reveals and withholds its own (worse) answer.
/// Before: it paid the slash but its reputation kept its value. After: the miss is an
/// observation of 0.
#[test]
fn m7_withholding_a_reveal_costs_reputation() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		for (who, a) in [(2, b"42"), (3, b"42"), (4, b"41")] {
			commit(id, who, a);
		}
		next_block();
		reveal(id, 2, b"42");
		reveal(id, 3, b"42");
		let (value, observations) = answer_rep(4);
		while phase(id) == Phase::Revealing {
			next_block();
		}
		let after = answer_rep(4);
		assert_eq!(after.1, observations + 1);
		assert!(after.0 < value, "{after:?} vs {value}");
		while !phase(id).is_final() {
			next_block();
		}
	});
}

/// M8: one judgement flushing the feedback ring of a co-respondent with copies of one entry.
#[test]
fn m8_one_feedback_entry_per_target_and_query() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(swarm(3), 1_000);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		let entry = PeerFeedback { to: 3, text: bounded(b"ignore all previous") };
		let flood: Vec<_> = (0..8).map(|_| entry.clone()).collect();
		judge_with(id, 2, Vec::new(), flood.clone());
		judge(id, 3, Vec::new());
		judge(id, 4, Vec::new());
		forget_sealed(id, 2);
		next_block();
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert_noop!(
			QueryContracts::judge(
				RuntimeOrigin::signed(2),
				id,
				Default::default(),
				flood.try_into().unwrap(),
				salt(2)
			),
			Error::<Test>::DuplicateFeedback
		);
		assert!(Feedback::<Test>::get(3).is_empty());
		// One entry per target is accepted (a fresh commitment to it, as a test shortcut).
		let one = vec![entry];
		let c = QueryContracts::judgement_commitment_of(id, &2, &[], &one, &salt(2));
		JudgementCommitments::<Test>::insert(id, 2, c);
		assert_ok!(QueryContracts::judge(
			RuntimeOrigin::signed(2),
			id,
			Default::default(),
			one.try_into().unwrap(),
			salt(2)
		));
		assert_eq!(Feedback::<Test>::get(3).len(), 1);
	});
}

/// A Swarm query of 2 respondents without a coordinator, once automatically selected; its id
/// and respondents.
fn auto_selected() -> (QueryId, Vec<AccountId>) {
	let id = create(QueryParams { coordinator: None, ..swarm(2) }, 1_000);
	while phase(id) == Phase::Selecting {
		next_block();
	}
	(id, query(id).respondents.to_vec())
}

/// Every one of `chosen` answers query `id` with "42" and judges; run to its end.
fn settle_unanimous(id: QueryId, chosen: &[AccountId]) {
	let answers: Vec<(AccountId, &[u8])> = chosen.iter().map(|w| (*w, &b"42"[..])).collect();
	answer_all(id, &answers);
	for who in chosen {
		judge(id, *who, vec![]);
	}
	while !phase(id).is_final() {
		next_block();
	}
}

/// H7: automatic selection looked only at the first `SelectionScan` nodes of the domain in
/// account-hash order, so 64 sybils with ground keys (small hashes) took every automatic
/// selection. Here the scan is 5 of the 11 nodes of `math` (8 providers, 3 validators):
/// before, 20 queries only ever selected providers among the first 5 in hash order (with a
/// scan of 3: {3, 5, 6} in 20 of 20); now each query scans a window starting at a point drawn
/// from the parent hash and the query id, so every provider gets its turn.
#[test]
fn h7_the_first_nodes_in_hash_order_do_not_take_every_selection() {
	ExtBuilder::default().build_and_execute(|| {
		SelectionScan::set(5);
		let first: Vec<AccountId> =
			pallet_llmnet_staking::DomainNodes::<Test>::iter_key_prefix(MATH).take(5).collect();
		let mut seen = alloc::collections::BTreeSet::new();
		for _ in 0..20 {
			let (id, chosen) = auto_selected();
			seen.extend(chosen.iter().copied());
			settle_unanimous(id, &chosen);
		}
		let outside = seen.iter().filter(|w| !first.contains(w)).count();
		assert!(outside >= 2, "selected {seen:?}, first in hash order {first:?}");
		// Measured: 7 of the 8 providers selected in 20 queries.
		assert!(seen.len() >= 6, "selected {seen:?}");
	});
}

/// H7, the whole domain (issue 16's candidate index). A window of `SelectionScan` nodes from
/// a relay-random point is fair among equals, but a domain larger than the window hid its
/// best provider from every query whose window missed it. Here provider 8 is far the best
/// reputed (ten observations of 1; the others at the initial 0.5) and announces its terms;
/// the window is 4 of the 23 nodes of `math` (20 providers, 3 validators: every window holds
/// a provider); 20 automatic selections of 2 respondents.
/// Without the index (`MaxLeaders` 0: the pool is the window alone, as before spec 13) 8 was
/// selected in only a few of them; with it, 8 is in every pool and takes the top slot of all
/// 20.
#[test]
fn h7_the_best_provider_of_a_large_domain_is_in_every_selection_pool() {
	let series = |leaders: u32| {
		let mut best = 0;
		ExtBuilder::default().providers(20).build_and_execute(|| {
			SelectionScan::set(4);
			MaxLeaders::set(leaders);
			for _ in 0..10 {
				observe_answer(8, Perbill::one());
			}
			assert_ok!(QueryContracts::set_terms(RuntimeOrigin::signed(8), MATH, terms()));
			for _ in 0..20 {
				let (id, chosen) = auto_selected();
				best += usize::from(chosen.contains(&8));
				settle_unanimous(id, &chosen);
			}
		});
		best
	};
	let (without, with) = (series(0), series(4));
	MaxLeaders::set(4);
	println!("best provider selected: {without} of 20 without the index, {with} with it");
	assert!(without <= 10, "without the index: {without} of 20");
	assert_eq!(with, 20, "with the index: {with} of 20");
}

/// H7 for committees (issue 16): ground keys drawn together. Committees were drawn from a
/// window of `CommitteeScan` consecutive nodes of account-hash order, so sybil keys ground
/// into one narrow band of the order sat in the same windows: whenever a window held one of
/// them it held them all, and the whole committee was theirs far more often than their
/// share of the domain allows. Here 4 of the 61 eligible providers of `math` (equal stakes)
/// are one attacker's, ground to hash within 1/16,384 of the order; committees of 2 extra
/// judges drawn for 3,000 query ids from a sample of 8 nodes. A fair draw over the whole
/// domain gives the attacker both seats with probability (4/60) x (3/59) = 0.34 %, about 10
/// of 3,000, and a seat about 390 times. Measured: both seats in 102 of 3,000 (a seat in
/// 421) from the window; after (a uniform sample of the whole domain, read from its dense
/// node list, spec 15), 6 (411).
#[test]
fn h7_sybils_ground_into_one_band_of_hash_order_are_not_drawn_together() {
	use codec::Encode;
	let band = |who: &AccountId| {
		let h = frame::hashing::blake2_128(&who.encode());
		h[0] == 0x80 && h[1] < 0x04
	};
	let sybils: Vec<AccountId> = (1_000..1_000_000u64).filter(band).take(4).collect();
	assert_eq!(sybils.len(), 4);
	let honest: Vec<AccountId> = (200..249).collect();
	let extra: Vec<AccountId> = honest.iter().chain(sybils.iter()).copied().collect();
	ExtBuilder::default().extra_providers(extra).build_and_execute(|| {
		CommitteeScan::set(8);
		// The sybils are neighbours in the domain's hash order.
		let order: Vec<AccountId> =
			pallet_llmnet_staking::DomainNodes::<Test>::iter_key_prefix(MATH).collect();
		let at = order.iter().position(|w| sybils.contains(w)).unwrap();
		assert!(order[at..at + 4].iter().all(|w| sybils.contains(w)), "{order:?}");
		let id = create(QueryParams { extra_judges: 2, ..swarm(3) }, 1_000);
		let q = query(id);
		let (mut both, mut any) = (0, 0);
		for draw in 0..3_000u64 {
			let judges = QueryContracts::draw_extra_judges(id + draw, &q, 3);
			assert_eq!(judges.len(), 2);
			let theirs = judges.iter().filter(|j| sybils.contains(j)).count();
			both += usize::from(theirs == 2);
			any += usize::from(theirs > 0);
		}
		println!("sybils drew both seats in {both} of 3000 committees, a seat in {any}");
		// Fair: a seat about 390 times (1 - (56/60)(55/59)).
		assert!(both <= 20, "both seats in {both} of 3000");
		assert!((300..=480).contains(&any), "a seat in {any} of 3000");
	});
}

/// The candidate index of a domain ([`Leaders`]): the best automatic-selection scores first,
/// at most `MaxLeaders` (4 here), entered by announced terms or an `Answer` observation, the
/// lowest evicted by a better one, and refreshed by automatic selection, which drops a
/// provider that left.
#[test]
fn leaders_hold_the_best_scores_of_a_domain_bounded_and_refreshed() {
	ExtBuilder::default().build_and_execute(|| {
		let leaders = || Leaders::<Test>::get(MATH).iter().map(|(a, _)| *a).collect::<Vec<_>>();
		let score = |who: AccountId| {
			QueryContracts::selection_score(
				Reputation::reputation(&who, MATH, ReputationKind::Answer),
				<Staking as llmnet_primitives::NodeRegistry<_, _, _>>::stake_of(&who),
			)
		};
		assert!(leaders().is_empty());
		// Providers 2..=7 observed once each, x rising with the account.
		for who in 2..=7u64 {
			observe_answer(who, Perbill::from_percent(10 * who as u32));
		}
		// Announced terms enter the index in any order; it keeps the four best.
		for who in [4, 2, 7, 3, 6, 5] {
			assert_ok!(QueryContracts::set_terms(RuntimeOrigin::signed(who), MATH, terms()));
		}
		assert_eq!(leaders(), vec![7, 6, 5, 4]);
		let stored: Vec<u128> = Leaders::<Test>::get(MATH).iter().map(|(_, s)| *s).collect();
		assert_eq!(stored, [7, 6, 5, 4].map(score).to_vec());
		// A validator is no provider: announcing terms is refused, the index unchanged.
		assert_noop!(
			QueryContracts::set_terms(RuntimeOrigin::signed(VALIDATORS[0]), MATH, terms()),
			Error::<Test>::NotProvider
		);
		// 7 leaves the registry; the next automatic selection drops it and keeps the order.
		assert_ok!(Staking::deregister(RuntimeOrigin::signed(7)));
		let (id, chosen) = auto_selected();
		assert_eq!(leaders(), vec![6, 5, 4]);
		// Settling moves the respondents' places: unanimous answers are observations of 1,
		// which lift each respondent above the ones it passes.
		settle_unanimous(id, &chosen);
		let now = leaders();
		assert!(now.len() <= 4);
		for who in chosen {
			assert!(now.contains(&who), "{who} observed at 1 is a leader: {now:?}");
		}
		let mut by_score = now.clone();
		by_score.sort_by_key(|w| core::cmp::Reverse(score(*w)));
		assert_eq!(now, by_score);
	});
}

/// Randomness no collator can grind (issue 16). Every draw (the selection window, automatic
/// selection's tie-breaks and exploration slot, the drawn validators and coordinator) used the
/// parent hash, which the block's author chooses among the blocks it could build: over 16
/// parent hashes it could pick among 14 different draws for the same query, with no
/// validator, validator 20 or validator 22 (the fallback below, which is the old code's
/// behaviour; measured). Seeded from the relay
/// chain's randomness, the draws no longer move with the parent hash; they move with the
/// relay randomness, which the collator cannot choose.
#[test]
fn a_collator_cannot_grind_the_draws_once_relay_randomness_is_noted() {
	ExtBuilder::default().build_and_execute(|| {
		SelectionScan::set(5);
		let single = QueryParams { coordinator: None, validators: 1, ..swarm(2) };
		let id = create(single, 1_000);
		let q = query(id);
		let draws = |parent: u8| {
			System::set_parent_hash(H256::repeat_byte(parent));
			(
				QueryContracts::auto_select(id, &q).to_vec(),
				QueryContracts::draw_validators(id, &q),
				QueryContracts::draw_coordinator(id, q.domain, &q.requester, &q.params),
			)
		};
		let outcomes = |relay: Option<[u8; 32]>| {
			match relay {
				Some(r) => RelayRandomness::<Test>::put(r),
				None => RelayRandomness::<Test>::kill(),
			}
			(0..16u8).map(draws).collect::<alloc::collections::BTreeSet<_>>()
		};
		// The fallback (no relay chain): a grinding author has a choice of draws.
		let ground = outcomes(None);
		assert!(ground.len() >= 4, "{ground:?}");
		let validators: alloc::collections::BTreeSet<_> =
			ground.iter().map(|d| d.1.clone()).collect();
		assert!(validators.len() >= 2, "{validators:?}");
		// With relay randomness noted: one draw whatever the parent hash...
		assert_eq!(outcomes(Some([7; 32])).len(), 1);
		// ...and the relay randomness decides it.
		let by_relay: alloc::collections::BTreeSet<_> = (0..16u8)
			.map(|r| {
				RelayRandomness::<Test>::put([r; 32]);
				draws(0)
			})
			.collect();
		assert!(by_relay.len() >= 4, "{by_relay:?}");
	});
}

/// The runtime notes the relay randomness it read from each block's verified relay state
/// proof; a proof that held neither value (a collator may leave keys out) keeps the last one,
/// so leaving them out never brings back the grindable parent-hash fallback.
#[test]
fn relay_randomness_is_noted_and_kept_when_the_proof_holds_none() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_parent_hash(H256::repeat_byte(3));
		assert_eq!(QueryContracts::draw_seed(), [3; 32], "the fallback is the parent hash");
		QueryContracts::note_relay_randomness(Some([1; 32]), Some([2; 32]));
		let noted = RelayRandomness::<Test>::get().expect("noted");
		assert_eq!(noted, blake2_256(&(Some([1u8; 32]), Some([2u8; 32])).encode()));
		assert_eq!(QueryContracts::draw_seed(), noted);
		QueryContracts::note_relay_randomness(None, None);
		assert_eq!(RelayRandomness::<Test>::get(), Some(noted));
		QueryContracts::note_relay_randomness(None, Some([2; 32]));
		assert_ne!(RelayRandomness::<Test>::get(), Some(noted), "the epoch value alone counts");
		System::set_parent_hash(H256::repeat_byte(9));
		assert_ne!(QueryContracts::draw_seed(), H256::repeat_byte(9).0);
	});
}

/// H6: validators are drawn by stake, never first come first served, and never one linked to
/// the requester by a delegation. Stakes 200, 400, 600; 60 queries wanting one validator.
#[test]
fn h6_validators_are_drawn_by_stake_and_never_linked_to_the_requester() {
	ExtBuilder::default().build_and_execute(|| {
		let mut drawn = alloc::collections::BTreeMap::<AccountId, u32>::new();
		let one_query = |drawn: &mut alloc::collections::BTreeMap<AccountId, u32>| {
			let single =
				QueryParams { mode: Mode::Single, respondents: 1, validators: 1, ..swarm(1) };
			let id = create(single, 1_000);
			select(id, &[2]);
			answer_all(id, &[(2, b"42")]);
			for v in DrawnValidators::<Test>::get(id) {
				*drawn.entry(v).or_default() += 1;
			}
			while !phase(id).is_final() {
				next_block();
			}
		};
		for _ in 0..60 {
			one_query(&mut drawn);
		}
		let n =
			|d: &alloc::collections::BTreeMap<AccountId, u32>, v| d.get(&v).copied().unwrap_or(0);
		assert_eq!(n(&drawn, 20) + n(&drawn, 21) + n(&drawn, 22), 60);
		assert!(n(&drawn, 20) > 0 && n(&drawn, 20) < n(&drawn, 22), "{drawn:?}");
		// The requester delegates to 22: 22 is never drawn again.
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(REQUESTER), 22, 1_000));
		drawn.clear();
		for _ in 0..20 {
			one_query(&mut drawn);
		}
		assert_eq!(n(&drawn, 22), 0, "{drawn:?}");
		assert_eq!(n(&drawn, 20) + n(&drawn, 21), 20);
	});
}

/// AUDIT M3: a full schedule window makes `schedule()` probe a slot per block up to
/// `SCHEDULE_REACH` (64), each a `Schedule` read of about 2.5 KB of proof. Before, every call
/// that moves a deadline declared one probe whatever it did (on the old code the 64th
/// `create_query` into one full block read 64 slots and was charged `create_query()`, one
/// probe); now each declares the full reach and is charged the probes it made.
#[test]
fn m3_schedule_probes_are_declared_and_charged() {
	use crate::weights::WeightInfo as _;
	use frame::deps::frame_support::dispatch::GetDispatchInfo;
	use frame::traits::Dispatchable;
	use llmnet_primitives::schedule::SCHEDULE_REACH;
	type W = <Test as crate::Config>::WeightInfo;
	ExtBuilder::default().build_and_execute(|| {
		MaxDue::set(1);
		let call = || -> RuntimeCall {
			crate::Call::create_query {
				domain: MATH,
				prompt: bounded(b"What is 6 x 7?"),
				params: QueryParams { coordinator: None, ..swarm(2) },
				budget: 100,
			}
			.into()
		};
		let worst = W::create_query().saturating_add(W::schedule(SCHEDULE_REACH));
		assert_eq!(call().get_dispatch_info().call_weight, worst);
		// Every query wants the same block; the k-th probes k slots.
		for k in 1..=SCHEDULE_REACH {
			let post = call().dispatch(RuntimeOrigin::signed(REQUESTER)).unwrap();
			let charged = W::create_query().saturating_add(W::schedule(k));
			assert_eq!(post.actual_weight, Some(charged), "query {k}");
			assert!(charged.all_lte(worst));
		}
		let last = NextQueryId::<Test>::get() - 1;
		assert_eq!(query(last).deadline, query(0).deadline + u64::from(SCHEDULE_REACH) - 1);
		// Each probe is a `Schedule` read: the full reach weighs tens of single probes.
		assert!(W::schedule(SCHEDULE_REACH).proof_size() >= 32 * W::schedule(1).proof_size());
	});
}

/// M6: an extra judge that does no work, reads an honest judge's verdicts from state and
/// submits the same ones. Before (judgements in clear): it was paid as much as the honest
/// judge (4 and 4 of the judges' share in this set-up) and rated as well. After: judgements
/// are sealed, so while judges commit there is nothing to read; copying the commitment does
/// not help, since it binds the judge's account, so the copied reveal is refused. The copier
/// is paid nothing and its missed reveal is a `Judgement` observation of 0 (M7), as are the
/// respondents' missing commitments.
#[test]
fn m6_a_judge_cannot_copy_verdicts_it_has_not_seen() {
	ExtBuilder::default().build_and_execute(|| {
		use PairOutcome::*;
		let id = create(QueryParams { extra_judges: 2, ..swarm(3) }, 1_000);
		select(id, &[2, 3, 4]);
		answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
		assert_eq!(phase(id), Phase::Judging);
		let judgement_rep = |who| {
			(
				Reputation::reputation(&who, MATH, ReputationKind::Judgement),
				Reputation::observations(&who, MATH, ReputationKind::Judgement),
			)
		};
		// The two drawn extra judges: an honest one and a copier.
		let drawn = ExtraJudges::<Test>::get(id).to_vec();
		let (honest_judge, copier) = (drawn[0], drawn[1]);
		let (rep_6, obs_6) = judgement_rep(copier);
		let (rep_2, obs_2) = judgement_rep(2);
		let honest = vec![cmp(0, 1, A), cmp(0, 2, A), cmp(1, 2, Tie)];
		judge(id, honest_judge, honest.clone());
		// Nothing to copy while judges commit: only the honest judge's commitment is on chain.
		assert_eq!(Judgements::<Test>::iter_prefix(id).count(), 0);
		let seen = JudgementCommitments::<Test>::get(id, honest_judge).unwrap();
		assert_ok!(QueryContracts::commit_judgement(RuntimeOrigin::signed(copier), id, seen));
		while phase(id) == Phase::Judging {
			next_block();
		}
		// The honest verdicts are revealed; the copier replays them with the honest salt.
		assert_eq!(phase(id), Phase::RevealingJudgements);
		assert!(Judgements::<Test>::contains_key(id, honest_judge));
		assert_noop!(
			QueryContracts::judge(
				RuntimeOrigin::signed(copier),
				id,
				honest.try_into().unwrap(),
				Default::default(),
				salt(honest_judge)
			),
			Error::<Test>::JudgementMismatch
		);
		while !phase(id).is_final() {
			next_block();
		}
		let pay = |who| {
			paid_events(id)
				.iter()
				.filter(|p| p.0 == who && p.1 == PayRole::Judge)
				.map(|p| p.2)
				.sum::<Balance>()
		};
		assert!(pay(honest_judge) > 0);
		assert_eq!(pay(copier), 0, "the copier is paid nothing");
		let (after_6, n_6) = judgement_rep(copier);
		assert_eq!(n_6, obs_6 + 1);
		assert!(after_6 < rep_6, "a missed reveal is an observation of 0");
		// Respondent 2 had a free pair (1 vs 2) and committed nothing: an observation of 0.
		let (after_2, n_2) = judgement_rep(2);
		assert_eq!(n_2, obs_2 + 1);
		assert!(after_2 < rep_2);
	});
}

/// H8 with money: a requester that pays above the observation floor and asks its own
/// providers again and again, each time agreeing, so that every query is an observation of 1.
/// Before: each of 6 such queries raised provider 2's `Answer` reputation (6 observations).
/// After: one requester's queries count for a provider at most `MaxPairObservations` (4 in
/// the mock) times per `ObservationPeriod`; they still settle and pay; another requester's
/// queries still count.
#[test]
fn h8_one_requester_cannot_farm_a_providers_reputation_past_the_pair_cap() {
	ExtBuilder::default().build_and_execute(|| {
		let unanimous = |requester: AccountId| {
			let id = NextQueryId::<Test>::get();
			assert_ok!(QueryContracts::create_query(
				RuntimeOrigin::signed(requester),
				MATH,
				bounded(b"What is 6 x 7?"),
				swarm(3),
				1_000
			));
			select(id, &[2, 3, 4]);
			answer_all(id, &[(2, b"42"), (3, b"42"), (4, b"42")]);
			while !phase(id).is_final() {
				next_block();
			}
			assert_eq!(phase(id), Phase::Settled);
			assert!(paid_events(id).iter().any(|p| p.0 == 2 && p.1 == PayRole::Answer));
		};
		let (_, before) = answer_rep(2);
		for _ in 0..6 {
			unanimous(REQUESTER);
		}
		let (_, after) = answer_rep(2);
		assert_eq!(after - before, 4, "one requester's observations of provider 2 are capped");
		unanimous(OUTSIDER);
		assert_eq!(answer_rep(2).1, after + 1, "another requester's query counts");
	});
}

/// H6 for extra judges (issue 16): a requester's own provider (here one it delegates to)
/// that watches for the judging phase and commits first. Before (spec 11, volunteers first
/// come): it took the extra-judge slot in 6 of 6 queries, judging its owner's query. After:
/// extra judges are drawn when judging opens, never one linked to the requester; its
/// commitment is refused in every query and it is never drawn.
#[test]
fn h6_a_requesters_own_provider_cannot_take_the_extra_judge_slot() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(REQUESTER), 8, 1_000));
		let mut took = 0;
		for _ in 0..6 {
			let id = create(QueryParams { extra_judges: 1, ..swarm(3) }, 1_000);
			select(id, &[2, 3, 4]);
			answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
			assert_eq!(phase(id), Phase::Judging);
			let first = QueryContracts::commit_judgement(
				RuntimeOrigin::signed(8),
				id,
				H256::repeat_byte(8),
			);
			if first.is_ok() && ExtraJudges::<Test>::get(id).contains(&8) {
				took += 1;
			}
			while !phase(id).is_final() {
				next_block();
			}
		}
		assert_eq!(took, 0, "the requester's provider judged {took} of 6 of its queries");
	});
}
