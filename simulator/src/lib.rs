//! # LLM-Net simulator
//!
//! A deterministic stand-in for an OpenAI-compatible `/v1/chat/completions` server, for
//! reproducible tests and demos. The model name selects a **persona** by intelligence index,
//! as in the LLM-Net simulation: `sim-persona-0.9` knows the right answer 90 % of the time,
//! `sim-persona-0.1` 10 %. Whether a persona "knows" is a hash of (model, question, action),
//! so the same request always gets the same reply.
//!
//! The simulator recognises the LLM-Net prompts of `llmnet-ocw` by their system message:
//! answer, calibration question, debate, pairwise judgement, feedback, coordinator selection,
//! validation. Questions
//! of the form `What is <a> x <b>?` (also `+`, `-`, `*`) have their arithmetic answer; any
//! other question has a made-up "right" answer derived from its hash. Wrong answers cluster
//! (one popular wrong answer), so majority vote can be fooled while good judges are not.
//!
//! Benchmark runs (evaluation tasks): `GET /benchmarks/<items>/<model>` serves a benchmark
//! document of `items` arithmetic questions for `model` ([`benchmark_doc`]); a benchmark
//! prompt with a request `seed` is answered right when the persona "knows" for that seed
//! ([`bench_answer`]), so runs with different seeds differ like sampled runs.
//!
//! Fault personas for tests: `sim-fault-429`, `sim-fault-500` (HTTP status),
//! `sim-fault-garbage` (not JSON), `sim-fault-slow` (answers after 30 s).

use blake2::{Blake2b512, Digest};
use std::io::Read;
use tiny_http::{Header, Method, Response};

/// A persona's intelligence index in [0, 1].
pub fn intelligence(model: &str) -> f64 {
	model
		.strip_prefix("sim-persona-")
		.and_then(|x| x.parse::<f64>().ok())
		.map(|x| x.clamp(0.0, 1.0))
		.unwrap_or(0.5)
}

/// A deterministic number in [0, 1) from `parts`.
pub fn unit(parts: &[&str]) -> f64 {
	let mut h = Blake2b512::new();
	for p in parts {
		h.update((p.len() as u64).to_le_bytes());
		h.update(p.as_bytes());
	}
	let d = h.finalize();
	let mut b = [0u8; 8];
	b.copy_from_slice(&d[..8]);
	(u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

fn hex6(text: &str) -> String {
	let mut h = Blake2b512::new();
	h.update(text.as_bytes());
	h.finalize()[..3].iter().map(|b| format!("{b:02x}")).collect()
}

/// The arithmetic in `What is 6 x 7?`, if any.
fn arithmetic(question: &str) -> Option<i64> {
	let t: Vec<&str> =
		question.split(|c: char| c.is_whitespace() || c == '?').filter(|s| !s.is_empty()).collect();
	for w in t.windows(3) {
		let (Ok(a), Ok(b)) = (w[0].parse::<i64>(), w[2].parse::<i64>()) else { continue };
		return match w[1] {
			"x" | "*" | "×" => a.checked_mul(b),
			"+" => a.checked_add(b),
			"-" => a.checked_sub(b),
			_ => None,
		};
	}
	None
}

/// The right answer to `question`.
pub fn correct_answer(question: &str) -> String {
	match arithmetic(question) {
		Some(v) => v.to_string(),
		None => format!("answer-{}", hex6(question)),
	}
}

/// The three wrong answers to `question`; the first is the popular one.
pub fn wrong_answers(question: &str) -> [String; 3] {
	match arithmetic(question) {
		Some(v) => [v + 1, v - 1, v + 10].map(|x| x.to_string()),
		None => {
			let h = hex6(question);
			[format!("wrong-{h}-a"), format!("wrong-{h}-b"), format!("wrong-{h}-c")]
		}
	}
}

/// Whether `model` knows the answer to `question` for `action`.
pub fn knows(model: &str, question: &str, action: &str) -> bool {
	unit(&[model, question, action]) < intelligence(model)
}

/// A persona's answer: the right one when it knows, else a wrong one (0.6 / 0.25 / 0.15).
pub fn answer(model: &str, question: &str) -> String {
	if knows(model, question, "answer") {
		return correct_answer(question);
	}
	let x = unit(&[model, question, "wrong"]);
	let [a, b, c] = wrong_answers(question);
	if x < 0.6 {
		a
	} else if x < 0.85 {
		b
	} else {
		c
	}
}

/// A persona's answer in a benchmark run with `seed`: right when it knows for this seed, else
/// the popular wrong answer.
pub fn bench_answer(model: &str, question: &str, seed: u64) -> String {
	if knows(model, question, &format!("bench|{seed}")) {
		correct_answer(question)
	} else {
		let [a, _, _] = wrong_answers(question);
		a
	}
}

/// The benchmark document of `items` arithmetic questions evaluating `model` (what
/// `GET /benchmarks/<items>/<model>` serves; its `blake2_256` is the task's spec hash).
pub fn benchmark_doc(items: usize, model: &str) -> String {
	let items: Vec<serde_json::Value> = (0..items)
		.map(|i| {
			let q = format!("What is {} x {}?", 13 + i, 17 + 2 * i);
			serde_json::json!({ "question": q, "answer": correct_answer(&q) })
		})
		.collect();
	serde_json::json!({ "model": model, "items": items }).to_string()
}

/// The text of the frame `<<<LABEL ... >>>` in `text`.
pub fn framed<'a>(text: &'a str, label: &str) -> Option<&'a str> {
	let open = format!("<<<{label}\n");
	let start = text.find(&open)? + open.len();
	let end = text[start..].find("\n>>>")? + start;
	Some(&text[start..end])
}

