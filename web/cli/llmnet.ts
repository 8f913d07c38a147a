// `llmnet`: the requester's command line (scripts/llmnet runs it). It submits a query, follows
// it block by block and prints its transcript, with the same client code as the web app
// (src/lib: connection, signing, errors, transcript from events).
//
//   llmnet query "What is 6 x 7?" --domain general --budget 10 --account //Alice
//   llmnet query "..." --seed-file ~/.llmnet-seed --rpc ws://10.0.0.5:9944 --mode debate:2
//   llmnet show 7

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { readFileSync } from 'node:fs';
import { devAccounts } from '../src/lib/accounts';
import { connect, send, type Api, type Signing } from '../src/lib/chain';
import { payoutsOf, readQuery, type QueryView } from '../src/lib/query';
import { EventStore } from '../src/lib/store';
import { bytesToText, formatBalance, formatPerbill, phaseLabel, variant } from '../src/lib/format';
import { toParams } from '../src/lib/params';
import { USAGE, formFromFlags, parseArgs } from './args';
import { buildTranscript, finalAnswers, type ChainEvent } from '../src/lib/transcript';

async function signer(flags: Map<string, string>, ss58: number): Promise<Signing> {
  await cryptoWaitReady();
  const kr = new Keyring({ type: 'sr25519', ss58Format: ss58 });
  const file = flags.get('seed-file');
  const uri = file ? readFileSync(file, 'utf8').trim() : (flags.get('account') ?? '//Alice');
  return { kind: 'pair', pair: kr.addFromUri(uri) };
}

async function domainId(api: Api, arg: string): Promise<number> {
  if (/^\d+$/.test(arg)) return Number(arg);
  const list = (await api.call.llmnetStakingApi.domains()).toJSON() as { id: number; name: string }[];
  const d = list.find((x) => bytesToText(x.name).toLowerCase() === arg.toLowerCase());
  if (!d) throw new Error(`no domain "${arg}"; the chain has: ${list.map((x) => `${bytesToText(x.name)} (${x.id})`).join(', ')}`);
  return d.id;
}

/** Follows query `id` until it ends, printing each phase; its final view. */
async function follow(api: Api, id: number, say: (s: string) => void): Promise<QueryView> {
  let last = '';
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | null = null;
    let done = false;
    api.rpc.chain
      .subscribeNewHeads(async (h) => {
        if (done) return;
        try {
          const v = await readQuery(api, id);
          if (!v) throw new Error(`query ${id} is gone (reaped?)`);
          const p = phaseLabel(v.phase);
          if (p !== last) {
            last = p;
            say(`#${h.number.toNumber()} ${p}${v.finished === null ? ` (deadline #${v.deadline})` : ''}`);
          }
          if (v.finished !== null) {
            done = true;
            unsub?.();
            resolve(v);
          }
        } catch (e) {
          done = true;
          unsub?.();
          reject(e);
        }
      })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch(reject);
  });
}

