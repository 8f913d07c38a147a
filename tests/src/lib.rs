//! Helpers for end-to-end tests of LLM-Net against a real `llmnet-node`.
//!
//! Everything goes through the node's public interfaces, the way a front end would: JSON-RPC
//! over HTTP, runtime APIs through `state_call`, metadata V15/V16 for pallet, call and event
//! indices, and extrinsics checked against that metadata and signed by `subxt` with
//! `subxt-signer`'s sr25519 dev keys.
//!
//! - [`node`]: start a node on free ports, wait for it, stop it, show its log tail;
//! - [`rpc`]: a small blocking JSON-RPC client;
//! - [`keys`]: the well-known dev accounts (`//Alice`, `//Bob`, ...) and hashes;
//! - [`metadata`]: the runtime's metadata (`subxt::Metadata`) and lookups;
//! - [`value`]: values decoded by `scale-value` against the metadata's type registry;
//! - [`chain`]: extrinsic building (`subxt`), submission, inclusion and event checks;
//! - [`providers`]: provider keys and LLM endpoints on a node, query creation and following;
//! - [`demo`]: the sample query of `run-dev.sh` (`llmnet-demo`) and its report.
//! - [`network`]: the zombienet test network of `scripts/test-network.sh`: nodes, relay
//!   chain view of the parachain, killing and restarting nodes.

pub mod chain;
pub mod demo;
pub mod keys;
pub mod metadata;
pub mod network;
pub mod node;
pub mod providers;
pub mod rpc;
pub mod value;

/// Result type of the helpers: errors are human-readable strings for test failures.
pub type Result<T> = std::result::Result<T, String>;
