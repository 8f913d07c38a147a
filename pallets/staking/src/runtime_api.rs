//! Runtime API of the staking pallet, for front ends (`api.call.llmnetStakingApi.*` in
//! polkadot.js, decorated from metadata).

use crate::DomainId;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A domain as front ends see it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct DomainView {
	/// The domain's id.
	pub id: DomainId,
	/// Its name (UTF-8 by convention).
	pub name: Vec<u8>,
	/// Whether it accepts new registrations and queries.
	pub active: bool,
}

frame::deps::sp_api::decl_runtime_apis! {
	/// Read access to the LLM-Net registry.
	pub trait LlmnetStakingApi {
		/// All registered domains, in id order.
		fn domains() -> Vec<DomainView>;
	}
}
