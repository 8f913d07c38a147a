// Onboards a parachain on a running relay chain that has sudo (rococo-local, westend-local):
// `sudo(parasSudoWrapper.sudoScheduleParaInitialize(id, { genesisHead, validationCode,
// paraKind: Parachain }))`, then waits until the relay chain reports it as a parachain (it
// becomes one at a session change: about two minutes on rococo-local).
//
//   node scripts/register-para.mjs --relay ws://127.0.0.1:9900 --para-id 2000 \
//       --head chain-spec-2000/genesis-head --wasm chain-spec-2000/genesis-wasm [--suri //Alice]
//
// Needs @polkadot/api 16: `scripts/setup-polkadot-js.sh` installs it under
// ~/.cache/llmnet-tools/polkadot-api (or $LLMNET_POLKADOT_JS, the node_modules dir it prints).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";

const modules = process.env.LLMNET_POLKADOT_JS ?? `${homedir()}/.cache/llmnet-tools/polkadot-api/node_modules`;
const { ApiPromise, WsProvider, Keyring } = createRequire(`${modules}/`)("@polkadot/api");

const args = Object.fromEntries(
	process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
for (const k of ["relay", "para-id", "head", "wasm"]) {
	if (!args[k]) {
		console.error(`missing --${k}`);
		process.exit(2);
	}
}
const id = Number(args["para-id"]);
const api = await ApiPromise.create({ provider: new WsProvider(args.relay), noInitWarn: true });
const sudo = new Keyring({ type: "sr25519" }).addFromUri(args.suri ?? "//Alice");
const genesisHead = readFileSync(args.head, "utf8").trim();
const validationCode = readFileSync(args.wasm, "utf8").trim();
console.log(`relay ${(await api.rpc.system.chain()).toString()}; scheduling para ${id} (head ${genesisHead.length / 2 - 1} bytes, code ${validationCode.length / 2 - 1} bytes)`);

const call = api.tx.sudo.sudo(
	api.tx.parasSudoWrapper.sudoScheduleParaInitialize(id, { genesisHead, validationCode, paraKind: true }),
);
await new Promise((resolve, reject) => {
	call.signAndSend(sudo, ({ status, events, dispatchError }) => {
		if (dispatchError) return reject(new Error(dispatchError.toString()));
		if (status.isInBlock) {
			for (const { event } of events) {
				if (api.events.sudo.Sudid.is(event) && event.data[0].isErr) {
					const e = event.data[0].asErr;
					const m = e.isModule ? api.registry.findMetaError(e.asModule) : null;
					return reject(new Error(m ? `${m.section}.${m.name}: ${m.docs.join(" ")}` : e.toString()));
				}
			}
			console.log(`included in relay block ${status.asInBlock.toHex()}`);
			resolve();
		}
	}).catch(reject);
});

const start = Date.now();
for (;;) {
	const lifecycle = (await api.query.paras.paraLifecycles(id)).toString();
	console.log(`[${((Date.now() - start) / 1000).toFixed(0)} s] para ${id}: ${lifecycle || "none"}`);
	if (lifecycle === "Parachain") break;
	if (Date.now() - start > 15 * 60 * 1000) {
		console.error("not a parachain after 15 minutes");
		process.exit(1);
	}
	await new Promise((r) => setTimeout(r, 6000));
}
await api.disconnect();
