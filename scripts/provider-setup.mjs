// The SCALE values scripts/provider-setup.sh stores in a node's offchain storage, encoded by
// @polkadot/types (no hand-written SCALE): prints `KEY VALUE` (hex) on one line.
//
//   node scripts/provider-setup.mjs endpoint URL MODEL TIMEOUT_MS MAX_TOKENS TEMP_MILLI PUBLIC NODE_WIDE
//       -> llmnet::endpoint[::PUBLIC] and llmnet_ocw::EndpointConfig (offchain-workers/src/config.rs);
//          the API key comes from $LLMNET_API_KEY (never argv, which other users can read)
//   node scripts/provider-setup.mjs spec-hosts HOST...
//       -> llmnet::spec-hosts and the Vec<Vec<u8>> of lower-cased hosts (offchain-workers/src/net.rs)
//   LLMNET_SURI=... node scripts/provider-setup.mjs public
//       -> the sr25519 public key of the secret URI (hex)
//
// Needs @polkadot/api 16: `scripts/setup-polkadot-js.sh` installs it under
// ~/.cache/llmnet-tools/polkadot-api (or $LLMNET_POLKADOT_JS, the node_modules dir it prints).
import { createRequire } from "node:module";
import { homedir } from "node:os";

const modules = process.env.LLMNET_POLKADOT_JS ?? `${homedir()}/.cache/llmnet-tools/polkadot-api/node_modules`;
const req = createRequire(`${modules}/`);
const { TypeRegistry } = req("@polkadot/types");
const { Keyring } = req("@polkadot/keyring");
const { cryptoWaitReady } = req("@polkadot/util-crypto");
const { stringToU8a, u8aConcat, u8aToHex, hexToU8a } = req("@polkadot/util");

const registry = new TypeRegistry();
// A string's UTF-8 bytes as a `Vec<u8>` value (an array of numbers: a string or a Uint8Array
// would be read as hex or as already-encoded SCALE).
const bytes = (s) => Array.from(stringToU8a(s));
const [what, ...args] = process.argv.slice(2);

if (what === "endpoint") {
	const [url, model, timeout, maxTokens, temp, pub, nodeWide] = args;
	// Field for field llmnet_ocw::EndpointConfig: base_url, model, api_key, timeout_ms,
	// max_tokens, temperature_milli.
	const value = registry.createType("(Vec<u8>, Vec<u8>, Vec<u8>, u64, u32, u32)", [
		bytes(url),
		bytes(model),
		bytes(process.env.LLMNET_API_KEY ?? ""),
		BigInt(timeout),
		Number(maxTokens),
		Number(temp),
	]);
	const key = nodeWide === "1" ? stringToU8a("llmnet::endpoint") : u8aConcat(stringToU8a("llmnet::endpoint::"), hexToU8a(pub));
	console.log(u8aToHex(key), value.toHex());
} else if (what === "spec-hosts") {
	const value = registry.createType("Vec<Vec<u8>>", args.map((h) => bytes(h.toLowerCase())));
	console.log(u8aToHex(stringToU8a("llmnet::spec-hosts")), value.toHex());
} else if (what === "public") {
	await cryptoWaitReady();
	// The secret URI from $LLMNET_SURI when set (argv is readable by other users).
	console.log(u8aToHex(new Keyring({ type: "sr25519" }).addFromUri(process.env.LLMNET_SURI ?? args[0]).publicKey));
} else {
	console.error("usage: provider-setup.mjs endpoint|spec-hosts|public ...");
	process.exit(2);
}