/** The transcript of a finished query: its events when the node still has them, else the kept record. */
function report(id: number, v: QueryView, events: ChainEvent[], missing: string | null, names: Map<string, string>): string {
  const t = buildTranscript(id, events);
  const who = (a: string) => names.get(a) ?? a;
  const cands = v.candidates.map(bytesToText);
  const cand = (i: number) => (cands[i] !== undefined ? JSON.stringify(cands[i]) : `[${i}]`);
  const out: string[] = [];
  out.push(`query ${id}: ${bytesToText(v.prompt)}`);
  out.push(`phase: ${phaseLabel(v.phase)}${v.finished !== null ? ` at #${v.finished}` : ''}`);
  if (missing) out.push(`(events of some blocks are pruned on this node: ${missing}; run an archive node for full transcripts)`);
  const answers = finalAnswers(t);
  out.push('answers:');
  for (const r of v.respondents) {
    const a = answers.get(r.account) ?? (r.answer !== null ? bytesToText(r.answer) : null);
    out.push(`  ${who(r.account)}: ${a ?? (r.missed ? '(missed)' : '(none)')}`);
  }
  if (t.judgements.length) {
    out.push('judgements:');
    for (const j of t.judgements)
      for (const c of j.comparisons) {
        const verdict = c.outcome === 'A' ? cand(c.a) : c.outcome === 'B' ? cand(c.b) : 'tie';
        out.push(`  ${who(j.judge)}: ${cand(c.a)} vs ${cand(c.b)} -> ${verdict}: ${c.justification}`);
      }
  }
  if (v.consensus) {
    out.push('candidates (Bradley-Terry share):');
    v.consensus.scores.forEach((s, i) => out.push(`  [${i}] ${cands[i] ?? ''}: ${formatPerbill(s)}${i === v.consensus!.candidate ? '  <- consensus' : ''}`));
    out.push(`consensus: ${bytesToText(v.consensus.answer)} (majority candidate ${v.consensus.majority}, ${v.consensus.iterations} iterations)`);
  }
  const pays = payoutsOf(t, v);
  if (pays.length) {
    out.push('payouts:');
    for (const p of pays) out.push(`  ${who(p.who)} (${p.roles.join(', ')}): ${formatBalance(p.amount)}`);
  }
  return out.join('\n');
}

async function transcriptEvents(api: Api, v: QueryView): Promise<{ events: ChainEvent[]; missing: string | null }> {
  const last = v.finished ?? (await api.rpc.chain.getHeader()).number.toNumber();
  const store = new EventStore(Number.MAX_SAFE_INTEGER);
  await store.load(api, v.created, last, last - v.created + 1);
  return { events: store.range(v.created, last), missing: store.unavailable(v.created, last) };
}

async function main(argv: string[]): Promise<number> {
  const { cmd, positional, flags } = parseArgs(argv);
  if (cmd !== 'query' && cmd !== 'show') {
    console.error(USAGE);
    return 2;
  }
  const api = await connect(flags.get('rpc') ?? 'ws://127.0.0.1:9944');
  const json = flags.has('json');
  const say = (s: string) => !json && console.error(s);
  try {
    let id: number;
    if (cmd === 'query') {
      const prompt = positional[0];
      if (!prompt) throw new Error('no prompt\n' + USAGE);
      const form = formFromFlags(prompt, await domainId(api, flags.get('domain') ?? 'general'), flags);
      const who = await signer(flags, api.registry.chainSS58 ?? 42);
      const tx = api.tx.llmnetQueryContracts.createQuery(form.domain, form.prompt, toParams(form), form.budget);
      const o = await send(api, tx, who);
      const ev = o.events.find((e) => e.section === 'llmnetQueryContracts' && e.method === 'QueryCreated');
      if (!ev) throw new Error('no QueryCreated event');
      id = Number(ev.data.query);
      say(`query ${id} created at #${o.block} by ${who.kind === 'pair' ? who.pair.address : ''}`);
    } else {
      id = Number(positional[0]);
      if (!Number.isInteger(id)) throw new Error('show needs a query id');
    }
    const start = await readQuery(api, id);
    if (!start) throw new Error(`no query ${id} on chain (never created, or reaped)`);
    const v = start.finished !== null ? start : await follow(api, id, say);
    const { events, missing } = await transcriptEvents(api, v);
    if (json) {
      const t = buildTranscript(id, events);
      console.log(JSON.stringify({ id, view: v, transcript: t, pruned: missing }, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2));
    } else {
      // Dev accounts by name on development and local chains.
      const type = (await api.rpc.system.chainType()).type;
      const dev = type === 'Development' || type === 'Local' ? await devAccounts(api.registry.chainSS58 ?? 42) : [];
      console.log(report(id, v, events, missing, new Map(dev.map((a) => [a.address, a.name]))));
    }
    return variant(v.phase) === 'Settled' ? 0 : 1;
  } finally {
    await api.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
