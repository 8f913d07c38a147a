//! # LLM-Net off-chain worker library
//!
//! The `no_std` code that providers' off-chain workers run (PROTOCOL section 5). The pallets'
//! `offchain_worker` hooks call into it; it never runs in block execution.
//!
//! - [`config`]: where a provider's LLM endpoint is and how to call it, read from the node's
//!   offchain local storage (set with the `offchain_localStorageSet` RPC), with per-account
//!   overrides so one node can host several providers on different models.
//! - [`client`]: the OpenAI-compatible `/v1/chat/completions` client over
//!   `sp_runtime::offchain::http` (deadline, size cap, status check, strict JSON).
//! - [`prompts`]: one prompt builder per action; chain texts are framed as untrusted data.
//! - [`crypto`]: the `llmn` sr25519 key providers sign with.
//! - [`parse`]: defensive parsing of replies into bounded values (or nothing).
//! - [`structured`]: the JSON schema of each reply (structured output), read back as the
//!   keyword lines [`parse`] reads.
//! - [`bench`]: benchmark documents of evaluation tasks (hash-checked, bounded).
//! - [`driver`]: the run loop every pallet's worker shares (lock, prepared calls, retries,
//!   one worker run per account and block, up to `MAX_TX_PER_RUN` transactions with
//!   consecutive nonces).
//! - [`store`]: the driver trait of the pallets' hooks, local storage keys, endpoint lookup.
//! - [`net`]: which hosts task documents may be fetched from (no internal hosts unless the
//!   operator allows them).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod bench;
pub mod client;
pub mod config;
pub mod crypto;
pub mod driver;
pub mod net;
pub mod parse;
pub mod prompts;
pub mod store;
pub mod structured;

pub use client::{chat, chat_as, chat_with, get, LlmError, Message};
pub use config::{EndpointConfig, EndpointError};
pub use store::OffchainDriver;
pub use structured::ReplyKind;
