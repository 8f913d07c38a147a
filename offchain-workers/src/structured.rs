//! Structured output: the JSON schema of each reply the workers parse, sent as the request's
//! `response_format` (`{"type": "json_schema", ...}`, the OpenAI form that llama.cpp's
//! server, vLLM and Ollama accept, and that `scripts/llm-server.mjs` turns into a
//! node-llama-cpp grammar), so that even a small model's reply has the fields the parsers
//! need.
//!
//! A JSON reply is turned back into the keyword lines of the text format (`{"verdict": "A"}`
//! becomes `VERDICT: A`) by [`keyword_lines`], so [`crate::parse`] reads both forms the same
//! way; a server that ignores `response_format` answers in text, which is parsed as before,
//! and one that rejects it is asked again without it ([`crate::client::chat_as`]).

use alloc::{string::String, vec::Vec};
use serde_json::{json, Map, Value};

/// The kind of reply a prompt asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReplyKind {
	/// A short answer (`FINAL ANSWER`).
	Answer,
	/// A debate message (`MESSAGE`, `FINAL ANSWER`, `AGREE`).
	Debate,
	/// A pairwise judgement (`JUSTIFICATION`, `VERDICT`).
	Verdict,
	/// One feedback sentence (`FEEDBACK`).
	Feedback,
	/// A coordinator's choice of `wanted` of `candidates` (`CHOICE`).
	Choice {
		/// How many candidates are numbered (1..=candidates).
		candidates: usize,
		/// How many to choose.
		wanted: usize,
	},
	/// A validator's score (`SCORE`, `NOTE`).
	Score,
}

fn text(max: u32) -> Value {
	json!({ "type": "string", "maxLength": max })
}

fn object(properties: Value, required: &[&str]) -> Value {
	json!({
		"type": "object",
		"properties": properties,
		"required": required,
		"additionalProperties": false,
	})
}

impl ReplyKind {
	/// The schema's name in the request.
	pub fn name(&self) -> &'static str {
		match self {
			ReplyKind::Answer => "answer",
			ReplyKind::Debate => "debate",
			ReplyKind::Verdict => "verdict",
			ReplyKind::Feedback => "feedback",
			ReplyKind::Choice { .. } => "choice",
			ReplyKind::Score => "score",
		}
	}

	/// The JSON schema of the reply. Property names are the keywords of the text format in
	/// lower case with `_` for spaces; the justification comes before the verdict so that a
	/// model generating in order reasons first.
	pub fn schema(&self) -> Value {
		match *self {
			ReplyKind::Answer => object(json!({ "final_answer": text(200) }), &["final_answer"]),
			ReplyKind::Debate => object(
				json!({
					"message": text(300),
					"final_answer": text(200),
					"agree": { "type": "string", "enum": ["yes", "no"] },
				}),
				&["message", "final_answer", "agree"],
			),
			ReplyKind::Verdict => object(
				json!({
					"justification": text(200),
					"verdict": { "type": "string", "enum": ["A", "B", "TIE"] },
				}),
				&["justification", "verdict"],
			),
			ReplyKind::Feedback => object(json!({ "feedback": text(200) }), &["feedback"]),
			ReplyKind::Choice { candidates, wanted } => object(
				json!({
					"choice": {
						"type": "array",
						"items": { "type": "integer", "minimum": 1, "maximum": candidates },
						"minItems": wanted,
						"maxItems": wanted,
					},
				}),
				&["choice"],
			),
			ReplyKind::Score => object(
				json!({
					"score": { "type": "integer", "minimum": 0, "maximum": 100 },
					"note": text(200),
				}),
				&["score", "note"],
			),
		}
	}

	/// The request's `response_format` for this reply.
	pub fn response_format(&self) -> Value {
		json!({
			"type": "json_schema",
			"json_schema": { "name": self.name(), "strict": true, "schema": self.schema() },
		})
	}
}

/// One value as the text of a keyword line (on one line).
fn line_value(v: &Value) -> Option<String> {
	let s = match v {
		Value::String(s) => s.clone(),
		Value::Number(n) => alloc::format!("{n}"),
		Value::Bool(b) => String::from(if *b { "yes" } else { "no" }),
		Value::Array(items) => {
			let parts: Option<Vec<String>> = items.iter().map(line_value).collect();
			parts?.join(", ")
		}
		Value::Null | Value::Object(_) => return None,
	};
	Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A JSON object reply (possibly inside a ```json fence) as keyword lines (`KEY: value`, key
/// upper-cased with spaces for `_`); `None` if the reply is not such an object, in which case
/// it is read as text.
pub fn keyword_lines(reply: &str) -> Option<String> {
	let t = reply.trim();
	let t = t.strip_prefix("```json").or_else(|| t.strip_prefix("```")).unwrap_or(t);
	let t = t.strip_suffix("```").unwrap_or(t).trim();
	if !t.starts_with('{') {
		return None;
	}
	let map: Map<String, Value> = serde_json::from_str(t).ok()?;
	let mut out = String::new();
	for (k, v) in map.iter() {
		let Some(value) = line_value(v) else { continue };
		out.push_str(&k.to_ascii_uppercase().replace('_', " "));
		out.push_str(": ");
		out.push_str(&value);
		out.push('\n');
	}
	(!out.is_empty()).then_some(out)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
	use super::*;
	use crate::parse::{self, Verdict};
	use alloc::vec;

	#[test]
	fn json_replies_read_like_the_text_format() {
		let v =
			keyword_lines(r#"{"justification": "B gives 42,\n which is right.", "verdict": "B"}"#)
				.unwrap();
		assert_eq!(
			parse::verdict(&v, 100),
			Some((Verdict::B, b"B gives 42, which is right.".to_vec()))
		);
		let c = keyword_lines(
			r#"```json
{"choice": [3, 1]}
```"#,
		)
		.unwrap();
		assert_eq!(parse::choice(&c, 4, 2), Some(vec![2, 0]));
		let s = keyword_lines(r#"{"score": 95, "note": "Correct."}"#).unwrap();
		assert_eq!(parse::score(&s, 50), Some((95, b"Correct.".to_vec())));
		let d = keyword_lines(r#"{"message": "It is 42.", "final_answer": "42", "agree": "no"}"#)
			.unwrap();
		assert_eq!(
			parse::debate(&d, 50),
			Some((b"It is 42.".to_vec(), Some(b"42".to_vec()), false))
		);
		let a = keyword_lines(r#"{"final_answer": " 42 "}"#).unwrap();
		assert_eq!(parse::answer(&a, 50), Some(b"42".to_vec()));
	}

	#[test]
	fn text_and_malformed_json_are_left_to_the_text_parser() {
		assert_eq!(keyword_lines("VERDICT: A"), None);
		assert_eq!(keyword_lines("{not json"), None);
		assert_eq!(keyword_lines("{}"), None);
		// Nested objects and nulls are skipped, not guessed.
		assert_eq!(keyword_lines(r#"{"verdict": null, "x": {"y": 1}}"#), None);
	}

	#[test]
	fn schemas_name_the_fields_the_parsers_read() {
		let v = ReplyKind::Verdict.response_format();
		assert_eq!(v["type"], "json_schema");
		assert_eq!(v["json_schema"]["name"], "verdict");
		assert_eq!(v["json_schema"]["schema"]["properties"]["verdict"]["enum"][2], "TIE");
		let c = ReplyKind::Choice { candidates: 5, wanted: 3 }.schema();
		assert_eq!(c["properties"]["choice"]["minItems"], 3);
		assert_eq!(c["properties"]["choice"]["items"]["maximum"], 5);
	}
}
