//! The invariants checked by `try_state`.

use crate::{pallet::*, types::*};
use alloc::collections::BTreeSet;
use frame::{prelude::*, traits::Saturating};
use llmnet_primitives::NodeRegistry;

impl<T: Config> Pallet<T> {
	/// The invariants listed in the crate docs.
	#[cfg(any(test, feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame::traits::fungible::InspectHold;
		let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut open: u32 = 0;
		for (id, q) in Queries::<T>::iter() {
			ensure!(
				RequesterQueries::<T>::contains_key(&q.requester, id),
				"query missing from its requester's index"
			);
			let d = deposits.entry(q.requester.clone()).or_default();
			*d = d.saturating_add(q.deposit);
			if q.phase.is_final() {
				ensure!(Responses::<T>::iter_prefix(id).next().is_none(), "responses not pruned");
				ensure!(Debates::<T>::iter_prefix(id).next().is_none(), "debate not pruned");
				ensure!(Judgements::<T>::iter_prefix(id).next().is_none(), "judgements not pruned");
				ensure!(
					JudgementCommitments::<T>::iter_prefix(id).next().is_none(),
					"judgement commitments not pruned"
				);
				ensure!(
					ValidationCommitments::<T>::iter_prefix(id).next().is_none(),
					"validation commitments not pruned"
				);
				ensure!(!Candidates::<T>::contains_key(id), "candidates not pruned");
				ensure!(!DrawnValidators::<T>::contains_key(id), "drawn validators not pruned");
			} else {
				let e = escrow.entry(q.requester.clone()).or_default();
				*e = e.saturating_add(q.budget);
				ensure!(q.progress <= q.expected, "progress beyond expected");
				open.saturating_inc();
				// Issue 18: an open query without its deadline in the schedule is never moved
				// on by the chain (only by a manual `advance`).
				ensure!(
					Schedule::<T>::get(q.deadline).contains(&id),
					"open query without its deadline in the schedule"
				);
			}
		}
		// Only settled queries keep an outcome (queries settled before spec 7 have none).
		for (id, o) in Outcomes::<T>::iter() {
			let q = Queries::<T>::get(id).ok_or("outcome of a missing (reaped) query")?;
			ensure!(q.phase == Phase::Settled, "outcome of a query that is not settled");
			ensure!(o.respondents.len() == q.respondents.len(), "outcome's respondents disagree");
			ensure!(
				o.respondents
					.iter()
					.filter_map(|r| r.candidate)
					.all(|c| usize::from(c) < o.candidates.len()),
				"outcome names a missing candidate"
			);
		}
		for (who, id, ()) in RequesterQueries::<T>::iter() {
			let q = Queries::<T>::get(id).ok_or("requester index names a missing query")?;
			ensure!(q.requester == who, "requester index names another requester's query");
		}
		let mut work_of: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (who, id, role) in Work::<T>::iter() {
			let n = work_of.entry(who.clone()).or_default();
			*n = n.saturating_add(1);
			let q = Queries::<T>::get(id).ok_or("work index names a missing query")?;
			ensure!(!q.phase.is_final(), "work index names a finished query");
			let ok = match role {
				Assignment::Coordinator => q.params.coordinator.as_ref() == Some(&who),
				Assignment::Respondent => q.respondents.contains(&who),
				Assignment::Judge => ExtraJudges::<T>::get(id).contains(&who),
				// (Or scored before validators were drawn: queries in flight at the upgrade.)
				Assignment::Validator => {
					DrawnValidators::<T>::get(id).contains(&who)
						|| Validations::<T>::get(id).iter().any(|v| v.who == who)
				}
			};
			ensure!(ok, "work index role disagrees with the query");
		}
		// At least: other pallets (validation's submissions) open assignments too; the runtime
		// fuzzer checks the exact sum.
		for (who, n) in work_of.iter() {
			ensure!(
				T::Registry::live_assignments(who) >= *n,
				"the registry counts fewer assignments than the work index"
			);
		}
		for (id, drawn) in DrawnValidators::<T>::iter() {
			for v in Validations::<T>::get(id) {
				ensure!(drawn.contains(&v.who), "a validator scored without being drawn");
			}
		}
		for (id, who, _) in AgreedPrices::<T>::iter() {
			let q = Queries::<T>::get(id).ok_or("agreed price of a missing query")?;
			ensure!(!q.phase.is_final(), "agreed prices not pruned");
			ensure!(q.respondents.contains(&who), "agreed price of a non-respondent");
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (_, _, (terms, from)) in PendingTerms::<T>::iter() {
			ensure!(
				from <= now.saturating_add(T::TermsDelay::get()),
				"announced terms apply later than TermsDelay"
			);
			ensure!(terms.min_phase >= T::MinPhaseLength::get(), "terms below MinPhaseLength");
		}
		ensure!(OpenQueries::<T>::get() == open, "OpenQueries differs from the open queries");
		ensure!(
			open <= llmnet_primitives::schedule::capacity::<T::MaxDuePerBlock>(),
			"more open queries than the schedule holds"
		);
		for (block, ids) in Schedule::<T>::iter() {
			for id in ids {
				let q = Queries::<T>::get(id).ok_or("schedule names a missing query")?;
				ensure!(!q.phase.is_final() && q.deadline == block, "schedule entry is stale");
			}
		}
		// The pair caps (AUDIT H8): each requester once per provider, within the cap, no
		// period in the future.
		let period = Self::observation_period();
		for (_, raters) in PairObservations::<T>::iter() {
			let distinct: BTreeSet<&T::AccountId> = raters.iter().map(|(r, ..)| r).collect();
			ensure!(distinct.len() == raters.len(), "a requester counted twice for a provider");
			for (_, p, count) in raters.iter() {
				ensure!(*p <= period, "a pair observation in a future period");
				ensure!(
					*count >= 1 && *count <= T::MaxPairObservations::get(),
					"a pair observation count outside 1..=MaxPairObservations"
				);
			}
		}
		// The candidate index (AUDIT H7): each domain's leaders distinct, highest score first,
		// none scored 0.
		for (_, leaders) in Leaders::<T>::iter() {
			let distinct: BTreeSet<&T::AccountId> = leaders.iter().map(|(a, _)| a).collect();
			ensure!(distinct.len() == leaders.len(), "a provider twice among a domain's leaders");
			ensure!(
				leaders.windows(2).all(|w| matches!(w, [a, b] if a.1 >= b.1)),
				"a domain's leaders out of score order"
			);
			ensure!(leaders.iter().all(|(_, s)| *s > 0), "a leader with score 0");
		}
		let accounts: BTreeSet<T::AccountId> =
			escrow.keys().chain(deposits.keys()).cloned().collect();
		for who in accounts {
			let want_e = escrow.get(&who).copied().unwrap_or_default();
			let want_d = deposits.get(&who).copied().unwrap_or_default();
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == want_e,
				"escrow held differs from open budgets"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Deposit.into(), &who) == want_d,
				"deposit held differs from query deposits"
			);
		}
		Ok(())
	}
}
