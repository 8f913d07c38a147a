//! The well-known dev accounts: sr25519 keys derived from the Substrate dev phrase with a
//! hard junction (`//Alice`, `//Bob`, ...), exactly as `sp-core` derives them.

use codec::Encode;
use schnorrkel::{derive::ChainCode, ExpansionMode, Keypair, MiniSecretKey};

/// The mini secret key of the dev phrase
/// `bottom drive obey lake curtain smoke basket hold race lonely fit walk`.
const DEV_PHRASE_SEED: [u8; 32] = [
	0xfa, 0xc7, 0x95, 0x9d, 0xbf, 0xe7, 0x2f, 0x05, 0x2e, 0x5a, 0x0c, 0x3c, 0x8d, 0x65, 0x30, 0xf2,
	0x02, 0xb0, 0x2f, 0xd8, 0xf9, 0xf5, 0xca, 0x35, 0x80, 0xec, 0x8d, 0xeb, 0x77, 0x97, 0x47, 0x9e,
];

/// An sr25519 dev key pair.
pub struct DevKey {
	/// The derivation name (`Alice`, ...).
	pub name: String,
	pair: Keypair,
	seed: [u8; 32],
}

impl DevKey {
	/// The key `//<name>` of the dev phrase.
	pub fn new(name: &str) -> Self {
		let root = MiniSecretKey::from_bytes(&DEV_PHRASE_SEED)
			.expect("32-byte seed")
			.expand(ExpansionMode::Ed25519);
		let mut cc = [0u8; 32];
		let encoded = name.encode();
		if encoded.len() > 32 {
			cc.copy_from_slice(&blake2_256(&encoded));
		} else {
			cc[..encoded.len()].copy_from_slice(&encoded);
		}
		let (mini, _) = root.hard_derive_mini_secret_key(Some(ChainCode(cc)), b"");
		let pair = mini.expand_to_keypair(ExpansionMode::Ed25519);
		Self { name: name.to_string(), pair, seed: mini.to_bytes() }
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
		self.pair.public.to_bytes()
	}

	/// The mini secret seed (what `subkey inspect` calls the secret seed).
	pub fn seed(&self) -> [u8; 32] {
		self.seed
	}

	/// Sign `message` the way `sp_core::sr25519::Pair::sign` does.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		let ctx = schnorrkel::signing_context(b"substrate");
		self.pair.sign(ctx.bytes(message)).to_bytes()
	}
}

/// Blake2b with a 256-bit output.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	use blake2::{digest::consts::U32, Blake2b, Digest};
	let mut h = Blake2b::<U32>::new();
	h.update(data);
	h.finalize().into()
}

/// Blake2b with a 128-bit output.
pub fn blake2_128(data: &[u8]) -> [u8; 16] {
	use blake2::{digest::consts::U16, Blake2b, Digest};
	let mut h = Blake2b::<U16>::new();
	h.update(data);
	h.finalize().into()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_keys_match_substrate() {
		// `subkey inspect //Alice` and `//Bob`.
		let alice = DevKey::alice();
		assert_eq!(
			hex::encode(alice.seed()),
			"e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
		);
		assert_eq!(
			hex::encode(alice.account()),
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
		let sig = alice.sign(b"hello");
		let public = schnorrkel::PublicKey::from_bytes(&alice.account()).unwrap();
		let sig = schnorrkel::Signature::from_bytes(&sig).unwrap();
		let ctx = schnorrkel::signing_context(b"substrate");
		assert!(public.verify(ctx.bytes(b"hello"), &sig).is_ok());
		assert!(public.verify(ctx.bytes(b"hellO"), &sig).is_err());
	}
}
