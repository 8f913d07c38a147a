//! `cumulus_pallet_xcmp_queue`: XCM with sibling parachains.

use super::xcm_config::XcmOriginToTransactDispatchOrigin;
use crate::{AccountId, MessageQueue, ParachainSystem, Runtime, RuntimeEvent};
use polkadot_sdk::*;

use cumulus_primitives_core::{AggregateMessageOrigin, ParaId};
use frame_support::traits::{ConstU32, TransformOrigin};
use frame_system::EnsureRoot;
use parachains_common::message_queue::ParaIdToSibling;
use polkadot_runtime_common::xcm_sender::NoPriceForMessageDelivery;

impl cumulus_pallet_xcmp_queue::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ChannelInfo = ParachainSystem;
	type VersionWrapper = ();
	// Sibling messages are enqueued for later processing.
	type XcmpQueue = TransformOrigin<MessageQueue, AggregateMessageOrigin, ParaId, ParaIdToSibling>;
	type MaxInboundSuspended = ConstU32<1_000>;
	type MaxActiveOutboundChannels = ConstU32<128>;
	type MaxPageSize = ConstU32<{ 1 << 16 }>;
	type ControllerOrigin = EnsureRoot<AccountId>;
	type ControllerOriginConverter = XcmOriginToTransactDispatchOrigin;
	type WeightInfo = ();
	type PriceForSiblingDelivery = NoPriceForMessageDelivery<ParaId>;
}

impl cumulus_pallet_aura_ext::Config for Runtime {}
