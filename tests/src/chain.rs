//! Build, sign, submit and follow extrinsics; read events and storage. Calls are checked
//! against the runtime's metadata and signed by `subxt` (offline: the transaction extensions
//! come from the metadata, the nonce from the runtime's `AccountNonceApi`).

use crate::{
	keys::{blake2_128, DevKey},
	metadata::Metadata,
	rpc::{decode_hex, Rpc},
	value::Value,
	Result,
};
use codec::Encode;
use serde_json::json;
use std::{
	thread::sleep,
	time::{Duration, Instant},
};
use subxt::{
	config::{substrate::SpecVersionForRange, DefaultExtrinsicParamsBuilder},
	utils::H256,
	OfflineClient, SubstrateConfig,
};

pub use sp_crypto_hashing::{twox_128, twox_64};

/// A connection to a chain: its RPC, metadata, runtime version and `subxt`'s offline client
/// (which holds the genesis hash and versions signatures commit to).
pub struct Chain<'a> {
	/// The RPC client.
	pub rpc: &'a Rpc,
	/// The runtime metadata.
	pub meta: Metadata,
	/// `spec_version` of the runtime.
	pub spec_version: u32,
	/// `subxt`'s view of this runtime, for checking and signing calls.
	offline: OfflineClient<SubstrateConfig>,
}

/// The outcome of an included extrinsic.
#[derive(Debug)]
pub struct Included {
	/// Hash of the block that included it.
	pub block_hash: String,
	/// Its index in the block.
	pub index: u32,
	/// Its events (`pallet`, `variant`, fields).
	pub events: Vec<(String, Value)>,
}

impl Included {
	/// Whether `System::ExtrinsicSuccess` was emitted.
	pub fn succeeded(&self) -> bool {
		self.events
			.iter()
			.any(|(p, e)| p == "System" && e.variant_name() == Some("ExtrinsicSuccess"))
	}

	/// The first event `pallet::variant`.
	pub fn event(&self, pallet: &str, variant: &str) -> Option<&Value> {
		self.events
			.iter()
			.find(|(p, e)| p == pallet && e.variant_name() == Some(variant))
			.map(|(_, e)| e)
	}
}

/// How long [`Chain::wait_included_from`] waits before submitting a transaction again (four
/// 6-second parachain blocks).
pub const RESUBMIT_EVERY: Duration = Duration::from_secs(24);

impl<'a> Chain<'a> {
	/// Connect: fetch metadata, genesis hash and runtime version.
	pub fn connect(rpc: &'a Rpc) -> Result<Self> {
		let meta = Metadata::fetch(rpc)?;
		let genesis_hex = rpc.call("chain_getBlockHash", json!([0]))?;
		let genesis: [u8; 32] = decode_hex(genesis_hex.as_str().ok_or("genesis hash")?)?
			.try_into()
			.map_err(|_| "genesis hash is not 32 bytes")?;
		let version = rpc.call("state_getRuntimeVersion", json!([]))?;
		let get = |k: &str| version.get(k).and_then(|v| v.as_u64()).map(|v| v as u32);
		let spec_version = get("specVersion").ok_or("specVersion")?;
		let tx_version = get("transactionVersion").ok_or("transactionVersion")?;
		let config = SubstrateConfig::builder()
			.set_genesis_hash(H256(genesis))
			.set_spec_version_for_block_ranges([SpecVersionForRange {
				block_range: 0..u64::MAX,
				spec_version,
				transaction_version: tx_version,
			}])
			.set_metadata_for_spec_versions([(spec_version, meta.inner.clone())])
			.build();
		let offline = OfflineClient::new_with_config(config);
		Ok(Self { rpc, meta, spec_version, offline })
	}

	/// The encoded call `pallet::call(args)`; `args` is the SCALE encoding of its arguments
	/// in order. The call is decoded against the metadata, so arguments that do not match the
	/// call's parameter types (or leave bytes over) fail here, not in the runtime.
	pub fn call(&self, pallet: &str, call: &str, args: &[u8]) -> Result<Vec<u8>> {
		let mut out = self.meta.call_index(pallet, call)?.to_vec();
		out.extend_from_slice(args);
		self.offline
			.at_block(0u64)
			.map_err(|e| e.to_string())?
			.tx()
			.from_call_data_bytes(&out)
			.map_err(|e| format!("{pallet}::{call}: arguments do not match the metadata: {e}"))?;
		Ok(out)
	}

