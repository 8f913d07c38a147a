//! Runtime metadata (V16, else V15) fetched through the `Metadata` runtime API and read with
//! `subxt`'s [`subxt::Metadata`]: pallets and their calls, runtime APIs, storage value types and
//! the type registry; values decode with `scale-value` ([`crate::value`]).

use crate::{rpc::Rpc, value, Result};
use codec::{Decode, Encode};
use scale_info::PortableRegistry;
use subxt::{metadata::PalletMetadata, ArcMetadata};

/// The metadata tests use.
pub struct Metadata {
	/// Metadata version (15 or 16).
	pub version: u32,
	/// The metadata as `subxt` reads it.
	pub inner: ArcMetadata,
}

impl Metadata {
	/// Fetch the newest metadata the runtime offers (16 if it can, else 15).
	pub fn fetch(rpc: &Rpc) -> Result<Self> {
		let versions =
			Vec::<u32>::decode(&mut &rpc.state_call("Metadata_metadata_versions", &[], None)?[..])
				.map_err(|e| format!("metadata versions: {e}"))?;
		let version = [16u32, 15]
			.into_iter()
			.find(|v| versions.contains(v))
			.ok_or_else(|| format!("runtime offers metadata {versions:?}, none of V15/V16"))?;
		let raw = rpc.state_call("Metadata_metadata_at_version", &version.encode(), None)?;
		let opaque = Option::<Vec<u8>>::decode(&mut &raw[..])
			.map_err(|e| format!("metadata_at_version: {e}"))?
			.ok_or("metadata_at_version returned None")?;
		let inner = subxt::Metadata::decode_from(&opaque)
			.map_err(|e| format!("decoding metadata V{version}: {e}"))?;
		Ok(Self { version, inner: inner.arc() })
	}

	/// The type registry.
	pub fn types(&self) -> &PortableRegistry {
		self.inner.types()
	}

	/// The pallet called `name`.
	pub fn pallet(&self, name: &str) -> Result<PalletMetadata<'_>> {
		self.inner.pallet_by_name(name).ok_or_else(|| {
			let names: Vec<_> = self.inner.pallets().map(|p| p.name()).collect();
			format!("pallet {name} not in metadata (pallets: {names:?})")
		})
	}

	/// Whether the runtime API `api` with method `method` is declared.
	pub fn has_api(&self, api: &str, method: &str) -> bool {
		self.api_output(api, method).is_some()
	}

	/// Type id of the output of runtime API `api::method`.
	pub fn api_output(&self, api: &str, method: &str) -> Option<u32> {
		self.inner.runtime_api_trait_by_name(api)?.method_by_name(method).map(|m| m.output_ty())
	}

	/// `[pallet index, call index]` of `pallet::call`.
	pub fn call_index(&self, pallet: &str, call: &str) -> Result<[u8; 2]> {
		let p = self.pallet(pallet)?;
		let variant = p
			.call_variant_by_name(call)
			.ok_or_else(|| format!("call {pallet}::{call} not in metadata"))?;
		Ok([p.call_index(), variant.index])
	}

	/// Type id of the value of storage item `pallet::item`.
	pub fn storage_type(&self, pallet: &str, item: &str) -> Result<u32> {
		self.pallet(pallet)?
			.storage()
			.and_then(|s| s.entry_by_name(item))
			.map(|e| e.value_ty())
			.ok_or_else(|| format!("storage item {pallet}::{item} not in metadata"))
	}

	/// Decode `bytes` as type `ty`, requiring that all bytes are used.
	pub fn decode_all(&self, ty: u32, bytes: &[u8]) -> Result<value::Value> {
		value::decode_all(self.types(), ty, bytes)
	}
}
