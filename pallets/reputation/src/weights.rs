//! Weights for `pallet_llmnet_reputation`.
//!
//! Until `scripts/bench.sh` regenerates this file with frame-omni-bencher, these are
//! conservative estimates: 50 us of execution plus the storage accesses of each call
//! (`clear_feedback` reads and deletes a full ring). Command:
//! `frame-omni-bencher v1 benchmark pallet --runtime <llmnet_runtime.compact.compressed.wasm>
//!  --pallet pallet_llmnet_reputation --extrinsic "" --template scripts/weight-template.hbs
//!  --output pallets/reputation/src/weights.rs`

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame::{deps::frame_support::weights::constants::RocksDbWeight, prelude::*};

/// Weight functions needed by `pallet_llmnet_reputation`.
pub trait WeightInfo {
	fn force_set_reputation() -> Weight;
	fn clear_feedback() -> Weight;
}

/// Weights for `pallet_llmnet_reputation` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn force_set_reputation() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn clear_feedback() -> Weight {
		Weight::from_parts(50_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn force_set_reputation() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn clear_feedback() -> Weight {
		Weight::from_parts(50_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