	/// Call runtime API `api::method` with SCALE-encoded `args` and decode the result with the
	/// metadata's type of it.
	pub fn runtime_api(&self, api: &str, method: &str, args: &[u8]) -> Result<Value> {
		let ty = self
			.meta
			.api_output(api, method)
			.ok_or_else(|| format!("runtime API {api}::{method} not in metadata"))?;
		let raw = self.rpc.state_call(&format!("{api}_{method}"), args, None)?;
		self.meta.decode_all(ty, &raw)
	}

	/// `account`'s next nonce (from the runtime, so pool transactions are not counted).
	pub fn nonce(&self, account: &[u8; 32]) -> Result<u32> {
		let raw = self.rpc.state_call("AccountNonceApi_account_nonce", &account.encode(), None)?;
		<u32 as codec::Decode>::decode(&mut &raw[..]).map_err(|e| e.to_string())
	}

	/// A signed (v4), immortal extrinsic of `call` by `signer` with `nonce`, built by `subxt`
	/// from the metadata's transaction extensions (a runtime that adds an extension `subxt`
	/// cannot fill fails here loudly instead of producing a bad signature).
	pub fn sign(&self, signer: &DevKey, call: &[u8], nonce: u32) -> Result<Vec<u8>> {
		let at = self.offline.at_block(0u64).map_err(|e| e.to_string())?;
		let tx = at.tx();
		let payload =
			tx.from_call_data_bytes(call).map_err(|e| format!("call not in the metadata: {e}"))?;
		let params = DefaultExtrinsicParamsBuilder::<SubstrateConfig>::new()
			.nonce(u64::from(nonce))
			.immortal()
			.build();
		let signed = tx
			.create_v4_signable_offline(&payload, params)
			.and_then(|mut t| t.sign(signer.pair()))
			.map_err(|e| format!("signing: {e}"))?;
		Ok(signed.into_encoded())
	}

	/// Submit `xt`; its hash.
	pub fn submit(&self, xt: &[u8]) -> Result<String> {
		let hash =
			self.rpc.call("author_submitExtrinsic", json!([format!("0x{}", hex::encode(xt))]))?;
		Ok(hash.as_str().unwrap_or_default().to_string())
	}

	/// Sign `call` by `signer` with its next nonce, submit it and wait until a block includes
	/// it; its events.
	pub fn sign_and_submit(
		&self,
		signer: &DevKey,
		call: &[u8],
		timeout: Duration,
	) -> Result<Included> {
		let nonce = self.nonce(&signer.account())?;
		let xt = self.sign(signer, call, nonce)?;
		self.submit(&xt)?;
		self.wait_included(&xt, timeout)
	}

	/// Sign every `(signer, call)` (consecutive nonces per signer), submit them all at once
	/// and wait until blocks include every one; their events, in order.
	pub fn submit_batch(
		&self,
		calls: &[(&DevKey, Vec<u8>)],
		timeout: Duration,
	) -> Result<Vec<Included>> {
		let from = self.best_number()?;
		let mut nonces: std::collections::BTreeMap<[u8; 32], u32> = Default::default();
		let mut xts = Vec::new();
		for (signer, call) in calls {
			let nonce = match nonces.get(&signer.account()) {
				Some(n) => *n,
				None => self.nonce(&signer.account())?,
			};
			nonces.insert(signer.account(), nonce + 1);
			let xt = self.sign(signer, call, nonce)?;
			self.submit(&xt)?;
			xts.push(xt);
		}
		xts.iter().map(|xt| self.wait_included_from(xt, from, timeout)).collect()
	}

	/// Wait until a best-chain block contains `xt`; that block's events of it.
	pub fn wait_included(&self, xt: &[u8], timeout: Duration) -> Result<Included> {
		self.wait_included_from(xt, self.best_number()?, timeout)
	}

