//! Providers' terms, consent, base pay and quotes.

use super::*;
use crate::Error;

fn set_terms(who: AccountId, terms: ProviderTerms<Balance, u64>) -> DispatchResult {
	QueryContracts::set_terms(RuntimeOrigin::signed(who), MATH, terms)
}

#[test]
fn terms_apply_after_the_delay_and_replace_announced_ones() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(QueryContracts::terms_in_force(&2, MATH), terms());
		assert_noop!(set_terms(VALIDATORS[0], terms()), Error::<Test>::NotProvider);
		assert_noop!(set_terms(OUTSIDER, terms()), Error::<Test>::NotProvider);
		assert_noop!(
			set_terms(2, ProviderTerms { min_phase: 0, ..terms() }),
			Error::<Test>::BadPhaseLength
		);
		assert_noop!(
			set_terms(2, ProviderTerms { min_phase: 101, ..terms() }),
			Error::<Test>::BadPhaseLength
		);
		let first = ProviderTerms { answer: 10, comparison: 1, validation: 2, min_phase: 4 };
		assert_ok!(set_terms(2, first));
		System::assert_last_event(RuntimeEvent::QueryContracts(Event::TermsAnnounced {
			who: 2,
			domain: MATH,
			terms: first,
			from: 1 + TERMS_DELAY,
		}));
		assert_eq!(QueryContracts::terms_view(2, MATH), (terms(), Some((first, 1 + TERMS_DELAY))));
		run_to_block(1 + TERMS_DELAY);
		assert_eq!(QueryContracts::terms_in_force(&2, MATH), first);
		assert_eq!(QueryContracts::terms_view(2, MATH), (first, None));
		// A second announcement keeps the first in force until it applies itself.
		let second = ProviderTerms { answer: 20, ..first };
		assert_ok!(set_terms(2, second));
		assert_eq!(Terms::<Test>::get(2, MATH), Some(first));
		assert_eq!(QueryContracts::terms_in_force(&2, MATH), first);
		run_to_block(1 + 2 * TERMS_DELAY);
		assert_eq!(QueryContracts::terms_in_force(&2, MATH), second);
	});
}

#[test]
fn respondents_get_their_agreed_price_then_the_bonus_by_score() {
	ExtBuilder::default().build_and_execute(|| {
		for (who, answer) in [(2, 100), (3, 300)] {
			assert_ok!(set_terms(who, ProviderTerms { answer, ..terms() }));
		}
		run_to_block(1 + TERMS_DELAY);
		// 1_000 x 70 % / 2 = 350 per answer: both accept; the bonus pool is 700 - 400 = 300.
		let id = create(swarm(2), 1_000);
		select(id, &[2, 3]);
		assert_eq!(AgreedPrices::<Test>::get(id, 2), Some(100));
		// Prices announced now do not change what was agreed.
		assert_ok!(set_terms(2, ProviderTerms { answer: 350, ..terms() }));
		answer_all(id, &[(2, b"42"), (3, b"42")]);
		judge(id, 2, vec![]);
		judge(id, 3, vec![]);
		past_judging(id);
		assert_eq!(phase(id), Phase::Settled);
		let paid = paid_events(id);
		// One candidate held by both: the bonus halves.
		assert!(paid.contains(&(2, PayRole::Answer, 100 + 150)), "{paid:?}");
		assert!(paid.contains(&(3, PayRole::Answer, 300 + 150)), "{paid:?}");
		assert_eq!(AgreedPrices::<Test>::iter_prefix(id).count(), 0, "pruned");
	});
}

#[test]
fn phases_shorter_than_a_providers_minimum_leave_it_out() {
	ExtBuilder::default().providers(3).build_and_execute(|| {
		assert_ok!(set_terms(3, ProviderTerms { min_phase: 6, ..terms() }));
		run_to_block(1 + TERMS_DELAY);
		// Swarm: debating does not count; judging 5 < 6 does.
		let p = QueryParams { coordinator: None, ..swarm(3) };
		let long = PhaseLengths { judging: 6, committing: 6, revealing: 6, ..phases() };
		assert_noop!(
			QueryContracts::quote(REQUESTER, MATH, p.clone(), 1_000),
			Error::<Test>::NoProvidersWithinTerms
		);
		let ok = QueryParams { phases: long, ..p.clone() };
		let quote = QueryContracts::quote(REQUESTER, MATH, ok.clone(), 1_000).unwrap();
		assert_eq!(quote.within_terms, 3);
		assert_eq!(quote.answer_pay, 233);
		assert_eq!(quote.respondents.len(), 3);
		assert!(quote.counts_for_reputation);
		assert_eq!((quote.fee, quote.deposit), (0, DEPOSIT));
		// Debate: a 5-block debate round is too short for 3 as well.
		let debate = QueryParams { mode: Mode::Debate { rounds: 1 }, ..ok.clone() };
		assert_noop!(
			QueryContracts::quote(REQUESTER, MATH, debate, 1_000),
			Error::<Test>::NoProvidersWithinTerms
		);
		// The quote says what `create_query` does.
		let id = create(ok, 1_000);
		while phase(id) == Phase::Selecting {
			next_block();
		}
		let mut chosen = query(id).respondents.to_vec();
		chosen.sort();
		assert_eq!(chosen, vec![1, 2, 3]);
	});
}