fn all_framed<'a>(text: &'a str, label_prefix: &str) -> Vec<&'a str> {
	let mut out = Vec::new();
	let mut rest = text;
	let open = format!("<<<{label_prefix}");
	while let Some(i) = rest.find(&open) {
		let after = &rest[i..];
		let Some(nl) = after.find('\n') else { break };
		let body = &after[nl + 1..];
		let Some(end) = body.find("\n>>>") else { break };
		out.push(&body[..end]);
		rest = &body[end..];
	}
	out
}

/// The reply of `model` to a chat with `system` and `user` messages.
pub fn reply(model: &str, system: &str, user: &str) -> String {
	reply_seeded(model, system, user, None)
}

/// [`reply`] with the request's sampling `seed` (used by benchmark runs).
pub fn reply_seeded(model: &str, system: &str, user: &str, seed: Option<u64>) -> String {
	let question = framed(user, "QUESTION").unwrap_or(user).trim();
	let right = correct_answer(question);
	if system.contains("benchmark run") {
		return bench_answer(model, question, seed.unwrap_or(0));
	}
	if system.contains("answering a query") || system.contains("calibration question") {
		return answer(model, question);
	}
	if system.contains("judge which of two answers") {
		let a = framed(user, "ANSWER A").unwrap_or("").trim();
		let b = framed(user, "ANSWER B").unwrap_or("").trim();
		let (verdict, why) = if knows(model, question, &format!("judge|{a}|{b}")) {
			if a == right && b != right {
				("A", format!("A gives {right}, which is correct."))
			} else if b == right && a != right {
				("B", format!("B gives {right}, which is correct."))
			} else {
				("TIE", "Neither is clearly better.".to_string())
			}
		} else if unit(&[model, question, a, b, "guess"]) < 0.6 {
			// Position bias when guessing: the worker's two orders cancel it.
			("A", "A looks more plausible.".to_string())
		} else {
			("B", "B looks more plausible.".to_string())
		};
		return format!("JUSTIFICATION: {why}\nVERDICT: {verdict}");
	}
	if system.contains("You debate") {
		let own = framed(user, "YOUR ANSWER").unwrap_or("").trim().to_string();
		let others: Vec<&str> =
			all_framed(user, "OTHER ANSWER").into_iter().map(str::trim).collect();
		let knows = knows(model, question, "debate");
		let final_answer = if knows { right.clone() } else { own.clone() };
		let agree = others.iter().all(|o| *o == final_answer);
		let message = if knows {
			format!("I checked it: the answer is {right}.")
		} else {
			format!("I keep {own}.")
		};
		return format!(
			"MESSAGE: {message}\nFINAL ANSWER: {final_answer}\nAGREE: {}",
			if agree { "yes" } else { "no" }
		);
	}
	if system.contains("review another expert") {
		let a = framed(user, "ANSWER").unwrap_or("").trim();
		let text = if !knows(model, question, &format!("feedback|{a}")) {
			"Plausible, but I could not check it.".to_string()
		} else if a == right {
			"Correct and concise.".to_string()
		} else {
			format!("Wrong: {a} is not the answer.")
		};
		return format!("FEEDBACK: {text}");
	}
	if system.contains("You coordinate a query") {
		let wanted: usize = system
			.split("Choose the ")
			.nth(1)
			.and_then(|s| s.split_whitespace().next())
			.and_then(|n| n.parse().ok())
			.unwrap_or(1);
		// LLM-Net's coordinator reads the peers' text feedback, not only the scores: each
		// "Correct" note on a candidate adds 0.1 to its answer score, each "Wrong" note takes
		// 0.1 off (the feedback this simulator writes, see "review another expert" above).
		let mut scored: Vec<(usize, f64)> = user
			.split("CANDIDATE ")
			.skip(1)
			.filter_map(|chunk| {
				let (num, tail) = chunk.split_once(':')?;
				let score: f64 =
					tail.split("answer score ").nth(1)?.split(',').next()?.trim().parse().ok()?;
				let praise = chunk.matches("<<<FEEDBACK\nCorrect").count() as f64;
				let blame = chunk.matches("<<<FEEDBACK\nWrong").count() as f64;
				Some((num.trim().parse().ok()?, score + 0.1 * (praise - blame)))
			})
			.collect();
		scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
		let choice: Vec<String> = scored.iter().take(wanted).map(|c| c.0.to_string()).collect();
		return format!("CHOICE: {}", choice.join(", "));
	}
	if system.contains("You validate") {
		let a = framed(user, "ANSWER").unwrap_or("").trim();
		let (score, note) = if !knows(model, question, "validate") {
			(60, "Cannot verify.")
		} else if a == right {
			(95, "Correct.")
		} else {
			(20, "Incorrect.")
		};
		return format!("SCORE: {score}\nNOTE: {note}");
	}
	format!("I am {model}.")
}

