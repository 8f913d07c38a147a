// A query's transcript rebuilt from the chain's events (pure; transcript.test.ts).
//
// Every step of a query emits an event of `llmnetQueryContracts` that names the query (created,
// selected, committed, revealed, debated, judged, validated, consensus, paid, missed, settled).
// Reputation and staking events do not name the query: the pallets emit them while settling
// or transitioning one query at a time, so an event of `llmnetReputation` / `llmnetStaking` is
// the query's when the last query-contracts event before it, in the same block and the same
// extrinsic (or hook), named that query. A validation-task event in between ends that run.

import { bytesToText, toBig, variant } from './format';

/** One event, as `chain.ts` normalises it: camelCase fields, `toJSON` values. */
export interface ChainEvent {
  block: number;
  /** Where in the block: `"init"`, `"final"` or `"x<extrinsic index>"`. */
  phase: string;
  section: string;
  method: string;
  data: Record<string, unknown>;
}

export interface Comparison {
  a: number;
  b: number;
  outcome: string;
  justification: string;
}

export interface Transcript {
  id: number;
  created?: {
    block: number;
    requester: string;
    domain: number;
    mode: string;
    budget: bigint;
    fee: bigint;
    prompt: string;
    deadline: number;
  };
  coordinatorDrawn?: string;
  phases: { block: number; phase: unknown; deadline: number }[];
  selected?: { block: number; by: string | null; respondents: string[]; rationale: string };
  commits: { block: number; who: string }[];
  /** Judges' sealed commitments (`JudgementCommitted`), revealed later as `Judged`. */
  judgementCommits: { block: number; who: string }[];
  answers: { block: number; who: string; answer: string }[];
  debate: { block: number; round: number; who: string; message: string; revised: string | null; agrees: boolean }[];
  judgements: { block: number; judge: string; comparisons: Comparison[] }[];
  validations: { block: number; validator: string; score: number; note: string }[];
  consensus?: { block: number; candidate: number; answer: string; scores: number[]; majority: number; iterations: number };
  payments: { block: number; who: string; role: string; amount: bigint }[];
  missed: { block: number; who: string; slashed: bigint }[];
  feedback: { block: number; from: string; to: string; text: string }[];
  reputation: { block: number; who: string; kind: string; observation: number; old: number; new: number }[];
  /** Staking events of the query's run (`Rewarded`, `Slashed`, ...), for the record. */
  staking: { block: number; method: string; data: Record<string, unknown> }[];
  end?: { block: number; kind: 'Settled' | 'Expired' | 'Cancelled'; paid: bigint; refunded: bigint };
  /** Lowest and highest block an event came from. */
  blocks: [number, number] | null;
}

const QC = 'llmnetQueryContracts';

