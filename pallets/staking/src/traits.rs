//! The interface other LLM-Net pallets use: eligibility, stake, rewards, slashes,
//! capability and assignment counting. It lives in `llmnet-primitives` (consumers depend on
//! it, not on this pallet); re-exported here.

pub use llmnet_primitives::{NodeRegistry, RewardSplit, SlashOutcome};
