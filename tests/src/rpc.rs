//! A minimal blocking JSON-RPC 2.0 client over HTTP/1.1 (the node's RPC port serves both
//! HTTP and WebSocket).

use crate::Result;
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::TcpStream,
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

	fn post(&self, body: &str) -> std::io::Result<String> {
		let mut stream = TcpStream::connect(&self.addr)?;
		stream.set_read_timeout(Some(Duration::from_secs(60)))?;
		stream.set_write_timeout(Some(Duration::from_secs(10)))?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.addr,
			body.len(),
			body
		);
		stream.write_all(request.as_bytes())?;
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw)?;
		parse_http_response(&raw)
			.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
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

/// The body of an HTTP/1.1 response with status 200 (plain or chunked).
fn parse_http_response(raw: &[u8]) -> std::result::Result<String, String> {
	let split =
		raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("HTTP response without header end")?;
	let head = String::from_utf8_lossy(&raw[..split]).to_string();
	let body = &raw[split + 4..];
	let status = head.lines().next().unwrap_or_default();
	if !status.contains(" 200") {
		return Err(format!("HTTP status {status}: {}", String::from_utf8_lossy(body)));
	}
	let chunked = head.lines().any(|l| {
		let l = l.to_ascii_lowercase();
		l.starts_with("transfer-encoding:") && l.contains("chunked")
	});
	let body = if chunked { dechunk(body)? } else { body.to_vec() };
	String::from_utf8(body).map_err(|e| format!("non-UTF-8 body: {e}"))
}

fn dechunk(mut body: &[u8]) -> std::result::Result<Vec<u8>, String> {
	let mut out = Vec::new();
	loop {
		let line_end =
			body.windows(2).position(|w| w == b"\r\n").ok_or("truncated chunk header")?;
		let size_str = String::from_utf8_lossy(&body[..line_end]).to_string();
		let size = usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16)
			.map_err(|e| format!("bad chunk size {size_str:?}: {e}"))?;
		body = &body[line_end + 2..];
		if size == 0 {
			return Ok(out);
		}
		if body.len() < size + 2 {
			return Err("truncated chunk".into());
		}
		out.extend_from_slice(&body[..size]);
		body = &body[size + 2..];
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_plain_and_chunked_responses() {
		let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
		assert_eq!(parse_http_response(plain).unwrap(), "{}");
		let chunked =
			b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
		assert_eq!(parse_http_response(chunked).unwrap(), "abcde");
		let error = b"HTTP/1.1 500 Internal Server Error\r\n\r\noops";
		assert!(parse_http_response(error).unwrap_err().contains("500"));
		assert!(parse_http_response(b"HTTP/1.1 200 OK\r\n").is_err());
	}
}
