import { useState } from 'react';
import { useChain } from '../ChainContext';
import type { Api } from '../lib/chain';
import { bytesToText, formatBalance, formatPerbill, toBig, variant, type Raw } from '../lib/format';
import { useDomains, useValidDomain } from './Ask';
import { Addr, useLoad } from './common';

export interface NodeView {
  account: string;
  roles: { provider: boolean; coordinator: boolean; validator: boolean };
  domains: number[];
  model: string;
  description: string;
  bond: Raw;
  delegated: Raw;
  delegatedUnbonding: Raw;
  delegatorShares: Raw;
  commission: number;
  pendingCommission: [number, number] | null;
  capabilities: [number, unknown][];
  liveAssignments: number;
  registeredAt: number;
}

export interface Rep {
  value: number;
  observations: number;
  lastUpdate: number | null;
}

export interface Row {
  node: NodeView;
  /** Accounts with a delegation to the node. */
  delegators: number;
  answer: Rep;
  judgement: Rep;
  price: bigint;
  capability: string;
}

/** A provider's capability in `domain` for display: `Capable since #12`, `Failed`, `–`. */
export function capabilityIn(node: NodeView, domain: number): string {
  const c = node.capabilities.find(([d]) => d === domain)?.[1];
  if (!c) return '–';
  const v = variant(c);
  const data = Object.values(c as object)[0] as Record<string, number> | null;
  return v === 'Capable' && data ? `capable since #${data.since}` : v === 'Failed' && data ? `failed (retry from #${data.retryAfter})` : v;
}

/** The leaderboard rows of `domain`: nodes by stake with both reputations and their price. */
export async function leaderboard(api: Api, domain: number): Promise<Row[]> {
  const nodes = (await api.call.llmnetStakingApi.nodesInDomain(domain, 0, 100)).toJSON() as unknown as NodeView[];
  // Delegators per node: no runtime API counts them, so the keys of `Delegations` (delegator,
  // node) are read and counted here: one paged key scan, fine for a testnet's few thousand.
  const perNode = new Map<string, number>();
  for (const key of await api.query.llmnetStaking.delegations.keys()) {
    const node = key.args[1].toString();
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rows: Row[] = [];
  for (const node of nodes) {
    const [answer, judgement, terms] = await Promise.all([
      api.call.llmnetReputationApi.reputation(node.account, domain, 'Answer'),
      api.call.llmnetReputationApi.reputation(node.account, domain, 'Judgement'),
      api.call.llmnetQueryApi.terms(node.account, domain),
    ]);
    const [inForce] = terms.toJSON() as [Record<string, Raw>, unknown];
    rows.push({
      node,
      delegators: perNode.get(node.account) ?? 0,
      answer: answer.toJSON() as unknown as Rep,
      judgement: judgement.toJSON() as unknown as Rep,
      price: toBig(inForce.answer),
      capability: capabilityIn(node, domain),
    });
  }
  return rows;
}

export function Providers() {
  const c = useChain();
  const domains = useDomains();
  const [domain, setDomain] = useState(5);
  useValidDomain(domains, domain, setDomain);
  const [sort, setSort] = useState<'answer' | 'judgement' | 'stake' | 'price'>('answer');
  const { data, error } = useLoad(() => leaderboard(c.api!, domain), [domain], true);
  const rows = [...(data ?? [])].sort((a, b) => {
    if (sort === 'answer') return b.answer.value - a.answer.value;
    if (sort === 'judgement') return b.judgement.value - a.judgement.value;
    if (sort === 'price') return a.price < b.price ? -1 : a.price > b.price ? 1 : 0;
    const sa = toBig(a.node.bond) + toBig(a.node.delegated);
    const sb = toBig(b.node.bond) + toBig(b.node.delegated);
    return sb > sa ? 1 : sb < sa ? -1 : 0;
  });
  return (
    <section>
      <h2>Providers</h2>
      <label>
        Domain{' '}
        <select data-testid="board-domain" value={domain} onChange={(e) => setDomain(Number(e.target.value))}>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.id})
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Sort by{' '}
        <select value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
          <option value="answer">answer reputation</option>
          <option value="judgement">judgement reputation</option>
          <option value="stake">stake</option>
          <option value="price">price</option>
        </select>
      </label>
      {error && <p className="err">{error}</p>}
      <table data-testid="leaderboard" className="board">
        <thead>
          <tr>
            <th>#</th>
            <th>node</th>
            <th>roles</th>
            <th>answer rep.</th>
            <th>judgement rep.</th>
            <th>observations</th>
            <th>own bond</th>
            <th>delegated</th>
            <th>delegators</th>
            <th>commission</th>
            <th>price / answer</th>
            <th>capability</th>
            <th>model</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.node.account} data-testid={`board-row-${i}`}>
              <td>{i + 1}</td>
              <td>
                <Addr a={r.node.account} />
              </td>
              <td>{Object.entries(r.node.roles).filter(([, v]) => v).map(([k]) => k).join(', ')}</td>
              <td data-testid={`rep-answer-${i}`}>{formatPerbill(r.answer.value)}</td>
              <td>{formatPerbill(r.judgement.value)}</td>
              <td data-testid={`obs-${i}`}>
                {r.answer.observations} / {r.judgement.observations}
              </td>
              <td>{formatBalance(r.node.bond, 0)}</td>
              <td>{formatBalance(r.node.delegated, 2)}</td>
              <td>{r.delegators}</td>
              <td>{formatPerbill(r.node.commission)}</td>
              <td>{formatBalance(r.price)}</td>
              <td>{r.capability}</td>
              <td>{bytesToText(r.node.model)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <small>Observations: answer / judgement.</small>
      </p>
    </section>
  );
}
