//! Pallet configurations, one file per pallet (or per closely related group).

mod aura;
mod authorship;
mod balances;
mod collator_selection;
mod llmnet_query_contracts;
mod llmnet_reputation;
mod llmnet_staking;
mod llmnet_validation;
mod message_queue;
pub mod offchain;
mod parachain_system;
mod session;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;
pub mod xcm_config;
mod xcmp_queue;

pub use parachain_system::NoteRelayRandomness;
pub use system::RuntimeBlockWeights;
