// Upgrades a running LLM-Net parachain's runtime the way Cumulus chains do it:
// `sudo(system.authorizeUpgrade(blake2_256(code)))`, then `system.applyAuthorizedUpgrade(code)`
// (free for whoever submits it once authorized); parachain-system hands the code to the relay
// chain, which pre-checks it and lets the parachain enact it after its upgrade delay. The
// script waits until a finalized block runs the new spec_version and names that block.
//
//   node scripts/upgrade-runtime.mjs --ws ws://127.0.0.1:9911 \
//       --wasm $CARGO_TARGET_DIR/release/wbuild/llmnet-runtime/llmnet_runtime.compact.compressed.wasm \
//       [--suri //Alice] [--timeout 600]
//
// Run llmnet-try-runtime (try-runtime/README.md) against the same node first.
// Needs @polkadot/api 16: `scripts/setup-polkadot-js.sh` installs it under
// ~/.cache/llmnet-tools/polkadot-api (or $LLMNET_POLKADOT_JS, the node_modules dir it prints).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";

const modules = process.env.LLMNET_POLKADOT_JS ?? `${homedir()}/.cache/llmnet-tools/polkadot-api/node_modules`;
const require = createRequire(`${modules}/`);
const { ApiPromise, WsProvider, Keyring } = require("@polkadot/api");
const { blake2AsHex } = require("@polkadot/util-crypto");
const { u8aToHex } = require("@polkadot/util");

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
for (const k of ["ws", "wasm"]) {
	if (!args[k]) {
		console.error(`missing --${k}`);
		process.exit(2);
	}
}
const timeout = Number(args.timeout ?? 600) * 1000;
const code = readFileSync(args.wasm);
const codeHash = blake2AsHex(code, 256);
const api = await ApiPromise.create({ provider: new WsProvider(args.ws), noInitWarn: true });
const signer = new Keyring({ type: "sr25519" }).addFromUri(args.suri ?? "//Alice");
const from = api.runtimeVersion.specVersion.toNumber();
console.log(`${(await api.rpc.system.chain()).toString()}: spec_version ${from}; code ${code.length} bytes, blake2_256 ${codeHash}`);

// Submit `tx`, resolve with the block hash that included it; reject on any dispatch error
// (including the inner call of a sudo).
function submit(tx, what) {
	return new Promise((resolve, reject) => {
		tx.signAndSend(signer, ({ status, events, dispatchError }) => {
			const fail = (e) => {
				const m = e.isModule ? api.registry.findMetaError(e.asModule) : null;
				reject(new Error(`${what}: ${m ? `${m.section}.${m.name}: ${m.docs.join(" ")}` : e.toString()}`));
			};
			if (dispatchError) return fail(dispatchError);
			if (status.isInBlock) {
				for (const { event } of events) {
					if (api.events.sudo?.Sudid.is(event) && event.data[0].isErr) return fail(event.data[0].asErr);
				}
				resolve({ hash: status.asInBlock.toHex(), events });
			}
		}).catch(reject);
	});
}

const t0 = Date.now();
const seconds = () => ((Date.now() - t0) / 1000).toFixed(0);
const auth = await submit(api.tx.sudo.sudo(api.tx.system.authorizeUpgrade(codeHash)), "authorizeUpgrade");
console.log(`[${seconds()} s] system.authorizeUpgrade in block ${auth.hash}`);
const applied = await submit(api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), "applyAuthorizedUpgrade");
const stored = applied.events.some(({ event }) => api.events.parachainSystem.ValidationFunctionStored.is(event));
if (!stored) {
	console.error("applyAuthorizedUpgrade: no parachainSystem.ValidationFunctionStored event");
	process.exit(1);
}
const appliedHeader = await api.rpc.chain.getHeader(applied.hash);
console.log(`[${seconds()} s] system.applyAuthorizedUpgrade in block #${appliedHeader.number}: code stored, waiting for the relay chain`);

// Walk the finalized chain until a block's runtime has another spec_version (finalized, so a
// short fork between the two collators cannot name the wrong block).
let next = appliedHeader.number.toNumber();
for (;;) {
	const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
	for (; next <= finalized; next++) {
		const hash = await api.rpc.chain.getBlockHash(next);
		const v = (await api.rpc.state.getRuntimeVersion(hash)).specVersion.toNumber();
		if (v !== from) {
			console.log(`[${seconds()} s] spec_version ${from} -> ${v} enacted in block #${next} (${hash.toHex()})`);
			await api.disconnect();
			process.exit(v > from ? 0 : 1);
		}
	}
	if (Date.now() - t0 > timeout) {
		console.error(`spec_version still ${from} after ${timeout / 1000} s`);
		process.exit(1);
	}
	await new Promise((r) => setTimeout(r, 2000));
}
