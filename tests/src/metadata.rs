//! Runtime metadata (V16, else V15) fetched through the `Metadata` runtime API and reduced to
//! what tests need: pallets with their indices and call/event types, runtime APIs,
//! transaction extensions, and the type registry.

use crate::{rpc::Rpc, value, Result};
use codec::{Decode, Encode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use scale_info::{PortableRegistry, TypeDef};

/// A pallet as seen in the metadata.
#[derive(Clone, Debug)]
pub struct Pallet {
	/// Name in `construct_runtime` (e.g. `Balances`).
	pub name: String,
	/// Its index (first byte of its calls and events).
	pub index: u8,
	/// Type id of its `Call` enum.
	pub call_ty: Option<u32>,
	/// Type id of its `Event` enum.
	pub event_ty: Option<u32>,
}

/// A transaction extension of the extrinsic format.
#[derive(Clone, Debug)]
pub struct Extension {
	/// Its identifier (e.g. `CheckNonce`).
	pub identifier: String,
	/// Type of its explicit (in-extrinsic) part.
	pub ty: u32,
	/// Type of its implicit (signed-only) part.
	pub implicit: u32,
}

/// The metadata tests use.
pub struct Metadata {
	/// Metadata version (15 or 16).
	pub version: u32,
	/// The type registry.
	pub types: PortableRegistry,
	/// Pallets in index order.
	pub pallets: Vec<Pallet>,
	/// Runtime APIs: name, and methods with the type id of their output.
	pub apis: Vec<(String, Vec<(String, u32)>)>,
	/// Transaction extensions of signed extrinsics, in order.
	pub extensions: Vec<Extension>,
}

/// Pallets of a V15 or V16 metadata (same field names, different types).
macro_rules! pallets {
	($m:expr) => {
		$m.pallets
			.iter()
			.map(|p| Pallet {
				name: p.name.clone(),
				index: p.index,
				call_ty: p.calls.as_ref().map(|c| c.ty.id),
				event_ty: p.event.as_ref().map(|e| e.ty.id),
			})
			.collect()
	};
}

/// Runtime APIs of a V15 or V16 metadata with their methods' output types.
macro_rules! apis {
	($m:expr) => {
		$m.apis
			.iter()
			.map(|a| {
				(a.name.clone(), a.methods.iter().map(|m| (m.name.clone(), m.output.id)).collect())
			})
			.collect()
	};
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
		let prefixed = RuntimeMetadataPrefixed::decode(&mut &opaque[..])
			.map_err(|e| format!("decoding metadata V{version}: {e}"))?;
		Self::from_prefixed(prefixed)
	}

	fn from_prefixed(prefixed: RuntimeMetadataPrefixed) -> Result<Self> {
		match prefixed.1 {
			RuntimeMetadata::V16(m) => Ok(Self {
				version: 16,
				pallets: pallets!(m),
				apis: apis!(m),
				extensions: {
					// Signed (v4) extrinsics use the extensions of version 0.
					let by_version = m.extrinsic.transaction_extensions_by_version.get(&0);
					let all = &m.extrinsic.transaction_extensions;
					match by_version {
						Some(ids) => ids
							.iter()
							.filter_map(|i| all.get(i.0 as usize))
							.map(|e| Extension {
								identifier: e.identifier.clone(),
								ty: e.ty.id,
								implicit: e.implicit.id,
							})
							.collect(),
						None => all
							.iter()
							.map(|e| Extension {
								identifier: e.identifier.clone(),
								ty: e.ty.id,
								implicit: e.implicit.id,
							})
							.collect(),
					}
				},
				types: m.types,
			}),
			RuntimeMetadata::V15(m) => Ok(Self {
				version: 15,
				pallets: pallets!(m),
				apis: apis!(m),
				extensions: m
					.extrinsic
					.signed_extensions
					.iter()
					.map(|e| Extension {
						identifier: e.identifier.clone(),
						ty: e.ty.id,
						implicit: e.additional_signed.id,
					})
					.collect(),
				types: m.types,
			}),
			other => Err(format!("unexpected metadata version {}", other.version())),
		}
	}

	/// The pallet called `name`.
	pub fn pallet(&self, name: &str) -> Result<&Pallet> {
		self.pallets.iter().find(|p| p.name == name).ok_or_else(|| {
			let names: Vec<_> = self.pallets.iter().map(|p| p.name.as_str()).collect();
			format!("pallet {name} not in metadata (pallets: {names:?})")
		})
	}

	/// Whether the runtime API `api` with method `method` is declared.
	pub fn has_api(&self, api: &str, method: &str) -> bool {
		self.api_output(api, method).is_some()
	}

	/// Type id of the output of runtime API `api::method`.
	pub fn api_output(&self, api: &str, method: &str) -> Option<u32> {
		self.apis
			.iter()
			.find(|(a, _)| a == api)
			.and_then(|(_, methods)| methods.iter().find(|(m, _)| m == method))
			.map(|(_, ty)| *ty)
	}

	/// `[pallet index, call index]` of `pallet::call`.
	pub fn call_index(&self, pallet: &str, call: &str) -> Result<[u8; 2]> {
		let p = self.pallet(pallet)?;
		let ty = p.call_ty.ok_or_else(|| format!("pallet {pallet} has no calls"))?;
		let index = self
			.variant_index(ty, call)
			.ok_or_else(|| format!("call {pallet}::{call} not in metadata"))?;
		Ok([p.index, index])
	}

	fn variant_index(&self, ty: u32, name: &str) -> Option<u8> {
		match &self.types.resolve(ty)?.type_def {
			TypeDef::Variant(v) => {
				v.variants.iter().find(|var| var.name == name).map(|var| var.index)
			}
			_ => None,
		}
	}

	/// Type id of a type whose path ends with `path` (e.g. `["frame_system", "EventRecord"]`).
	pub fn type_by_path(&self, path: &[&str]) -> Option<u32> {
		self.types
			.types
			.iter()
			.find(|t| {
				t.ty.path
					.segments
					.ends_with(&path.iter().map(|s| s.to_string()).collect::<Vec<_>>())
			})
			.map(|t| t.id)
	}

	/// Decode `bytes` as type `ty`, requiring that all bytes are used.
	pub fn decode_all(&self, ty: u32, bytes: &[u8]) -> Result<value::Value> {
		let mut input = bytes;
		let v = value::decode(&self.types, ty, &mut input)?;
		if !input.is_empty() {
			return Err(format!("{} trailing bytes after decoding type {ty}", input.len()));
		}
		Ok(v)
	}
}
