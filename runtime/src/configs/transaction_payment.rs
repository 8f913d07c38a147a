//! `pallet_transaction_payment`: fees by weight and length.

use crate::{Balance, Balances, Runtime, RuntimeEvent, WeightToFee, MICRO_UNIT};
use polkadot_sdk::*;

use frame_support::{parameter_types, traits::ConstU8, weights::ConstantMultiplier};
use polkadot_runtime_common::SlowAdjustingFeeUpdate;

parameter_types! {
	/// Fee per byte of an extrinsic.
	pub const TransactionByteFee: Balance = 10 * MICRO_UNIT;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<Balances, ()>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = ();
}