/// Extra judges are drawn (issue 16) only among the providers whose price per comparison the
/// query pays and whose shortest phase its judging and revealing phases meet, never one
/// linked to the requester by a delegation; each drawn judge has the work in its
/// `pending_work`, in deadline order with its other work.
#[test]
fn extra_judges_are_drawn_within_their_terms_and_never_linked_to_the_requester() {
	ExtBuilder::default().build_and_execute(|| {
		// 7 prices its comparisons at 20; 6 accepts no phase shorter than 6 blocks (the
		// phases are 5).
		assert_ok!(set_terms(7, ProviderTerms { comparison: 20, ..terms() }));
		assert_ok!(set_terms(6, ProviderTerms { min_phase: 6, ..terms() }));
		run_to_block(1 + TERMS_DELAY);
		let mut drawn = alloc::collections::BTreeMap::<AccountId, u32>::new();
		let one_query = |drawn: &mut alloc::collections::BTreeMap<AccountId, u32>| {
			// Judges' share 150 over 3 respondents + 2 extra judges = 30 each; 3 candidates
			// = 3 pairs: 10 per comparison.
			let id = create(QueryParams { extra_judges: 2, ..swarm(3) }, 1_000);
			select(id, &[2, 3, 4]);
			answer_all(id, &[(2, b"42"), (3, b"41"), (4, b"40")]);
			assert_eq!(QueryContracts::comparison_pay(&query(id), 3), 10);
			for j in ExtraJudges::<Test>::get(id) {
				*drawn.entry(j).or_default() += 1;
				let work = QueryContracts::pending_work(j);
				assert_eq!(
					work.first().map(|w| (w.query, w.action)),
					Some((id, crate::runtime_api::Action::Judge))
				);
			}
			while !phase(id).is_final() {
				next_block();
			}
		};
		for _ in 0..8 {
			one_query(&mut drawn);
		}
		// 5 and 8 are the only providers within their terms: both drawn every time.
		assert_eq!(drawn.keys().copied().collect::<Vec<_>>(), vec![5, 8], "{drawn:?}");
		assert_eq!(drawn.values().copied().collect::<Vec<_>>(), vec![8, 8]);
		// The requester delegates to 8: 8 is never drawn again, 5 alone is.
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(REQUESTER), 8, 1_000));
		drawn.clear();
		for _ in 0..4 {
			one_query(&mut drawn);
		}
		assert_eq!(drawn.keys().copied().collect::<Vec<_>>(), vec![5], "{drawn:?}");
	});
}

#[test]
fn a_coordinator_is_drawn_when_none_is_named_and_the_phase_suits_it() {
	ExtBuilder::default().build_and_execute(|| {
		// `COORD` (1) is the only coordinator; its default `min_phase` is 2.
		let auto = QueryParams { coordinator: None, ..swarm(2) };
		let id = create(auto.clone(), 1_000);
		assert_eq!(query(id).params.coordinator, Some(COORD));
		assert_eq!(Work::<Test>::get(COORD, id), Some(Assignment::Coordinator));
		System::assert_has_event(RuntimeEvent::QueryContracts(Event::CoordinatorDrawn {
			query: id,
			coordinator: COORD,
		}));
		// It selects like a named coordinator and earns the coordinator's share.
		select(id, &[2, 3]);
		assert_eq!(query(id).selected_by, Some(COORD));
		// A one-block selection phase is shorter than its terms: nobody is drawn, automatic
		// selection runs at the deadline.
		let short =
			QueryParams { phases: PhaseLengths { selecting: 1, ..phases() }, ..auto.clone() };
		let quick = create(short, 1_000);
		assert_eq!(query(quick).params.coordinator, None);
		next_block();
		assert_eq!(phase(quick), Phase::Committing);
		assert_eq!(query(quick).selected_by, None);
		// The requester is never drawn for its own query.
		let own = NextQueryId::<Test>::get();
		assert_ok!(QueryContracts::create_query(
			RuntimeOrigin::signed(COORD),
			MATH,
			bounded(b"q"),
			auto,
			1_000
		));
		assert_eq!(query(own).params.coordinator, None);
	});
}
