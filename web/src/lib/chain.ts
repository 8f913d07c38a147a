// The app's one connection to the chain: polkadot.js (@polkadot/api 16.5.6) decorates calls,
// storage, events, errors and the four LLM-Net runtime APIs from the node's metadata at
// connect time, so nothing here hand-encodes SCALE and a runtime upgrade needs no new build.

import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Signer } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { BlockHash, DispatchError, EventRecord } from '@polkadot/types/interfaces';
import { stringCamelCase } from '@polkadot/util';
import type { ChainEvent } from './transcript';

export type Api = ApiPromise;

/** The node's RPC endpoint: `?rpc=ws://...` in the page's address, else the dev node's. */
export function endpointFromLocation(search: string): string {
  const p = new URLSearchParams(search).get('rpc');
  return p && /^wss?:\/\//.test(p) ? p : 'ws://127.0.0.1:9944';
}

/** An API object for `url` that connects in the background and retries every 2 s (not yet ready). */
export function live(url: string): Api {
  return new ApiPromise({ provider: new WsProvider(url, 2_000), noInitWarn: true });
}

/**
 * Connects to `url` once (the command line): an unreachable node is an error after
 * `timeoutMs` (the app uses `live`, which keeps retrying).
 */
export async function connect(url: string, timeoutMs = 10_000): Promise<Api> {
  const provider = new WsProvider(url, false);
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no node answers at ${url}`)), timeoutMs));
  try {
    await Promise.race([provider.connect(), timer]);
    return await Promise.race([ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), timer]);
  } catch (e) {
    await provider.disconnect().catch(() => undefined);
    // A refused socket rejects with a bare event, not an Error.
    const why = e instanceof Error && !/no node answers/.test(e.message) ? `: ${e.message}` : '';
    throw new Error(`no node answers at ${url}${why}`);
  }
}

/** An event record as the transcript reads it (field names camelCase, values `toJSON`). */
export function normalise(block: number, rec: EventRecord): ChainEvent {
  const { event, phase } = rec;
  const data: Record<string, unknown> = {};
  const names = (event.data as unknown as { names?: string[] | null }).names ?? null;
  event.data.forEach((v, i) => {
    data[names?.[i] ? stringCamelCase(names[i]) : String(i)] = v.toJSON();
  });
  const where = phase.isApplyExtrinsic ? `x${phase.asApplyExtrinsic.toNumber()}` : phase.isInitialization ? 'init' : 'final';
  return { block, phase: where, section: event.section, method: event.method, data };
}

/** The events of block `n` (fails with the node's message when its state was pruned). */
export async function eventsAt(api: Api, n: number): Promise<ChainEvent[]> {
  return eventsAtHash(api, await api.rpc.chain.getBlockHash(n), n);
}

/** The events of block `n` whose hash is `hash`. */
export async function eventsAtHash(api: Api, hash: string | Uint8Array | BlockHash, n: number): Promise<ChainEvent[]> {
  const at = await api.at(hash);
  const recs = (await at.query.system.events()) as unknown as EventRecord[];
  return recs.map((r) => normalise(n, r));
}

/**
 * A dispatch error as a person reads it: the module error's name and its doc text from the
 * metadata (`LlmnetQueryContracts.BudgetTooLow: The budget does not cover ...`).
 */
export function explainError(api: Api, err: DispatchError): string {
  if (err.isModule) {
    try {
      const meta = api.registry.findMetaError(err.asModule);
      const docs = meta.docs.join(' ').trim();
      return `${meta.section}.${meta.name}${docs ? `: ${docs}` : ''}`;
    } catch {
      return `module error ${err.asModule.toString()}`;
    }
  }
  if (err.isToken) return withDocs(api, 'TokenError', `Token.${err.asToken.type}`, err.asToken.type);
  if (err.isArithmetic) return withDocs(api, 'ArithmeticError', `Arithmetic.${err.asArithmetic.type}`, err.asArithmetic.type);
  if (err.isTransactional) return withDocs(api, 'TransactionalError', `Transactional.${err.asTransactional.type}`, err.asTransactional.type);
  return withDocs(api, 'DispatchError', err.type, err.type);
}

/**
 * `label: docs`: the docs of variant `name` of `sp_*::<enumName>` in the metadata, or (this
 * runtime's metadata carries none for sp_runtime's errors) the app's own words for it.
 */
function withDocs(api: Api, enumName: string, label: string, name: string): string {
  const ty = api.registry.lookup.types.find((t) => {
    const path = t.type.path.map((p) => p.toString());
    return path.length >= 2 && path[path.length - 1] === enumName && path[0].startsWith('sp_');
  });
  const v = ty?.type.def.isVariant ? ty.type.def.asVariant.variants.find((x) => x.name.toString() === name) : undefined;
  const docs = (v ? v.docs.map((d) => d.toString().trim()).join(' ').trim() : '') || FALLBACK_DOCS[label] || '';
  return docs ? `${label}: ${docs}` : label;
}

const FALLBACK_DOCS: Record<string, string> = {
  'Token.FundsUnavailable': 'the account does not have enough free balance',
  'Token.OnlyProvider': 'the account would be reaped',
  'Token.BelowMinimum': 'the amount is below the existential deposit',
  'Token.CannotCreate': 'the account cannot be created',
  'Token.Frozen': 'the funds are frozen',
  'Arithmetic.Overflow': 'an amount overflowed',
  'Arithmetic.Underflow': 'an amount went below zero',
  BadOrigin: 'this account may not make this call',
};

/** Who signs: a dev key pair, or an extension account with its injected signer. */
export type Signing = { kind: 'pair'; pair: KeyringPair } | { kind: 'injected'; address: string; signer: Signer };

export interface TxOutcome {
  block: number;
  events: ChainEvent[];
}

/**
 * Signs and submits `tx`, resolving once it is in a block with its events, or rejecting with
 * the explained dispatch error (or the pool's refusal: bad nonce, too low balance for fees).
 */
export function send(api: Api, tx: SubmittableExtrinsic<'promise'>, who: Signing, onStatus?: (s: string) => void): Promise<TxOutcome> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let included = false;
    const done = () => unsub?.();
    const go =
      who.kind === 'pair'
        ? tx.signAndSend(who.pair, { nonce: -1 }, handler)
        : tx.signAndSend(who.address, { signer: who.signer, nonce: -1 }, handler);
    go.then((u) => {
      unsub = u;
    }).catch((e: unknown) => reject(new Error(poolError(e))));
    async function handler(result: import('@polkadot/types/types').ISubmittableResult) {
      const { status, dispatchError } = result;
      onStatus?.(status.type);
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        done();
        reject(new Error(`transaction ${status.type.toLowerCase()}`));
        return;
      }
      // In a block, or straight to finalized (a dev node may report both at once).
      if (included || !(status.isInBlock || status.isFinalized)) return;
      included = true;
      done();
      if (dispatchError) {
        reject(new Error(explainError(api, dispatchError)));
        return;
      }
      const hash = status.isInBlock ? status.asInBlock : status.asFinalized;
      const n = await api.rpc.chain.getHeader(hash).then(
        (h) => h.number.toNumber(),
        () => 0,
      );
      resolve({ block: n, events: result.events.map((r) => normalise(n, r)) });
    }
  });
}

/** The transaction pool's refusal in words (`1010: Invalid Transaction: Inability to pay ...`). */
export function poolError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/Inability to pay some fees/.test(m)) return `${m} (the account cannot pay the transaction fee)`;
  return m;
}