export function emptyTranscript(id: number): Transcript {
  return {
    id,
    phases: [],
    commits: [],
    judgementCommits: [],
    answers: [],
    debate: [],
    judgements: [],
    validations: [],
    payments: [],
    missed: [],
    feedback: [],
    reputation: [],
    staking: [],
    blocks: null,
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(toBig(v as string)));
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

/** The query a query-contracts event names, if any. */
export function queryOf(e: ChainEvent): number | null {
  if (e.section !== QC) return null;
  const q = e.data.query;
  return q === undefined || q === null ? null : num(q);
}

/** Rebuilds query `id`'s transcript from `events` (any order of blocks; in order within one). */
export function buildTranscript(id: number, events: ChainEvent[]): Transcript {
  const t = emptyTranscript(id);
  const sorted = [...events].sort((x, y) => x.block - y.block);
  let ctx: { block: number; phase: string; query: number | null } = { block: -1, phase: '', query: null };
  for (const e of sorted) {
    if (e.block !== ctx.block || e.phase !== ctx.phase) ctx = { block: e.block, phase: e.phase, query: null };
    const q = queryOf(e);
    if (q !== null) ctx.query = q;
    else if (e.section === 'llmnetValidation') ctx.query = null;
    const mine = q === id || (q === null && ctx.query === id);
    if (!mine) continue;
    t.blocks = t.blocks ? [Math.min(t.blocks[0], e.block), Math.max(t.blocks[1], e.block)] : [e.block, e.block];
    apply(t, e);
  }
  return t;
}

function apply(t: Transcript, e: ChainEvent): void {
  const d = e.data;
  const b = e.block;
  if (e.section === 'llmnetReputation') {
    if (e.method === 'ReputationUpdated') {
      t.reputation.push({
        block: b,
        who: str(d.who),
        kind: variant(d.kind),
        observation: num(d.observation),
        old: num(d.old),
        new: num(d.new),
      });
    } else if (e.method === 'FeedbackRecorded') {
      t.feedback.push({ block: b, from: str(d.from), to: str(d.to), text: bytesToText(d.text) });
    }
    return;
  }
  if (e.section === 'llmnetStaking') {
    t.staking.push({ block: b, method: e.method, data: d });
    return;
  }
  if (e.section !== QC) return;
  switch (e.method) {
    case 'QueryCreated':
      t.created = {
        block: b,
        requester: str(d.requester),
        domain: num(d.domain),
        mode: variant(d.mode),
        budget: toBig(d.budget as string),
        fee: toBig(d.fee as string),
        prompt: bytesToText(d.prompt),
        deadline: num(d.deadline),
      };
      break;
    case 'CoordinatorDrawn':
      t.coordinatorDrawn = str(d.coordinator);
      break;
    case 'RespondentsSelected':
      t.selected = {
        block: b,
        by: d.by ? str(d.by) : null,
        respondents: ((d.respondents as unknown[]) ?? []).map(str),
        rationale: bytesToText(d.rationale),
      };
      break;
    case 'PhaseChanged':
      t.phases.push({ block: b, phase: d.phase, deadline: num(d.deadline) });
      break;
    case 'AnswerCommitted':
      t.commits.push({ block: b, who: str(d.who) });
      break;
    case 'JudgementCommitted':
      t.judgementCommits.push({ block: b, who: str(d.judge) });
      break;
    case 'AnswerRevealed':
      t.answers.push({ block: b, who: str(d.who), answer: bytesToText(d.answer) });
      break;
    case 'DebatePosted':
      t.debate.push({
        block: b,
        round: num(d.round),
        who: str(d.who),
        message: bytesToText(d.message),
        revised: d.revisedAnswer ? bytesToText(d.revisedAnswer) : null,
        agrees: Boolean(d.agrees),
      });
      break;
    case 'Judged':
      t.judgements.push({
        block: b,
        judge: str(d.judge),
        comparisons: ((d.comparisons as Record<string, unknown>[]) ?? []).map((c) => ({
          a: num(c.a),
          b: num(c.b),
          outcome: variant(c.outcome),
          justification: bytesToText(c.justification),
        })),
      });
      break;
    case 'Validated':
      t.validations.push({ block: b, validator: str(d.validator), score: num(d.score), note: bytesToText(d.note) });
      break;
    case 'ConsensusReached':
      t.consensus = {
        block: b,
        candidate: num(d.candidate),
        answer: bytesToText(d.answer),
        scores: ((d.scores as unknown[]) ?? []).map(num),
        majority: num(d.majority),
        iterations: num(d.iterations),
      };
      break;
    case 'Paid':
      t.payments.push({ block: b, who: str(d.who), role: variant(d.role), amount: toBig(d.amount as string) });
      break;
    case 'DeadlineMissed':
      t.missed.push({ block: b, who: str(d.who), slashed: toBig(d.slashed as string) });
      break;
    case 'QuerySettled':
      t.end = { block: b, kind: 'Settled', paid: toBig(d.paid as string), refunded: toBig(d.refunded as string) };
      break;
    case 'QueryExpired':
      t.end = { block: b, kind: 'Expired', paid: 0n, refunded: toBig(d.refunded as string) };
      break;
    case 'QueryCancelled':
      t.end = { block: b, kind: 'Cancelled', paid: 0n, refunded: 0n };
      break;
  }
}

/** Each respondent's final answer: its revealed answer, replaced by a revision in the debate. */
export function finalAnswers(t: Transcript): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of t.answers) out.set(a.who, a.answer);
  for (const d of [...t.debate].sort((x, y) => x.round - y.round)) if (d.revised !== null) out.set(d.who, d.revised);
  return out;
}

/** Total paid per account and role. */
export function payoutsByAccount(t: Transcript): { who: string; roles: string[]; amount: bigint }[] {
  const m = new Map<string, { roles: Set<string>; amount: bigint }>();
  for (const p of t.payments) {
    const e = m.get(p.who) ?? { roles: new Set<string>(), amount: 0n };
    e.roles.add(p.role);
    e.amount += p.amount;
    m.set(p.who, e);
  }
  return [...m.entries()]
    .map(([who, e]) => ({ who, roles: [...e.roles], amount: e.amount }))
    .sort((x, y) => (y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : 0));
}

/**
 * The wins of each candidate over the judges' comparisons (a tie counts half to each), the
 * raw tally behind the Bradley-Terry fit, for display next to the fitted shares.
 */
export function tally(t: Transcript, candidates: number): { wins: number[]; comparisons: number[] } {
  const wins = new Array<number>(candidates).fill(0);
  const comparisons = new Array<number>(candidates).fill(0);
  for (const j of t.judgements) {
    for (const c of j.comparisons) {
      if (c.a >= candidates || c.b >= candidates) continue;
      comparisons[c.a] += 1;
      comparisons[c.b] += 1;
      if (c.outcome === 'A') wins[c.a] += 1;
      else if (c.outcome === 'B') wins[c.b] += 1;
      else {
        wins[c.a] += 0.5;
        wins[c.b] += 0.5;
      }
    }
  }
  return { wins, comparisons };
}
