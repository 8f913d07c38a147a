//! Weights for `pallet_llmnet_staking`.
//!
//! Placeholder values sized from the storage accesses of each call, to be replaced by the
//! output of (see `scripts/bench.sh`):
//! `frame-omni-bencher v1 benchmark pallet --runtime <llmnet_runtime.compact.compressed.wasm>
//!  --pallet pallet_llmnet_staking --extrinsic "" --template scripts/weight-template.hbs
//!  --output pallets/staking/src/weights.rs`

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame::{deps::frame_support::weights::constants::RocksDbWeight, prelude::*};

/// Weight functions needed by `pallet_llmnet_staking`.
pub trait WeightInfo {
	fn register_domain() -> Weight;
	fn retire_domain() -> Weight;
}

/// Weights for `pallet_llmnet_staking` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `LlmnetStaking::DomainIdByName` (r:1 w:1), `NextDomainId` (r:1 w:1),
	/// `Domains` (r:0 w:1)
	fn register_domain() -> Weight {
		Weight::from_parts(20_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `LlmnetStaking::Domains` (r:1 w:1)
	fn retire_domain() -> Weight {
		Weight::from_parts(15_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn register_domain() -> Weight {
		Weight::from_parts(20_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn retire_domain() -> Weight {
		Weight::from_parts(15_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
