// A query as the runtime API `LlmnetQueryApi.query` gives it, read by the app's query page and
// the command line alike.

import type { Api } from './chain';
import { toBig, variant, type Raw } from './format';
import { payoutsByAccount, type Transcript } from './transcript';

/** `QueryView` of the runtime API, as `toJSON` gives it. */
export interface QueryView {
  id: number;
  requester: string;
  domain: number;
  prompt: string;
  params: { mode: unknown; respondents: number; extraJudges: number; validators: number; aggregation: unknown };
  budget: Raw;
  phase: unknown;
  deadline: number;
  created: number;
  finished: number | null;
  selectedBy: string | null;
  respondents: { account: string; committed: boolean; answer: string | null; candidate: number | null; judged: boolean; missed: boolean }[];
  extraJudges: string[];
  validations: [string, number][];
  candidates: string[];
  /** Every payment, kept after settlement until `reap` (spec 7). */
  payouts: { who: string; role: unknown; amount: Raw }[];
  debate: { round: number; who: string; message: string; agrees: boolean; revised: boolean }[];
  transcript: string;
  consensus: { candidate: number; answer: string; scores: number[]; majority: number; iterations: number; quality: number | null } | null;
}

/** Query `id`, or `null` when it is not on chain (never created, or reaped). */
export async function readQuery(api: Api, id: number): Promise<QueryView | null> {
  return (await api.call.llmnetQueryApi.query(id)).toJSON() as unknown as QueryView | null;
}

/** Total paid per account: from the `Paid` events, or (events pruned) from the settled record. */
export function payoutsOf(t: Transcript, view: QueryView): ReturnType<typeof payoutsByAccount> {
  if (t.payments.length || !view.payouts?.length) return payoutsByAccount(t);
  const payments = view.payouts.map((p) => ({ block: view.finished ?? 0, who: p.who, role: variant(p.role), amount: toBig(p.amount) }));
  return payoutsByAccount({ ...t, payments });
}
