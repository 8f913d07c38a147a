// Makes a new collator of a running LLM-Net network, the stable2609 way:
//   1. `author_rotateKeysWithOwner(owner)` on the collator's own node (unsafe RPC, localhost):
//      the node generates its session keys in its keystore and returns them with a proof that
//      the owner controls them (session.setKeys refuses keys without this proof);
//   2. `session.setKeys(keys, proof)` signed by the owner;
//   3. `collatorSelection.registerAsCandidate()` signed by the owner (bonds the candidacy
//      bond); the collator authors from the session after next.
//
//   node scripts/collator-keys.mjs --node ws://127.0.0.1:9811 --suri //Charlie
//
// Needs @polkadot/api 16 (scripts/setup-polkadot-js.sh).
import { createRequire } from "node:module";
import { homedir } from "node:os";

const modules = process.env.LLMNET_POLKADOT_JS ?? `${homedir()}/.cache/llmnet-tools/polkadot-api/node_modules`;
const { ApiPromise, WsProvider, Keyring } = createRequire(`${modules}/`)("@polkadot/api");

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.node || !args.suri) {
	console.error("usage: collator-keys.mjs --node ws://<the collator's own RPC> --suri <owner's secret URI>");
	process.exit(2);
}
const api = await ApiPromise.create({ provider: new WsProvider(args.node), noInitWarn: true });
const owner = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri(args.suri);

const rotated = await api._rpcCore.provider.send("author_rotateKeysWithOwner", [api.createType("AccountId", owner.address).toHex()]);
console.log(`session keys ${rotated.keys} (in the node's keystore), ownership proof ${rotated.proof.slice(0, 18)}...`);

async function submit(tx, what) {
	await new Promise((resolve, reject) => {
		let done = false;
		tx.signAndSend(owner, ({ status, dispatchError }) => {
			if (done) return;
			if (dispatchError) {
				const m = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
				return reject(new Error(`${what}: ${m ? `${m.section}.${m.name}` : dispatchError.toString()}`));
			}
			if (status.isInBlock) {
				done = true;
				console.log(`${what}: in block ${status.asInBlock.toHex()}`);
				resolve();
			}
		}).catch(reject);
	});
}
await submit(api.tx.session.setKeys(rotated.keys, rotated.proof), "session.setKeys");
await submit(api.tx.collatorSelection.registerAsCandidate(), "collatorSelection.registerAsCandidate");
const candidates = await api.query.collatorSelection.candidateList();
console.log(`candidates: ${candidates.map((c) => c.who.toString()).join(", ")}`);
await api.disconnect();
