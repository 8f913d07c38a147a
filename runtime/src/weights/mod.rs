//! Block, extrinsic and database weights of the runtime.
//!
//! These are Substrate's reference-hardware figures (`benchmark overhead` / `benchmark
//! storage` on the reference machine). Re-measure them on collator hardware before a
//! production launch; the pallet weights live beside each pallet (`pallets/*/src/weights.rs`),
//! those of polkadot-sdk pallets measured on this runtime here (`./scripts/bench.sh pallet_xcm`).

pub mod pallet_xcm;

use polkadot_sdk::*;

use frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight, Weight},
};

parameter_types! {
	/// Importing a block with no extrinsics: 5 ms.
	pub const BlockExecutionWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(5_000_000), 0);
	/// Executing a no-op extrinsic (`System::remark` with an empty payload): 125 us.
	pub const ExtrinsicBaseWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(125_000), 0);
	/// RocksDB: 25 us per read, 100 us per write.
	pub const RocksDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 25_000 * WEIGHT_REF_TIME_PER_NANOS,
		write: 100_000 * WEIGHT_REF_TIME_PER_NANOS,
	};
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::weights::constants::{
		WEIGHT_REF_TIME_PER_MICROS, WEIGHT_REF_TIME_PER_MILLIS,
	};

	#[test]
	fn weights_are_within_sane_bounds() {
		let block = BlockExecutionWeight::get().ref_time();
		assert!((WEIGHT_REF_TIME_PER_MICROS..=50 * WEIGHT_REF_TIME_PER_MILLIS).contains(&block));
		let ext = ExtrinsicBaseWeight::get().ref_time();
		assert!((10 * WEIGHT_REF_TIME_PER_MICROS..=WEIGHT_REF_TIME_PER_MILLIS).contains(&ext));
		let db = RocksDbWeight::get();
		assert!(db.read >= WEIGHT_REF_TIME_PER_MICROS && db.read <= WEIGHT_REF_TIME_PER_MILLIS);
		assert!(db.write >= WEIGHT_REF_TIME_PER_MICROS && db.write <= WEIGHT_REF_TIME_PER_MILLIS);
	}
}
