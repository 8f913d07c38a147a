//! A small blocking JSON-RPC 2.0 client over HTTP (`attohttpc`; the node's RPC port serves
//! both HTTP and WebSocket), so the tests stay synchronous.

use crate::Result;
use serde_json::{json, Value};
use std::{
	sync::atomic::{AtomicU64, Ordering},
	time::Duration,
};

/// A JSON-RPC endpoint `http://127.0.0.1:<port>`.
pub struct Rpc {
	addr: String,
	next_id: AtomicU64,
}

impl Rpc {
	/// A client for the node listening on `127.0.0.1:port`.
	pub fn new(port: u16) -> Self {
		Self { addr: format!("127.0.0.1:{port}"), next_id: AtomicU64::new(1) }
	}

	/// The endpoint URL.
	pub fn url(&self) -> String {
		format!("http://{}", self.addr)
	}

	/// Call `method` with `params`; the JSON-RPC `result`, or the error as a string.
	pub fn call(&self, method: &str, params: Value) -> Result<Value> {
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let body =
			json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string();
		let reply = self.post(&body).map_err(|e| format!("{method}: {e}"))?;
		let v: Value = serde_json::from_str(&reply)
			.map_err(|e| format!("{method}: invalid JSON reply ({e}): {reply}"))?;
		if let Some(err) = v.get("error") {
			return Err(format!("{method}: RPC error {err}"));
		}
		v.get("result").cloned().ok_or_else(|| format!("{method}: reply without result: {v}"))
	}

	/// `state_call` of a runtime API function with SCALE-encoded arguments; the SCALE-encoded
	/// return value. `at` is a block hash (`None` for the best block).
	pub fn state_call(&self, function: &str, args: &[u8], at: Option<&str>) -> Result<Vec<u8>> {
		let mut params = vec![json!(function), json!(format!("0x{}", hex::encode(args)))];
		if let Some(at) = at {
			params.push(json!(at));
		}
		let hex_out = self.call("state_call", Value::Array(params))?;
		decode_hex(hex_out.as_str().ok_or("state_call returned a non-string")?)
	}

	/// The best block number.
	pub fn best_number(&self) -> Result<u64> {
		header_number(&self.call("chain_getHeader", json!([]))?)
	}

	/// The finalized block number.
	pub fn finalized_number(&self) -> Result<u64> {
		let hash = self.call("chain_getFinalizedHead", json!([]))?;
		header_number(&self.call("chain_getHeader", json!([hash]))?)
	}

	fn post(&self, body: &str) -> Result<String> {
		let response = attohttpc::post(self.url())
			.header("Content-Type", "application/json")
			.connect_timeout(Duration::from_secs(10))
			.read_timeout(Duration::from_secs(60))
			.text(body)
			.send()
			.map_err(|e| e.to_string())?;
		let status = response.status();
		let text = response.text_utf8().map_err(|e| e.to_string())?;
		if !status.is_success() {
			return Err(format!("HTTP status {status}: {text}"));
		}
		Ok(text)
	}
}

fn header_number(header: &Value) -> Result<u64> {
	let n = header.get("number").and_then(|n| n.as_str()).ok_or("header without number")?;
	u64::from_str_radix(n.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}

/// Decode `0x`-prefixed hex.
pub fn decode_hex(s: &str) -> Result<Vec<u8>> {
	hex::decode(s.trim_start_matches("0x")).map_err(|e| format!("bad hex {s:.40}: {e}"))
}
