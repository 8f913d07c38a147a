//! A dynamic SCALE decoder driven by a `scale-info` type registry: enough to read events,
//! storage values and runtime API results without compiling the runtime's types in.

use crate::Result;
use codec::{Compact, Decode};
use scale_info::{form::PortableForm, PortableRegistry, TypeDef, TypeDefPrimitive};

/// A decoded value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
	/// A boolean.
	Bool(bool),
	/// Any unsigned integer (and compacts).
	U128(u128),
	/// Any signed integer.
	I128(i128),
	/// A string.
	Str(String),
	/// A sequence of `u8` or a `[u8; N]`.
	Bytes(Vec<u8>),
	/// A struct or tuple: fields with their names (if named).
	Composite(Vec<(Option<String>, Value)>),
	/// An enum variant with its fields.
	Variant(String, Vec<(Option<String>, Value)>),
	/// A sequence or array of non-byte items.
	Seq(Vec<Value>),
	/// Something this decoder does not render (e.g. a bit sequence); raw bytes are kept.
	Opaque(Vec<u8>),
}

impl Value {
	/// The field `name` of a composite or variant.
	pub fn field(&self, name: &str) -> Option<&Value> {
		let fields = match self {
			Value::Composite(f) | Value::Variant(_, f) => f,
			_ => return None,
		};
		fields.iter().find(|(n, _)| n.as_deref() == Some(name)).map(|(_, v)| v)
	}

	/// The `i`-th field of a composite or variant, or item of a sequence.
	pub fn at(&self, i: usize) -> Option<&Value> {
		match self {
			Value::Composite(f) | Value::Variant(_, f) => f.get(i).map(|(_, v)| v),
			Value::Seq(items) => items.get(i),
			_ => None,
		}
	}

	/// The variant name, if this is a variant.
	pub fn variant_name(&self) -> Option<&str> {
		match self {
			Value::Variant(n, _) => Some(n),
			_ => None,
		}
	}

	/// As an unsigned integer.
	pub fn as_u128(&self) -> Option<u128> {
		match self {
			Value::U128(v) => Some(*v),
			Value::Composite(f) if f.len() == 1 => f[0].1.as_u128(),
			_ => None,
		}
	}

	/// As bytes (also for single-field wrappers such as `AccountId32([u8; 32])` or a
	/// `BoundedVec`).
	pub fn as_bytes(&self) -> Option<&[u8]> {
		match self {
			Value::Bytes(b) => Some(b),
			Value::Composite(f) if f.len() == 1 => f[0].1.as_bytes(),
			_ => None,
		}
	}

	/// As a sequence.
	pub fn as_seq(&self) -> Option<&[Value]> {
		match self {
			Value::Seq(items) => Some(items),
			Value::Composite(f) if f.len() == 1 => f[0].1.as_seq(),
			_ => None,
		}
	}
}

/// Decode one value of type `ty` from the front of `input`.
pub fn decode(registry: &PortableRegistry, ty: u32, input: &mut &[u8]) -> Result<Value> {
	let t = registry.resolve(ty).ok_or_else(|| format!("type {ty} not in registry"))?;
	let err = |e: codec::Error| format!("decoding type {ty} ({:?}): {e}", t.path);
	Ok(match &t.type_def {
		TypeDef::Composite(c) => Value::Composite(fields(registry, &c.fields, input)?),
		TypeDef::Variant(v) => {
			let index = u8::decode(input).map_err(err)?;
			let var = v
				.variants
				.iter()
				.find(|var| var.index == index)
				.ok_or_else(|| format!("type {ty} ({:?}) has no variant {index}", t.path))?;
			Value::Variant(var.name.clone(), fields(registry, &var.fields, input)?)
		}
		TypeDef::Sequence(s) => {
			let len = Compact::<u32>::decode(input).map_err(err)?.0 as usize;
			items(registry, s.type_param.id, len, input)?
		}
		TypeDef::Array(a) => items(registry, a.type_param.id, a.len as usize, input)?,
		TypeDef::Tuple(tuple) => Value::Composite(
			tuple
				.fields
				.iter()
				.map(|f| decode(registry, f.id, input).map(|v| (None, v)))
				.collect::<Result<_>>()?,
		),
		TypeDef::Primitive(p) => primitive(p, input).map_err(err)?,
		// SCALE compacts share one encoding whatever the width: decode as the widest.
		TypeDef::Compact(_) => Value::U128(Compact::<u128>::decode(input).map_err(err)?.0),
		TypeDef::BitSequence(_) => {
			let bits = Compact::<u32>::decode(input).map_err(err)?.0 as usize;
			let bytes = bits.div_ceil(8);
			if input.len() < bytes {
				return Err("truncated bit sequence".into());
			}
			let (b, rest) = input.split_at(bytes);
			*input = rest;
			Value::Opaque(b.to_vec())
		}
	})
}

fn fields(
	registry: &PortableRegistry,
	fields: &[scale_info::Field<PortableForm>],
	input: &mut &[u8],
) -> Result<Vec<(Option<String>, Value)>> {
	fields.iter().map(|f| decode(registry, f.ty.id, input).map(|v| (f.name.clone(), v))).collect()
}

fn items(registry: &PortableRegistry, item: u32, len: usize, input: &mut &[u8]) -> Result<Value> {
	let is_u8 = matches!(
		registry.resolve(item).map(|t| &t.type_def),
		Some(TypeDef::Primitive(TypeDefPrimitive::U8))
	);
	if is_u8 {
		if input.len() < len {
			return Err(format!("truncated byte sequence of {len}"));
		}
		let (b, rest) = input.split_at(len);
		*input = rest;
		return Ok(Value::Bytes(b.to_vec()));
	}
	(0..len).map(|_| decode(registry, item, input)).collect::<Result<_>>().map(Value::Seq)
}

fn primitive(p: &TypeDefPrimitive, input: &mut &[u8]) -> std::result::Result<Value, codec::Error> {
	Ok(match p {
		TypeDefPrimitive::Bool => Value::Bool(bool::decode(input)?),
		TypeDefPrimitive::Char => Value::U128(u32::decode(input)? as u128),
		TypeDefPrimitive::Str => Value::Str(String::decode(input)?),
		TypeDefPrimitive::U8 => Value::U128(u8::decode(input)? as u128),
		TypeDefPrimitive::U16 => Value::U128(u16::decode(input)? as u128),
		TypeDefPrimitive::U32 => Value::U128(u32::decode(input)? as u128),
		TypeDefPrimitive::U64 => Value::U128(u64::decode(input)? as u128),
		TypeDefPrimitive::U128 => Value::U128(u128::decode(input)?),
		TypeDefPrimitive::U256 => Value::Bytes(<[u8; 32]>::decode(input)?.to_vec()),
		TypeDefPrimitive::I8 => Value::I128(i8::decode(input)? as i128),
		TypeDefPrimitive::I16 => Value::I128(i16::decode(input)? as i128),
		TypeDefPrimitive::I32 => Value::I128(i32::decode(input)? as i128),
		TypeDefPrimitive::I64 => Value::I128(i64::decode(input)? as i128),
		TypeDefPrimitive::I128 => Value::I128(i128::decode(input)?),
		TypeDefPrimitive::I256 => Value::Bytes(<[u8; 32]>::decode(input)?.to_vec()),
	})
}
