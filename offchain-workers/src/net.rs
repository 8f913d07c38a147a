//! Which hosts a worker fetches task documents from (AUDIT M10: a task creator names the URL,
//! and the fetch runs from the validator's network).
//!
//! A URL whose host is `localhost` or an IP literal in a loopback, private, link-local,
//! carrier-grade NAT, unspecified or unique-local range is refused unless the operator lists
//! that host in the node's allow-list (persistent offchain storage key `llmnet::spec-hosts`,
//! a SCALE `Vec<Vec<u8>>` of host names or literals, without ports). Names that resolve to
//! such addresses cannot be checked here (the node's HTTP client resolves them): keep
//! validator nodes where an internal name is not reachable, or behind an egress proxy.

use crate::store::key;
use alloc::vec::Vec;
use codec::Decode;
use frame::deps::{sp_core::offchain::StorageKind, sp_io};

/// The offchain storage key of the allow-list.
pub fn allow_list_key() -> Vec<u8> {
	key(&[b"spec-hosts"])
}

/// The node's allow-list of internal hosts (empty when unset or unreadable).
pub fn allow_list() -> Vec<Vec<u8>> {
	sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &allow_list_key())
		.and_then(|raw| Vec::<Vec<u8>>::decode(&mut &raw[..]).ok())
		.unwrap_or_default()
}

/// The host of an `http(s)://` URL, lowercased, without user info, port or IPv6 brackets.
pub fn host_of(url: &str) -> Option<alloc::string::String> {
	let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"))?;
	let authority = rest.split(['/', '?', '#']).next()?;
	let host_port = authority.rsplit('@').next()?;
	let host = if let Some(v6) = host_port.strip_prefix('[') {
		v6.split(']').next()?
	} else {
		host_port.split(':').next()?
	};
	(!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether `host` (as [`host_of`] returns it) names this machine or a private network.
pub fn is_internal(host: &str) -> bool {
	if host == "localhost" || host.ends_with(".localhost") {
		return true;
	}
	let v4: Vec<u8> = host.split('.').filter_map(|p| p.parse::<u8>().ok()).collect();
	if let [a, b, _, _] = *v4.as_slice() {
		if host.split('.').count() == 4 {
			return a == 0
				|| a == 10 || a == 127
				|| (a == 100 && (64..128).contains(&b))
				|| (a == 169 && b == 254)
				|| (a == 172 && (16..32).contains(&b))
				|| (a == 192 && b == 168);
		}
	}
	if host.contains(':') {
		// IPv6 literal: unspecified, loopback, unique-local fc00::/7, link-local fe80::/10,
		// and IPv4-mapped forms of the above.
		let h = host.trim_start_matches("::ffff:");
		if h != host {
			return is_internal(h);
		}
		return host == "::"
			|| host == "::1"
			|| host.starts_with("fc")
			|| host.starts_with("fd")
			|| host.starts_with("fe8")
			|| host.starts_with("fe9")
			|| host.starts_with("fea")
			|| host.starts_with("feb");
	}
	false
}

/// Whether a worker may fetch `url`: `http(s)`, and a public host or one on `allow`.
pub fn may_fetch(url: &[u8], allow: &[Vec<u8>]) -> bool {
	let Ok(url) = core::str::from_utf8(url) else { return false };
	let Some(host) = host_of(url) else { return false };
	!is_internal(&host) || allow.iter().any(|a| a.eq_ignore_ascii_case(host.as_bytes()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hosts_are_read_from_urls() {
		assert_eq!(host_of("http://127.0.0.1:8089/bench").as_deref(), Some("127.0.0.1"));
		assert_eq!(host_of("https://User@Example.COM/x?y").as_deref(), Some("example.com"));
		assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
		assert_eq!(
			host_of("http://a.b@169.254.169.254/latest").as_deref(),
			Some("169.254.169.254")
		);
		assert_eq!(host_of("ftp://example.com/"), None);
		assert_eq!(host_of("http:///x"), None);
	}

	#[test]
	fn internal_hosts_are_refused_unless_allowed() {
		for url in [
			"http://127.0.0.1:9944/",
			"http://localhost/x",
			"http://api.localhost/x",
			"http://10.1.2.3/",
			"http://172.16.0.1/",
			"http://172.31.255.255/",
			"http://192.168.1.1/",
			"http://169.254.169.254/latest/meta-data",
			"http://100.64.0.1/",
			"http://0.0.0.0/",
			"http://[::1]/",
			"http://[fd00::1]/",
			"http://[fe80::1]/",
			"http://[::ffff:127.0.0.1]/",
		] {
			assert!(!may_fetch(url.as_bytes(), &[]), "{url}");
		}
		for url in [
			"https://example.com/bench.json",
			"http://8.8.8.8/",
			"http://172.32.0.1/",
			"http://100.128.0.1/",
			"http://192.169.0.1/",
			"http://[2001:db8::1]/",
			"http://127.example.com/",
		] {
			assert!(may_fetch(url.as_bytes(), &[]), "{url}");
		}
		assert!(may_fetch(b"http://127.0.0.1:41317/benchmarks/40/x", &[b"127.0.0.1".to_vec()]));
		assert!(may_fetch(b"http://LOCALHOST/x", &[b"localhost".to_vec()]));
		assert!(!may_fetch(b"http://10.0.0.1/", &[b"127.0.0.1".to_vec()]));
		assert!(!may_fetch(b"file:///etc/passwd", &[]));
	}
}
