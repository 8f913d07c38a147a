//! Weights for `pallet_llmnet_staking`.
//!
//! Until `scripts/bench.sh` regenerates this file with frame-omni-bencher, these are
//! conservative estimates: 50 us of execution plus the storage accesses each call makes, and
//! per-item costs for the linear components. Command (see `scripts/bench.sh`):
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
	fn register(d: u32) -> Weight;
	fn update_profile(d: u32) -> Weight;
	fn bond_extra() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded(c: u32) -> Weight;
	fn deregister(d: u32) -> Weight;
	fn set_commission() -> Weight;
	fn delegate() -> Weight;
	fn undelegate() -> Weight;
	fn claim_rewards() -> Weight;
	fn compound() -> Weight;
	fn set_capability() -> Weight;
}

/// Weights for `pallet_llmnet_staking` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_domain() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn retire_domain() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn register(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn update_profile(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn deregister(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn set_commission() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn delegate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn undelegate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn compound() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_capability() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn register_domain() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn retire_domain() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn register(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes((4_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn update_profile(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn deregister(d: u32) -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(Weight::from_parts(15_000_000, 4_000).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn set_commission() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn delegate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn undelegate() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn compound() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_capability() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
