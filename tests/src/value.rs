//! Values read from the chain (events, storage values, runtime API results) without compiling
//! the runtime's types in: decoded by `scale-value` against the metadata's type registry, then
//! viewed as a [`Value`] whose byte strings are bytes (a `Vec<u8>`, `[u8; N]` or a wrapper of
//! one) rather than sequences of numbers.

use crate::Result;
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive};
use subxt::ext::scale_value::{self, Composite, Primitive, ValueDef};

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
	/// A bit sequence, one byte (0 or 1) per bit.
	Bits(Vec<u8>),
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

/// Decode `bytes` as one value of type `ty`, requiring that all bytes are used.
pub fn decode_all(types: &PortableRegistry, ty: u32, bytes: &[u8]) -> Result<Value> {
	let mut input = bytes;
	let v = scale_value::scale::decode_as_type(&mut input, ty, types)
		.map_err(|e| format!("decoding type {ty}: {e}"))?;
	if !input.is_empty() {
		return Err(format!("{} trailing bytes after decoding type {ty}", input.len()));
	}
	Ok(view(v, types))
}

/// The [`Value`] view of a decoded `scale-value` (whose context is each value's type id).
fn view(v: scale_value::Value<u32>, types: &PortableRegistry) -> Value {
	match v.value {
		ValueDef::Primitive(p) => match p {
			Primitive::Bool(b) => Value::Bool(b),
			Primitive::Char(c) => Value::U128(u128::from(u32::from(c))),
			Primitive::String(s) => Value::Str(s),
			Primitive::U128(n) => Value::U128(n),
			Primitive::I128(n) => Value::I128(n),
			Primitive::U256(b) | Primitive::I256(b) => Value::Bytes(b.to_vec()),
		},
		ValueDef::BitSequence(bits) => Value::Bits(bits.iter().map(u8::from).collect()),
		ValueDef::Variant(var) => Value::Variant(var.name, fields(var.values, types)),
		ValueDef::Composite(c) => match items_are_bytes(types, v.context) {
			Some(true) => Value::Bytes(
				c.into_values()
					.filter_map(|b| match b.value {
						ValueDef::Primitive(Primitive::U128(b)) => u8::try_from(b).ok(),
						_ => None,
					})
					.collect(),
			),
			Some(false) => Value::Seq(c.into_values().map(|item| view(item, types)).collect()),
			None => Value::Composite(fields(c, types)),
		},
	}
}

fn fields(c: Composite<u32>, types: &PortableRegistry) -> Vec<(Option<String>, Value)> {
	match c {
		Composite::Named(f) => f.into_iter().map(|(n, v)| (Some(n), view(v, types))).collect(),
		Composite::Unnamed(f) => f.into_iter().map(|v| (None, view(v, types))).collect(),
	}
}

/// For a sequence or array type, whether its items are `u8`; `None` for other types.
fn items_are_bytes(types: &PortableRegistry, ty: u32) -> Option<bool> {
	let item = match &types.resolve(ty)?.type_def {
		TypeDef::Sequence(s) => s.type_param.id,
		TypeDef::Array(a) => a.type_param.id,
		_ => return None,
	};
	Some(matches!(
		types.resolve(item).map(|t| &t.type_def),
		Some(TypeDef::Primitive(TypeDefPrimitive::U8))
	))
}