/// The JSON body of a chat-completions reply.
pub fn completion_json(model: &str, content: &str) -> String {
	serde_json::json!({
		"id": format!("sim-{}", hex6(content)),
		"object": "chat.completion",
		"model": model,
		"choices": [{
			"index": 0,
			"message": { "role": "assistant", "content": content },
			"finish_reason": "stop"
		}]
	})
	.to_string()
}

/// Handle one request body: `(status, body)`.
pub fn handle(body: &str) -> (u16, String) {
	let Ok(req) = serde_json::from_str::<serde_json::Value>(body) else {
		return (400, r#"{"error":"invalid JSON"}"#.into());
	};
	let model = req["model"].as_str().unwrap_or("sim-persona-0.5").to_string();
	match model.as_str() {
		"sim-fault-429" => return (429, r#"{"error":"rate limited"}"#.into()),
		"sim-fault-500" => return (500, r#"{"error":"boom"}"#.into()),
		"sim-fault-garbage" => return (200, "<html>not json".into()),
		_ => {}
	}
	let messages = req["messages"].as_array().cloned().unwrap_or_default();
	let text_of = |role: &str| {
		messages
			.iter()
			.filter(|m| m["role"] == role)
			.filter_map(|m| m["content"].as_str())
			.collect::<Vec<_>>()
			.join("\n")
	};
	let content = reply_seeded(&model, &text_of("system"), &text_of("user"), req["seed"].as_u64());
	let content = match req["response_format"]["json_schema"]["schema"]["properties"].as_object() {
		Some(properties) => structured(&content, properties),
		None => content,
	};
	(200, completion_json(&model, &content))
}

/// A keyword-line reply (`VERDICT: A`) as the JSON object a server with structured output
/// returns for a schema with these `properties` (`verdict`, `final_answer`, ...): each
/// property from its keyword line (or the whole reply for `final_answer` when the persona gave
/// a bare answer), integers and integer arrays as numbers. Like a constrained model, every
/// property is filled.
pub fn structured(reply: &str, properties: &serde_json::Map<String, serde_json::Value>) -> String {
	let line = |key: &str| {
		reply.lines().find_map(|l| {
			let (k, v) = l.split_once(':')?;
			k.trim().eq_ignore_ascii_case(key).then(|| v.trim().to_string())
		})
	};
	let mut out = serde_json::Map::new();
	for (name, schema) in properties {
		let key = name.replace('_', " ");
		let raw = line(&key).unwrap_or_else(|| {
			if name == "final_answer" {
				reply.trim().to_string()
			} else {
				String::new()
			}
		});
		let value = match schema["type"].as_str() {
			Some("integer") => {
				raw.parse::<i64>().map(Into::into).unwrap_or(serde_json::Value::from(0))
			}
			Some("array") => raw
				.split(',')
				.filter_map(|p| p.trim().parse::<i64>().ok())
				.map(serde_json::Value::from)
				.collect::<Vec<_>>()
				.into(),
			_ => raw.into(),
		};
		out.insert(name.clone(), value);
	}
	serde_json::Value::Object(out).to_string()
}

/// Chat completions served by every simulator of this process so far (the throughput
/// benchmark's LLM calls per query).
static COMPLETIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Chat completions served by the simulators of this process so far.
pub fn completions() -> u64 {
	COMPLETIONS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Listen on `addr` (port 0 picks a free one) and serve in the background: the bound address
/// and the server thread. Each request gets its own thread.
pub fn spawn(addr: &str) -> std::io::Result<(std::net::SocketAddr, std::thread::JoinHandle<()>)> {
	let server = tiny_http::Server::http(addr).map_err(std::io::Error::other)?;
	let bound =
		server.server_addr().to_ip().ok_or_else(|| std::io::Error::other("not an IP listener"))?;
	let handle = std::thread::spawn(move || {
		for request in server.incoming_requests() {
			std::thread::spawn(move || serve(request));
		}
	});
	Ok((bound, handle))
}

fn serve(mut request: tiny_http::Request) {
	let (status, body) = match (request.method(), request.url()) {
		(Method::Post, "/v1/chat/completions") => {
			let mut body = String::new();
			if request.as_reader().take(1 << 20).read_to_string(&mut body).is_err() {
				(400, r#"{"error":"unreadable body"}"#.to_string())
			} else {
				let model = serde_json::from_str::<serde_json::Value>(&body)
					.ok()
					.and_then(|v| v["model"].as_str().map(str::to_string));
				COMPLETIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				if model.as_deref() == Some("sim-fault-slow") {
					std::thread::sleep(std::time::Duration::from_secs(30));
				}
				handle(&body)
			}
		}
		(Method::Get, "/v1/models") => (
			200,
			r#"{"object":"list","data":[{"id":"sim-persona-0.5","object":"model"}]}"#.to_string(),
		),
		(Method::Get, "/health") => (200, r#"{"status":"ok"}"#.to_string()),
		(Method::Get, url) if url.starts_with("/benchmarks/") => {
			let mut parts = url.trim_start_matches("/benchmarks/").splitn(2, '/');
			match (parts.next().and_then(|n| n.parse::<usize>().ok()), parts.next()) {
				(Some(n), Some(model)) if n <= 1000 && !model.is_empty() => {
					(200, benchmark_doc(n, model))
				}
				_ => (404, r#"{"error":"use /benchmarks/<items>/<model>"}"#.to_string()),
			}
		}
		_ => (404, r#"{"error":"not found"}"#.to_string()),
	};
	let mut response = Response::from_string(body).with_status_code(status);
	if let Ok(h) = Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]) {
		response = response.with_header(h);
	}
	let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn arithmetic_and_made_up_answers() {
		assert_eq!(correct_answer("What is 6 x 7?"), "42");
		assert_eq!(correct_answer("What is 100 - 1?"), "99");
		assert_eq!(wrong_answers("What is 6 x 7?")[0], "43");
		assert!(correct_answer("Capital of Atlantis?").starts_with("answer-"));
	}

	#[test]
	fn personas_are_deterministic_and_ordered_by_intelligence() {
		let qs: Vec<String> = (1..=400).map(|i| format!("What is {i} x 7?")).collect();
		let acc = |m: &str| qs.iter().filter(|q| answer(m, q) == correct_answer(q)).count();
		let (hi, mid, lo) =
			(acc("sim-persona-0.9"), acc("sim-persona-0.5"), acc("sim-persona-0.1"));
		assert!(hi > 330 && mid > 160 && mid < 240 && lo < 70, "{hi} {mid} {lo}");
		assert_eq!(
			answer("sim-persona-0.5", "What is 3 x 3?"),
			answer("sim-persona-0.5", "What is 3 x 3?")
		);
	}

	#[test]
	fn judge_debate_select_validate_replies_follow_the_formats() {
		let u = "<<<QUESTION\nWhat is 6 x 7?\n>>>\n<<<ANSWER A\n43\n>>>\n<<<ANSWER B\n42\n>>>";
		let r = reply("sim-persona-1.0", "You judge which of two answers ...", u);
		assert!(r.ends_with("VERDICT: B"), "{r}");
		let sel = "CANDIDATE 1: answer score 0.30, judgement score 0.50, 4 past answers\n\
		           CANDIDATE 2: answer score 0.90, judgement score 0.50, 4 past answers\n\
		           CANDIDATE 3: answer score 0.60, judgement score 0.50, 4 past answers";
		let r = reply(
			"sim-persona-0.9",
			"You coordinate a query in the domain math. Choose the 2 candidates",
			sel,
		);
		assert_eq!(r, "CHOICE: 2, 3");
		// Text feedback moves the choice: candidate 1 scores higher, but its peers wrote that
		// it was wrong twice; candidate 3 was called correct twice.
		let sel = "<<<QUESTION\nWhat is 6 x 7?\n>>>\n\
		           CANDIDATE 1: answer score 0.62, judgement score 0.50, 6 past answers\n\
		           <<<LABEL\nsim-persona-0.3\n>>>\n<<<FEEDBACK\nWrong: 41 is not the answer.\n>>>\n\
		           <<<FEEDBACK\nWrong: 43 is not the answer.\n>>>\n\
		           CANDIDATE 2: answer score 0.90, judgement score 0.50, 9 past answers\n\
		           <<<LABEL\nsim-persona-0.9\n>>>\n\
		           CANDIDATE 3: answer score 0.55, judgement score 0.50, 6 past answers\n\
		           <<<LABEL\nsim-persona-0.7\n>>>\n<<<FEEDBACK\nCorrect and concise.\n>>>\n\
		           <<<FEEDBACK\nCorrect and concise.\n>>>";
		let coordinate = "You coordinate a query in the domain math. Choose the 2 candidates";
		assert_eq!(reply("sim-persona-0.9", coordinate, sel), "CHOICE: 2, 3");
		// Without the feedback, the scores alone pick 1.
		let bare: String = sel
			.lines()
			.filter(|l| {
				!l.contains("FEEDBACK")
					&& !l.starts_with("Wrong")
					&& !l.starts_with("Correct")
					&& *l != ">>>"
			})
			.collect::<Vec<_>>()
			.join("\n");
		assert_eq!(reply("sim-persona-0.9", coordinate, &bare), "CHOICE: 2, 1");
		let u = "<<<QUESTION\nWhat is 6 x 7?\n>>>\n<<<ANSWER\n42\n>>>";
		assert_eq!(
			reply("sim-persona-1.0", "You validate the answer", u),
			"SCORE: 95\nNOTE: Correct."
		);
		let u =
			"<<<QUESTION\nWhat is 6 x 7?\n>>>\n<<<YOUR ANSWER\n43\n>>>\n<<<OTHER ANSWER 1\n42\n>>>";
		let r = reply("sim-persona-1.0", "You debate a question", u);
		assert!(r.contains("FINAL ANSWER: 42") && r.contains("AGREE: yes"), "{r}");
	}

	#[test]
	fn benchmark_runs_vary_with_the_seed_around_the_persona_level() {
		let doc: serde_json::Value =
			serde_json::from_str(&benchmark_doc(40, "sim-persona-0.6")).unwrap();
		assert_eq!(doc["model"], "sim-persona-0.6");
		let items = doc["items"].as_array().unwrap();
		assert_eq!(items.len(), 40);
		let score = |seed: u64| {
			items
				.iter()
				.filter(|i| {
					let q = i["question"].as_str().unwrap();
					let u = format!("<<<QUESTION\n{q}\n>>>");
					reply_seeded(
						"sim-persona-0.6",
						"You are taking a benchmark run",
						&u,
						Some(seed),
					) == i["answer"].as_str().unwrap()
				})
				.count()
		};
		let runs: Vec<usize> = (0..20).map(score).collect();
		let mean = runs.iter().sum::<usize>() as f64 / 20.0;
		assert!((20.0..28.0).contains(&mean), "about 60 % of 40: {runs:?}");
		assert!(runs.iter().any(|r| *r != runs[0]), "seeds change the run: {runs:?}");
		assert_eq!(score(3), score(3), "one seed, one result");
	}

	#[test]
	fn requests_and_faults() {
		let body = r#"{"model":"sim-persona-1.0","messages":[{"role":"system","content":"You are an expert in math answering a query on LLM-Net."},{"role":"user","content":"<<<QUESTION\nWhat is 6 x 7?\n>>>"}]}"#;
		let (status, json) = handle(body);
		assert_eq!(status, 200);
		let v: serde_json::Value = serde_json::from_str(&json).unwrap();
		assert_eq!(v["choices"][0]["message"]["content"], "42");
		// With a JSON schema in `response_format` the reply is a JSON object of its fields.
		let judge = r#"{"model":"sim-persona-1.0","response_format":{"type":"json_schema","json_schema":{"name":"verdict","schema":{"type":"object","properties":{"justification":{"type":"string"},"verdict":{"type":"string"}}}}},"messages":[{"role":"system","content":"You judge which of two answers to a question is better."},{"role":"user","content":"<<<QUESTION\nWhat is 6 x 7?\n>>>\n<<<ANSWER A\n41\n>>>\n<<<ANSWER B\n42\n>>>"}]}"#;
		let v: serde_json::Value = serde_json::from_str(&handle(judge).1).unwrap();
		let content: serde_json::Value =
			serde_json::from_str(v["choices"][0]["message"]["content"].as_str().unwrap()).unwrap();
		assert_eq!(content["verdict"], "B");
		let props = |v: serde_json::Value| v.as_object().unwrap().clone();
		let choice = props(serde_json::json!({ "choice": { "type": "array" } }));
		assert_eq!(structured("CHOICE: 3, 1", &choice), r#"{"choice":[3,1]}"#);
		let score = props(serde_json::json!({ "score": { "type": "integer" }, "note": {} }));
		assert_eq!(
			structured("SCORE: 95\nNOTE: Correct.", &score),
			r#"{"note":"Correct.","score":95}"#
		);
		let answer = props(serde_json::json!({ "final_answer": { "type": "string" } }));
		assert_eq!(structured("42", &answer), r#"{"final_answer":"42"}"#);
		assert_eq!(handle(r#"{"model":"sim-fault-429","messages":[]}"#).0, 429);
		assert_eq!(handle("nope").0, 400);
	}
}
