// Arguments of the `llmnet` command line (pure; args.test.ts).

import { parseBalance } from '../src/lib/format';
import { DEFAULT_FORM, type AskForm } from '../src/lib/params';

export const USAGE = `usage:
  llmnet query PROMPT [--domain ID|NAME] [--budget LLMN] [--account //Alice | --seed-file FILE]
                      [--mode single|swarm|debate:ROUNDS] [--respondents N] [--judges N]
                      [--validators N] [--phase BLOCKS] [--rpc ws://HOST:PORT] [--json]
  llmnet show ID [--rpc ws://HOST:PORT] [--json]
defaults: --domain general --budget 100 --account //Alice --mode swarm --respondents 5
          --phase 30 --rpc ws://127.0.0.1:9944`;

export interface Args {
  cmd: string;
  positional: string[];
  flags: Map<string, string>;
}

/** Flags that take no value. */
const BOOLEAN = new Set(['json']);

/** `query "x" --budget 10 --json` -> cmd, positional, flags (a flag without a value is "true"). */
export function parseArgs(argv: string[]): Args {
  const [cmd = '', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const next = rest[i + 1];
      if (BOOLEAN.has(a.slice(2)) || next === undefined || next.startsWith('--')) flags.set(a.slice(2), 'true');
      else flags.set(a.slice(2), rest[++i]);
    } else positional.push(a);
  }
  return { cmd, positional, flags };
}

/** The form of `llmnet query`'s flags (domain resolved by the caller). */
export function formFromFlags(prompt: string, domain: number, flags: Map<string, string>): AskForm {
  const int = (k: string, d: number) => {
    const v = flags.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k}: not a count: ${v}`);
    return n;
  };
  const budget = parseBalance(flags.get('budget') ?? '100');
  if (budget === null) throw new Error(`--budget: not an amount of LLMN: ${flags.get('budget')}`);
  const modeArg = (flags.get('mode') ?? 'swarm').toLowerCase();
  const m = /^(single|swarm|debate)(?::(\d+))?$/.exec(modeArg);
  if (!m) throw new Error(`--mode: single, swarm or debate:ROUNDS, not ${modeArg}`);
  const mode = (m[1][0].toUpperCase() + m[1].slice(1)) as AskForm['mode'];
  return {
    ...DEFAULT_FORM,
    prompt,
    domain,
    mode,
    rounds: m[2] ? Number(m[2]) : 1,
    respondents: int('respondents', mode === 'Single' ? 1 : DEFAULT_FORM.respondents),
    extraJudges: int('judges', 0),
    validators: int('validators', 0),
    phaseLen: int('phase', DEFAULT_FORM.phaseLen),
    budget,
  };
}
