//! Weights for `pallet_llmnet_validation`.
//!
//! Regenerate with `./scripts/bench.sh` (it overwrites this file with measured values).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame::{deps::frame_support::weights::constants::RocksDbWeight, prelude::*};

/// Weight functions needed by `pallet_llmnet_validation`.
pub trait WeightInfo {
	fn create_task() -> Weight;
	fn submit() -> Weight;
	fn commit_scores() -> Weight;
	fn reveal_scores(s: u32, ) -> Weight;
	fn reveal_eval_set() -> Weight;
	fn challenge() -> Weight;
	fn respond() -> Weight;
	fn vote() -> Weight;
	fn advance_close_round(s: u32, r: u32, ) -> Weight;
	fn advance_close_task(s: u32, ) -> Weight;
	fn reap(s: u32, ) -> Weight;
}

/// Weights for `pallet_llmnet_validation` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_task() -> Weight { <() as WeightInfo>::create_task() }
	fn submit() -> Weight { <() as WeightInfo>::submit() }
	fn commit_scores() -> Weight { <() as WeightInfo>::commit_scores() }
	fn reveal_scores(s: u32, ) -> Weight { <() as WeightInfo>::reveal_scores(s) }
	fn reveal_eval_set() -> Weight { <() as WeightInfo>::reveal_eval_set() }
	fn challenge() -> Weight { <() as WeightInfo>::challenge() }
	fn respond() -> Weight { <() as WeightInfo>::respond() }
	fn vote() -> Weight { <() as WeightInfo>::vote() }
	fn advance_close_round(s: u32, r: u32, ) -> Weight { <() as WeightInfo>::advance_close_round(s, r) }
	fn advance_close_task(s: u32, ) -> Weight { <() as WeightInfo>::advance_close_task(s) }
	fn reap(s: u32, ) -> Weight { <() as WeightInfo>::reap(s) }
}

// Conservative estimates until the benchmarks run: 100 us + reads/writes per call, 1 ms +
// per-item costs for the transitions.
impl WeightInfo for () {
	fn create_task() -> Weight {
		Weight::from_parts(100_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn submit() -> Weight {
		Weight::from_parts(100_000_000, 40000).saturating_add(RocksDbWeight::get().reads_writes(4, 1))
	}
	fn commit_scores() -> Weight {
		Weight::from_parts(100_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(5, 2))
	}
	fn reveal_scores(s: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 200000)
			.saturating_add(Weight::from_parts(1_000_000, 200).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 1))
	}
	fn reveal_eval_set() -> Weight {
		Weight::from_parts(100_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn challenge() -> Weight {
		Weight::from_parts(100_000_000, 40000).saturating_add(RocksDbWeight::get().reads_writes(5, 3))
	}
	fn respond() -> Weight {
		Weight::from_parts(100_000_000, 40000).saturating_add(RocksDbWeight::get().reads_writes(3, 1))
	}
	fn vote() -> Weight {
		Weight::from_parts(100_000_000, 40000).saturating_add(RocksDbWeight::get().reads_writes(6, 1))
	}
	fn advance_close_round(s: u32, r: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 300000)
			.saturating_add(Weight::from_parts(200_000_000, 3000).saturating_mul(s.into()))
			.saturating_add(Weight::from_parts(200_000_000, 3000).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 10))
			.saturating_add(RocksDbWeight::get().reads_writes(6, 6).saturating_mul(s.saturating_add(r).into()))
	}
	fn advance_close_task(s: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 300000)
			.saturating_add(Weight::from_parts(300_000_000, 6000).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 10))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 10).saturating_mul(s.into()))
	}
	fn reap(s: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 40000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(3, 4))
	}
}
