//! # LLM-Net off-chain worker library
//!
//! The `no_std` code that providers' off-chain workers run (PROTOCOL section 5). The pallets'
//! `offchain_worker` hooks call into it; it never runs in block execution.
//!
//! This crate starts with the operator configuration: where a provider's LLM endpoint is and
//! how to call it, read from the node's offchain local storage (set with the
//! `offchain_localStorageSet` RPC), with per-account overrides so one node can host several
//! providers on different models. The HTTP client, the prompt builders and the reply parsers
//! build on it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod config;

pub use config::{EndpointConfig, EndpointError};
