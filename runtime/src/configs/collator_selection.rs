//! `pallet_collator_selection`: invulnerable and bonded collator candidates.

use super::{session::Period, xcm_config::RelayLocation};
use crate::{AccountId, Balances, Runtime, RuntimeEvent, Session};
use polkadot_sdk::{staging_xcm as xcm, *};

use frame_support::{
	parameter_types,
	traits::{ConstU32, EitherOfDiverse},
	PalletId,
};
use frame_system::EnsureRoot;
use pallet_xcm::{EnsureXcm, IsVoiceOfBody};
use xcm::latest::prelude::BodyId;

parameter_types! {
	pub const PotId: PalletId = PalletId(*b"PotStake");
	/// The relay chain's staking-admin body.
	pub const StakingAdminBodyId: BodyId = BodyId::Defense;
}

/// Root or the relay chain's staking admin may change the collator set.
pub type CollatorSelectionUpdateOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EnsureXcm<IsVoiceOfBody<RelayLocation, StakingAdminBodyId>>,
>;

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type UpdateOrigin = CollatorSelectionUpdateOrigin;
	type PotId = PotId;
	type MaxCandidates = ConstU32<100>;
	type MinEligibleCollators = ConstU32<4>;
	type MaxInvulnerables = ConstU32<20>;
	// A multiple of the session length.
	type KickThreshold = Period;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = ();
}