	/// Like [`Self::wait_included`], scanning from block `from`. Every poll walks the current
	/// best chain from `from` by hash, so a block that a re-org replaced at a height already
	/// looked at (two collators' blocks at one height) is looked at again. A transaction that
	/// only a retracted block held can fall out of the pool: it is submitted again every
	/// [`RESUBMIT_EVERY`] until included (the same bytes, so at most one inclusion; the node
	/// rejects the copies while it still has or has included it).
	pub fn wait_included_from(&self, xt: &[u8], from: u64, timeout: Duration) -> Result<Included> {
		let wanted = format!("0x{}", hex::encode(xt));
		let start = Instant::now();
		let mut seen = std::collections::BTreeSet::new();
		let mut submitted = Instant::now();
		loop {
			if submitted.elapsed() > RESUBMIT_EVERY {
				let _ = self.submit(xt);
				submitted = Instant::now();
			}
			let best = self.best_number()?;
			for n in from..=best {
				let hash = self.rpc.call("chain_getBlockHash", json!([n]))?;
				let hash = hash.as_str().ok_or("block hash")?.to_string();
				if !seen.insert(hash.clone()) {
					continue;
				}
				let block = self.rpc.call("chain_getBlock", json!([hash]))?;
				let xts = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
				if let Some(index) = xts.iter().position(|x| x.as_str() == Some(wanted.as_str())) {
					let index = index as u32;
					let events = self
						.events(&hash)?
						.into_iter()
						.filter(|(phase, _, _)| *phase == Some(index))
						.map(|(_, p, e)| (p, e))
						.collect();
					return Ok(Included { block_hash: hash, index, events });
				}
			}
			if start.elapsed() > timeout {
				return Err(format!("extrinsic not included within {timeout:?}"));
			}
			sleep(Duration::from_millis(200));
		}
	}

	/// The best block number.
	pub fn best_number(&self) -> Result<u64> {
		self.rpc.best_number()
	}

	/// The raw storage value at `key` (best block, or block `at`).
	pub fn storage(&self, key: &[u8], at: Option<&str>) -> Result<Option<Vec<u8>>> {
		let mut params = vec![json!(format!("0x{}", hex::encode(key)))];
		if let Some(at) = at {
			params.push(json!(at));
		}
		match self.rpc.call("state_getStorage", serde_json::Value::Array(params))? {
			serde_json::Value::Null => Ok(None),
			v => decode_hex(v.as_str().ok_or("storage value")?).map(Some),
		}
	}

	/// Events of block `at`: (extrinsic index if applied in an extrinsic, pallet, event).
	pub fn events(&self, at: &str) -> Result<Vec<(Option<u32>, String, Value)>> {
		let key = storage_prefix("System", "Events");
		let raw = self.storage(&key, Some(at))?.unwrap_or_default();
		if raw.is_empty() {
			return Ok(vec![]);
		}
		let records = self.meta.decode_all(self.meta.storage_type("System", "Events")?, &raw)?;
		let mut out = Vec::new();
		for record in records.as_seq().ok_or("System::Events is not a sequence")? {
			let phase = record.field("phase").ok_or("record without phase")?;
			let index = match phase {
				Value::Variant(name, fields) if name == "ApplyExtrinsic" => {
					fields.first().and_then(|(_, v)| v.as_u128()).map(|i| i as u32)
				}
				_ => None,
			};
			let event = record.field("event").ok_or("record without event")?;
			if let Value::Variant(pallet, fields) = event {
				let inner = fields.first().map(|(_, v)| v.clone()).ok_or("empty event")?;
				out.push((index, pallet.clone(), inner));
			}
		}
		Ok(out)
	}

	/// Free balance of `account` (from `System::Account`).
	pub fn free_balance(&self, account: &[u8; 32]) -> Result<u128> {
		let mut key = storage_prefix("System", "Account");
		key.extend_from_slice(&blake2_128(account));
		key.extend_from_slice(account);
		let Some(raw) = self.storage(&key, None)? else { return Ok(0) };
		// AccountInfo { nonce: u32, consumers: u32, providers: u32, sufficients: u32, data: { free, .. } }
		let free: [u8; 16] =
			raw.get(16..32).ok_or("short AccountInfo")?.try_into().map_err(|_| "free")?;
		Ok(u128::from_le_bytes(free))
	}
}

/// `twox128(pallet) ++ twox128(item)`.
pub fn storage_prefix(pallet: &str, item: &str) -> Vec<u8> {
	let mut k = twox_128(pallet.as_bytes()).to_vec();
	k.extend_from_slice(&twox_128(item.as_bytes()));
	k
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn storage_prefixes_match_substrate() {
		// Well-known keys: `System::Account` and `System::Events`.
		assert_eq!(
			hex::encode(storage_prefix("System", "Account")),
			"26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
		);
		assert_eq!(
			hex::encode(storage_prefix("System", "Events")),
			"26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7"
		);
	}
}
