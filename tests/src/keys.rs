//! The well-known dev accounts (`//Alice`, `//Bob`, ...): `subxt-signer` sr25519 keys derived
//! from the Substrate dev phrase, and the hashes tests build storage keys and commitments
//! with.

use std::str::FromStr;
use subxt_signer::{sr25519::Keypair, SecretUri};

pub use sp_crypto_hashing::{blake2_128, blake2_256};

/// An sr25519 dev key pair.
pub struct DevKey {
	/// The derivation name (`Alice`, ...).
	pub name: String,
	pair: Keypair,
}

impl DevKey {
	/// The key `//<name>` of the dev phrase.
	///
	/// # Panics
	/// If `name` does not make a secret URI (a test's own constant).
	pub fn new(name: &str) -> Self {
		let uri = SecretUri::from_str(&format!("//{name}"))
			.unwrap_or_else(|e| panic!("//{name} is not a secret URI: {e}"));
		let pair = Keypair::from_uri(&uri)
			.unwrap_or_else(|e| panic!("//{name} does not derive from the dev phrase: {e}"));
		Self { name: name.to_string(), pair }
	}

	/// `//Alice`.
	pub fn alice() -> Self {
		Self::new("Alice")
	}

	/// `//Bob`.
	pub fn bob() -> Self {
		Self::new("Bob")
	}

	/// The account id (the sr25519 public key).
	pub fn account(&self) -> [u8; 32] {
		self.pair.public_key().0
	}

	/// Sign `message` the way `sp_core::sr25519::Pair::sign` does.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.pair.sign(message).0
	}

	/// The key pair, for `subxt` to sign transactions with.
	pub fn pair(&self) -> &Keypair {
		&self.pair
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_keys_match_substrate() {
		// `subkey inspect //Alice` and `//Bob`.
		assert_eq!(
			hex::encode(DevKey::alice().account()),
			"d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
		);
		assert_eq!(
			hex::encode(DevKey::bob().account()),
			"8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
		);
	}

	#[test]
	fn signatures_verify() {
		let alice = DevKey::alice();
		let sig = subxt_signer::sr25519::Signature(alice.sign(b"hello"));
		let public = alice.pair().public_key();
		assert!(subxt_signer::sr25519::verify(&sig, b"hello", &public));
		assert!(!subxt_signer::sr25519::verify(&sig, b"hellO", &public));
	}
}
