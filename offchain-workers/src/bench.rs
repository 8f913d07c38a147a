//! Benchmark documents of evaluation tasks (PROTOCOL section 6, seed `001_...`).
//!
//! An evaluation task's spec URI points to a JSON document whose `blake2_256` is the task's
//! spec hash:
//!
//! ```json
//! { "model": "the model under evaluation (optional)",
//!   "items": [ { "question": "What is 6 x 7?", "answer": "42" }, ... ] }
//! ```
//!
//! A validator's worker fetches it ([`crate::client::get`], at most [`MAX_BENCHMARK_BYTES`]),
//! checks the hash ([`parse`]), asks its endpoint each question
//! ([`crate::prompts::benchmark`]) with the named model and a per-run seed, and reports the
//! share of exact matches. The document is untrusted: bounded, parsed strictly, never
//! followed.

use alloc::{string::String, vec::Vec};
use frame::hashing::blake2_256;
use serde::Deserialize;

/// Most bytes of a benchmark document.
pub const MAX_BENCHMARK_BYTES: usize = 256 * 1024;
/// Most items of a benchmark run.
pub const MAX_ITEMS: usize = 200;
/// Longest model name taken from a document.
pub const MAX_MODEL_LEN: usize = 128;

/// One benchmark question with its reference answer.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Item {
	/// The question.
	pub question: String,
	/// The reference answer (graded by exact match after normalisation).
	pub answer: String,
}

/// A parsed benchmark document.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Benchmark {
	/// The model under evaluation (`None`: the endpoint's configured model).
	#[serde(default)]
	pub model: Option<String>,
	/// The items.
	pub items: Vec<Item>,
}

/// Why a document was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BenchError {
	/// Its hash is not the task's spec hash.
	HashMismatch,
	/// Not UTF-8 JSON of the expected shape.
	InvalidJson,
	/// No items.
	Empty,
	/// More than [`MAX_ITEMS`] items.
	TooManyItems,
	/// A model name longer than [`MAX_MODEL_LEN`] or not printable ASCII.
	BadModel,
}

/// Check `body` against `spec_hash` and parse it.
pub fn parse(body: &[u8], spec_hash: &[u8; 32]) -> Result<Benchmark, BenchError> {
	if &blake2_256(body) != spec_hash {
		return Err(BenchError::HashMismatch);
	}
	let text = core::str::from_utf8(body).map_err(|_| BenchError::InvalidJson)?;
	let mut doc: Benchmark = serde_json::from_str(text).map_err(|_| BenchError::InvalidJson)?;
	if doc.items.is_empty() {
		return Err(BenchError::Empty);
	}
	if doc.items.len() > MAX_ITEMS {
		return Err(BenchError::TooManyItems);
	}
	doc.model = doc.model.filter(|m| !m.is_empty());
	if let Some(m) = &doc.model {
		if m.len() > MAX_MODEL_LEN || !m.bytes().all(|b| b.is_ascii_graphic()) {
			return Err(BenchError::BadModel);
		}
	}
	Ok(doc)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
	use super::*;
	use alloc::format;

	fn doc(items: usize, model: &str) -> Vec<u8> {
		let items: Vec<String> = (0..items)
			.map(|i| format!(r#"{{"question":"What is {i} x 7?","answer":"{}"}}"#, i * 7))
			.collect();
		format!(r#"{{"model":"{model}","items":[{}]}}"#, items.join(",")).into_bytes()
	}

	#[test]
	fn a_document_parses_only_with_its_hash_and_within_bounds() {
		let body = doc(3, "sim-persona-0.6");
		let b = parse(&body, &blake2_256(&body)).unwrap();
		assert_eq!(b.model.as_deref(), Some("sim-persona-0.6"));
		assert_eq!(b.items.len(), 3);
		assert_eq!(b.items[2], Item { question: "What is 2 x 7?".into(), answer: "14".into() });
		assert_eq!(parse(&body, &[0; 32]), Err(BenchError::HashMismatch));
		let none = doc(0, "m");
		assert_eq!(parse(&none, &blake2_256(&none)), Err(BenchError::Empty));
		let many = doc(MAX_ITEMS + 1, "m");
		assert_eq!(parse(&many, &blake2_256(&many)), Err(BenchError::TooManyItems));
		let bad = doc(1, "two words");
		assert_eq!(parse(&bad, &blake2_256(&bad)), Err(BenchError::BadModel));
		let junk = b"<html>".to_vec();
		assert_eq!(parse(&junk, &blake2_256(&junk)), Err(BenchError::InvalidJson));
		let no_model = br#"{"items":[{"question":"q","answer":"a"}]}"#.to_vec();
		assert_eq!(parse(&no_model, &blake2_256(&no_model)).unwrap().model, None);
		let empty_model = doc(1, "");
		assert_eq!(parse(&empty_model, &blake2_256(&empty_model)).unwrap().model, None);
	}
}
