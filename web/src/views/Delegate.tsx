import { useState } from 'react';
import { useChain } from '../ChainContext';
import { formatBalance, formatBlocks, parseBalance, toBig, type Raw } from '../lib/format';
import { useDomains } from './Ask';
import { Addr, TxButton, useLoad } from './common';
import type { NodeView } from './Providers';

export function Delegate() {
  const c = useChain();
  const domains = useDomains();
  const me = c.account?.address ?? null;
  const nodes = useLoad(async () => {
    const all = new Map<string, NodeView>();
    for (const d of domains) {
      for (const n of (await c.api!.call.llmnetStakingApi.nodesInDomain(d.id, 0, 100)).toJSON() as unknown as NodeView[]) all.set(n.account, n);
    }
    return [...all.values()];
  }, [domains.length]);
  const pos = useLoad(async () => {
    if (!me) return { delegations: [], chunks: [], free: 0n };
    const api = c.api!;
    const delegations = (await api.call.llmnetStakingApi.delegationsOf(me)).toJSON() as { node: string; shares: Raw; value: Raw; principal: Raw }[];
    const chunks = (await api.call.llmnetStakingApi.unbondingOf(me)).toJSON() as { node: string | null; value: Raw; unlockAt: number }[];
    const acct = (await api.query.system.account(me)) as unknown as { data: { free: { toString(): string } } };
    return { delegations, chunks, free: toBig(acct.data.free.toString()) };
  }, [me], true);
  const [node, setNode] = useState('');
  const [amountText, setAmountText] = useState('50');
  const amount = parseBalance(amountText);
  const target = node || nodes.data?.find((n) => n.roles.provider && n.account !== me)?.account || '';
  const api = c.api;

  return (
    <section>
      <h2>Delegate</h2>
      <p>
        {c.account ? (
          <>
            Signing as <strong>{c.account.name}</strong>, free balance <span data-testid="free">{formatBalance(pos.data?.free ?? 0n)}</span>.
          </>
        ) : (
          'Pick an account.'
        )}
      </p>
      <form className="ask" onSubmit={(e) => e.preventDefault()}>
        <label>
          Node
          <select data-testid="delegate-node" value={target} onChange={(e) => setNode(e.target.value)}>
            {(nodes.data ?? []).map((n) => (
              <option key={n.account} value={n.account}>
                {c.accounts.find((a) => a.address === n.account)?.name ?? n.account} — delegated {formatBalance(n.delegated, 0)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Amount (LLMN)
          <input data-testid="delegate-amount" value={amountText} onChange={(e) => setAmountText(e.target.value)} />
          {amount === null && <small className="err">not an amount</small>}
        </label>
        <div className="actions">
          <TxButton label="Delegate" testid="delegate-submit" disabled={amount === null || !target} make={() => (api && amount !== null ? api.tx.llmnetStaking.delegate(target, amount) : null)} />
          <TxButton label="Undelegate" testid="undelegate-submit" disabled={amount === null || !target} make={() => (api && amount !== null ? api.tx.llmnetStaking.undelegate(target, amount) : null)} />
          <TxButton label="Withdraw unlocked" testid="withdraw-submit" make={() => (api ? api.tx.llmnetStaking.withdrawUnbonded() : null)} />
        </div>
      </form>
      <h3>Positions</h3>
      <table data-testid="positions">
        <thead>
          <tr>
            <th>node</th>
            <th>value</th>
            <th>principal</th>
            <th>rewards</th>
            <th>shares</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(pos.data?.delegations ?? []).length === 0 && (
            <tr>
              <td colSpan={6}>no delegation</td>
            </tr>
          )}
          {(pos.data?.delegations ?? []).map((d) => {
            const gain = toBig(d.value) - toBig(d.principal);
            return (
              <tr key={d.node} data-testid="position">
                <td>
                  <Addr a={d.node} />
                </td>
                <td data-testid="position-value">{formatBalance(d.value)}</td>
                <td>{formatBalance(d.principal)}</td>
                <td>{formatBalance(gain > 0n ? gain : 0n)}</td>
                <td>{toBig(d.shares).toString()}</td>
                <td>
                  <TxButton label="Claim" testid={`claim-${d.node}`} make={() => (api ? api.tx.llmnetStaking.claimRewards(d.node) : null)} />{' '}
                  <TxButton label="Compound" testid={`compound-${d.node}`} make={() => (api ? api.tx.llmnetStaking.compound(d.node) : null)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <small>Rewards paid to a node's delegators vest into its pool over a day (AUDIT M2), so a position's value grows after a payout, not at it.</small>
      </p>
      <h3>Unbonding</h3>
      <table data-testid="chunks">
        <tbody>
          {(pos.data?.chunks ?? []).length === 0 && (
            <tr>
              <td>nothing unbonding</td>
            </tr>
          )}
          {(pos.data?.chunks ?? []).map((ch, i) => (
            <tr key={i}>
              <td>{ch.node ? <Addr a={ch.node} /> : 'own bond'}</td>
              <td>{formatBalance(ch.value)}</td>
              <td>
                unlocks at #{ch.unlockAt}
                {ch.unlockAt > c.best ? ` (in ${formatBlocks(ch.unlockAt - c.best, c.blockMs)})` : ' (withdrawable)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
