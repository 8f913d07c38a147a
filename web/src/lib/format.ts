// Formatting of chain values for people: balances (12 decimals, LLMN), Perbill and Percent,
// block counts, account names. Pure functions, unit-tested in format.test.ts.

/** Plancks per LLMN (the chain's `tokenDecimals` is 12). */
export const DECIMALS = 12;
export const UNIT = 10n ** BigInt(DECIMALS);
/** Parts per billion of a `Perbill`. */
export const BILLION = 1_000_000_000;

/** A balance as the chain encodes it in JSON (a number, a decimal or a 0x hex string). */
export type Raw = number | string | bigint;

/** Reads a balance whatever form `toJSON` gave it. */
export function toBig(v: Raw | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  const s = v.trim();
  if (s === '') return 0n;
  return BigInt(s);
}

/** `1234500000000000n` -> `"1,234.5 LLMN"`: thousands grouped, at most `digits` decimals. */
export function formatBalance(v: Raw, digits = 4, symbol = 'LLMN'): string {
  const x = toBig(v);
  const neg = x < 0n;
  const abs = neg ? -x : x;
  const whole = abs / UNIT;
  let frac = (abs % UNIT).toString().padStart(DECIMALS, '0').slice(0, digits).replace(/0+$/, '');
  if (frac === '' && abs % UNIT !== 0n && whole === 0n) frac = '0'.repeat(digits - 1) + '1';
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${frac ? `${grouped}.${frac}` : grouped}${symbol ? ` ${symbol}` : ''}`;
}

/** `"12.5"` (LLMN, as typed in a form) -> plancks; `null` for anything that is not a number. */
export function parseBalance(text: string): bigint | null {
  const s = text.trim().replace(/,/g, '').replace(/\s*LLMN$/i, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const frac = (m[2] ?? '').slice(0, DECIMALS).padEnd(DECIMALS, '0');
  return BigInt(m[1]) * UNIT + BigInt(frac || '0');
}

/** A Perbill (parts per billion) as a percentage with `digits` decimals: `"62.5 %"`. */
export function formatPerbill(ppb: number, digits = 1): string {
  return `${((ppb / BILLION) * 100).toFixed(digits)} %`;
}

/** A Perbill as a 0..1 number. */
export function perbillToFraction(ppb: number): number {
  return ppb / BILLION;
}

/** A number of blocks at `blockMs` per block as a duration: `"12 blocks (~12 s)"`. */
export function formatBlocks(blocks: number, blockMs: number): string {
  const s = Math.round((blocks * blockMs) / 1000);
  const dur = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
  return `${blocks} block${blocks === 1 ? '' : 's'} (~${dur})`;
}

/** Bytes from the chain (hex or already text) as text; invalid UTF-8 is replaced, not thrown. */
export function bytesToText(v: unknown): string {
  if (typeof v !== 'string') return '';
  if (!/^0x([0-9a-fA-F]{2})*$/.test(v)) return v;
  const bytes = new Uint8Array((v.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(v.slice(2 + 2 * i, 4 + 2 * i), 16);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** `5GrwvaEF...` -> `"5Grw…utQY"`. */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 4)}…${address.slice(-4)}` : address;
}

/**
 * The variant name of an enum as polkadot.js gives it in JSON: `"Swarm"`, `{ "debate":
 * { "rounds": 2 } }` or `{ "selecting": null }`; names come back capitalised (`"Debate"`).
 */
export function variant(v: unknown): string {
  if (typeof v === 'string') return capitalise(v);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object);
    if (keys.length === 1) return capitalise(keys[0]);
  }
  return '';
}

/** The data of an enum variant (`{ debating: { round: 1 } }` -> `{ round: 1 }`). */
export function variantData(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') {
    const vals = Object.values(v as object);
    if (vals.length === 1 && vals[0] && typeof vals[0] === 'object') return vals[0] as Record<string, unknown>;
  }
  return {};
}

/** A query phase for display: `"Debating (round 2)"`. */
export function phaseLabel(phase: unknown): string {
  // `RevealingJudgements` reads as "Revealing judgements".
  const name = variant(phase).replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
  const data = variantData(phase);
  return typeof data.round === 'number' ? `${name} (round ${data.round + 1})` : name;
}

function capitalise(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}
