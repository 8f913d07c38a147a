//! The providers' signing key: sr25519 under key type `llmn`, inserted into the node's
//! keystore with `author_insertKey` (see `scripts/provider-setup.sh`).

use frame::deps::{
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_runtime::{app_crypto::app_crypto, MultiSignature, MultiSigner},
};

/// Key type of LLM-Net provider keys.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"llmn");

app_crypto!(sr25519, KEY_TYPE);

/// The app crypto the runtime's off-chain worker signs with.
pub struct ProviderAuthId;

impl frame::prelude::AppCrypto<MultiSigner, MultiSignature> for ProviderAuthId {
	type RuntimeAppPublic = Public;
	type GenericSignature = sr25519::Signature;
	type GenericPublic = sr25519::Public;
}
