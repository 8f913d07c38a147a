//! Weights for `pallet_llmnet_query_contracts`.
//!
//! Until `scripts/bench.sh` regenerates this file with frame-omni-bencher, these are
//! conservative estimates (the benchmarks in `benchmarking.rs` run the worst cases). Command:
//! `frame-omni-bencher v1 benchmark pallet --runtime <llmnet_runtime.compact.compressed.wasm>
//!  --pallet pallet_llmnet_query_contracts --extrinsic "" --template scripts/weight-template.hbs
//!  --output pallets/query-contracts/src/weights.rs`

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame::{deps::frame_support::weights::constants::RocksDbWeight, prelude::*};

/// Weight functions needed by `pallet_llmnet_query_contracts`.
pub trait WeightInfo {
	fn create_query() -> Weight;
	fn cancel() -> Weight;
	fn select(n: u32) -> Weight;
	fn commit() -> Weight;
	fn reveal() -> Weight;
	fn debate() -> Weight;
	fn judge(c: u32, f: u32) -> Weight;
	fn validate() -> Weight;
	fn advance_select(n: u32) -> Weight;
	fn advance_open_judging(n: u32) -> Weight;
	fn advance_settle() -> Weight;
	fn reap() -> Weight;
}

/// Weights for `pallet_llmnet_query_contracts` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_query() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn select(n: u32) -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn commit() -> Weight {
		Weight::from_parts(40_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn reveal() -> Weight {
		Weight::from_parts(50_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn debate() -> Weight {
		Weight::from_parts(50_000_000, 80_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn judge(c: u32, f: u32) -> Weight {
		Weight::from_parts(80_000_000, 80_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(f.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(f.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(f.into())))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn validate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn advance_select(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn advance_open_judging(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 80_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn advance_settle() -> Weight {
		Weight::from_parts(400_000_000, 400_000)
			.saturating_add(T::DbWeight::get().reads(120_u64))
			.saturating_add(T::DbWeight::get().writes(140_u64))
	}
	fn reap() -> Weight {
		Weight::from_parts(40_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

/// For tests.
impl WeightInfo for () {
	fn create_query() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn select(n: u32) -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn commit() -> Weight {
		Weight::from_parts(40_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn reveal() -> Weight {
		Weight::from_parts(50_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn debate() -> Weight {
		Weight::from_parts(50_000_000, 80_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn judge(c: u32, f: u32) -> Weight {
		Weight::from_parts(80_000_000, 80_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(f.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(f.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(f.into())))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn validate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn advance_select(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn advance_open_judging(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 80_000)
			.saturating_add(Weight::from_parts(10_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn advance_settle() -> Weight {
		Weight::from_parts(400_000_000, 400_000)
			.saturating_add(RocksDbWeight::get().reads(120_u64))
			.saturating_add(RocksDbWeight::get().writes(140_u64))
	}
	fn reap() -> Weight {
		Weight::from_parts(40_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
