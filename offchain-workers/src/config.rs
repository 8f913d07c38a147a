//! Operator configuration of an LLM endpoint, stored SCALE-encoded in offchain local storage.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Offchain local storage key of the node-wide endpoint configuration.
pub const ENDPOINT_KEY: &[u8] = b"llmnet::endpoint";

/// Offchain local storage key of the override for one provider account: the node-wide key
/// followed by `::` and the (32-byte) account id.
pub fn endpoint_key_for(account: &[u8]) -> Vec<u8> {
	let mut key = ENDPOINT_KEY.to_vec();
	key.extend_from_slice(b"::");
	key.extend_from_slice(account);
	key
}

/// Largest accepted base URL, model name or API key, in bytes.
pub const MAX_FIELD_LEN: usize = 512;
/// Bounds of the request timeout, in milliseconds.
pub const TIMEOUT_RANGE_MS: core::ops::RangeInclusive<u64> = 100..=600_000;
/// Largest `max_tokens` a request may ask for.
pub const MAX_TOKENS_CAP: u32 = 32_768;

/// How to reach an OpenAI-compatible `/v1/chat/completions` endpoint.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct EndpointConfig {
	/// Base URL, e.g. `http://127.0.0.1:8080` (the client appends `/v1/chat/completions`).
	pub base_url: Vec<u8>,
	/// Model name sent in the request.
	pub model: Vec<u8>,
	/// Bearer token for hosted APIs; empty for none.
	pub api_key: Vec<u8>,
	/// Deadline of each request, in milliseconds.
	pub timeout_ms: u64,
	/// `max_tokens` of each request.
	pub max_tokens: u32,
	/// Sampling temperature in thousandths (700 = 0.7).
	pub temperature_milli: u32,
}

/// Why a configuration is rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EndpointError {
	/// The base URL does not start with `http://` or `https://`.
	BadScheme,
	/// A field is empty that must not be (base URL or model).
	Empty,
	/// A field is longer than [`MAX_FIELD_LEN`].
	TooLong,
	/// The timeout is outside [`TIMEOUT_RANGE_MS`].
	BadTimeout,
	/// `max_tokens` is 0 or above [`MAX_TOKENS_CAP`].
	BadMaxTokens,
	/// The temperature is above 2.0.
	BadTemperature,
	/// The stored bytes are not a SCALE-encoded configuration.
	Undecodable,
}

impl EndpointConfig {
	/// Check the configuration; a worker never calls an endpoint with a rejected one.
	pub fn validate(&self) -> Result<(), EndpointError> {
		if self.base_url.is_empty() || self.model.is_empty() {
			return Err(EndpointError::Empty);
		}
		if [&self.base_url, &self.model, &self.api_key].iter().any(|f| f.len() > MAX_FIELD_LEN) {
			return Err(EndpointError::TooLong);
		}
		if !(self.base_url.starts_with(b"http://") || self.base_url.starts_with(b"https://")) {
			return Err(EndpointError::BadScheme);
		}
		if !TIMEOUT_RANGE_MS.contains(&self.timeout_ms) {
			return Err(EndpointError::BadTimeout);
		}
		if self.max_tokens == 0 || self.max_tokens > MAX_TOKENS_CAP {
			return Err(EndpointError::BadMaxTokens);
		}
		if self.temperature_milli > 2_000 {
			return Err(EndpointError::BadTemperature);
		}
		Ok(())
	}

	/// Decode and validate a stored configuration.
	pub fn from_stored(bytes: &[u8]) -> Result<Self, EndpointError> {
		let config = Self::decode(&mut &bytes[..]).map_err(|_| EndpointError::Undecodable)?;
		config.validate()?;
		Ok(config)
	}

	/// The chat-completions URL of this endpoint.
	pub fn completions_url(&self) -> Vec<u8> {
		let mut url = self.base_url.clone();
		while url.last() == Some(&b'/') {
			url.pop();
		}
		url.extend_from_slice(b"/v1/chat/completions");
		url
	}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	fn good() -> EndpointConfig {
		EndpointConfig {
			base_url: b"http://127.0.0.1:8080/".to_vec(),
			model: b"smollm2-135m".to_vec(),
			api_key: Vec::new(),
			timeout_ms: 30_000,
			max_tokens: 256,
			temperature_milli: 700,
		}
	}

	#[test]
	fn valid_config_round_trips_through_storage_bytes() {
		let c = good();
		assert_eq!(c.validate(), Ok(()));
		assert_eq!(EndpointConfig::from_stored(&c.encode()), Ok(c.clone()));
		assert_eq!(c.completions_url(), b"http://127.0.0.1:8080/v1/chat/completions".to_vec());
	}

	#[test]
	fn every_bad_field_is_rejected_precisely() {
		type Case = (fn(&mut EndpointConfig), EndpointError);
		let cases: [Case; 7] = [
			(|c| c.base_url = b"ftp://x".to_vec(), EndpointError::BadScheme),
			(|c| c.model.clear(), EndpointError::Empty),
			(|c| c.api_key = [b'k'; MAX_FIELD_LEN + 1].to_vec(), EndpointError::TooLong),
			(|c| c.timeout_ms = 99, EndpointError::BadTimeout),
			(|c| c.timeout_ms = 600_001, EndpointError::BadTimeout),
			(|c| c.max_tokens = 0, EndpointError::BadMaxTokens),
			(|c| c.temperature_milli = 2_001, EndpointError::BadTemperature),
		];
		for (mutate, expected) in cases {
			let mut c = good();
			mutate(&mut c);
			assert_eq!(c.validate(), Err(expected));
			assert_eq!(EndpointConfig::from_stored(&c.encode()), Err(expected));
		}
		assert_eq!(EndpointConfig::from_stored(&[1, 2, 3]), Err(EndpointError::Undecodable));
	}

	#[test]
	fn per_account_keys_are_distinct_and_prefixed() {
		let a = endpoint_key_for(&[1; 32]);
		let b = endpoint_key_for(&[2; 32]);
		assert_ne!(a, b);
		assert!(a.starts_with(ENDPOINT_KEY));
		assert_eq!(a.len(), ENDPOINT_KEY.len() + 2 + 32);
	}
}
