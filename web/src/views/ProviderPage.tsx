import { useChain } from '../ChainContext';
import { bytesToText, formatBalance, formatPerbill, perbillToFraction, variant } from '../lib/format';
import { Addr, Sparkline, useHistory, useLoad } from './common';
import { capabilityIn, type NodeView, type Rep } from './Providers';

/** Blocks of history a provider page reads when it opens. */
const HISTORY = 300;

export function ProviderPage({ address }: { address: string }) {
  const c = useChain();
  const { data, error } = useLoad(async () => {
    const api = c.api!;
    const node = (await api.call.llmnetStakingApi.node(address)).toJSON() as unknown as NodeView | null;
    const feedback = (await api.call.llmnetReputationApi.recentFeedback(address)).toJSON() as { from: string; query: number; domain: number; text: string; block: number }[];
    const reps: { domain: number; answer: Rep; judgement: Rep }[] = [];
    for (const d of node?.domains ?? []) {
      const [a, j] = await Promise.all([
        api.call.llmnetReputationApi.reputation(address, d, 'Answer'),
        api.call.llmnetReputationApi.reputation(address, d, 'Judgement'),
      ]);
      reps.push({ domain: d, answer: a.toJSON() as unknown as Rep, judgement: j.toJSON() as unknown as Rep });
    }
    return { node, feedback, reps };
  }, [address], true);
  // Reputation history: the ReputationUpdated events of the last HISTORY blocks and of every
  // block seen since.
  useHistory(HISTORY, address);
  const history = c.store.filter((e) => e.section === 'llmnetReputation' && e.method === 'ReputationUpdated' && e.data.who === address);
  // Each update as (block, new value), after the first one's old value one block before it.
  const series = (kind: string): [number, number][] => {
    const ev = history.filter((e) => variant(e.data.kind) === kind);
    if (ev.length === 0) return [];
    const start: [number, number] = [ev[0].block - 1, perbillToFraction(Number(ev[0].data.old))];
    return [start, ...ev.map((e) => [e.block, perbillToFraction(Number(e.data.new))] as [number, number])];
  };
  const work = c.store
    .filter((e) => e.section === 'llmnetQueryContracts' && e.method === 'Paid' && e.data.who === address)
    .map((e) => ({ block: e.block, query: Number(e.data.query), role: variant(e.data.role), amount: e.data.amount as string }));
  if (error) return <p className="err">{error}</p>;
  if (!data) return <p>loading…</p>;
  const n = data.node;
  return (
    <section>
      <h2>
        <Addr a={address} /> <small>{address}</small>
      </h2>
      {!n ? (
        <p>Not a registered node.</p>
      ) : (
        <>
          <p>
            {bytesToText(n.model)} — {bytesToText(n.description)}
          </p>
          <p>
            Roles: {Object.entries(n.roles).filter(([, v]) => v).map(([k]) => k).join(', ')}; own bond {formatBalance(n.bond)}; delegated {formatBalance(n.delegated)} (unbonding{' '}
            {formatBalance(n.delegatedUnbonding)}); commission {formatPerbill(n.commission)}
            {n.pendingCommission ? ` (→ ${formatPerbill(n.pendingCommission[0])} from #${n.pendingCommission[1]})` : ''}; live assignments {n.liveAssignments}; registered at #
            {n.registeredAt}.
          </p>
          <table>
            <thead>
              <tr>
                <th>domain</th>
                <th>answer reputation</th>
                <th>judgement reputation</th>
                <th>capability</th>
              </tr>
            </thead>
            <tbody>
              {data.reps.map((r) => (
                <tr key={r.domain}>
                  <td>{r.domain}</td>
                  <td>
                    {formatPerbill(r.answer.value)} ({r.answer.observations} obs.)
                  </td>
                  <td>
                    {formatPerbill(r.judgement.value)} ({r.judgement.observations} obs.)
                  </td>
                  <td>{capabilityIn(n, r.domain)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href="#/delegate" data-testid="delegate-link">
              Delegate to this node
            </a>
          </p>
        </>
      )}
      <h3>Reputation over time</h3>
      <div className="charts">
        <figure>
          <figcaption>Answer</figcaption>
          <Sparkline points={series('Answer')} />
        </figure>
        <figure>
          <figcaption>Judgement</figcaption>
          <Sparkline points={series('Judgement')} />
        </figure>
      </div>
      <h3>Recent peer feedback</h3>
      <ul data-testid="feedback">
        {data.feedback.length === 0 && <li>none</li>}
        {data.feedback.map((f, i) => (
          <li key={i}>
            #{f.block}, query <a href={`#/query/${f.query}`}>#{f.query}</a>, from <Addr a={f.from} />: {bytesToText(f.text)}
          </li>
        ))}
      </ul>
      <h3>Payments seen</h3>
      <ul>
        {work.length === 0 && <li>none seen by this page</li>}
        {work.map((w, i) => (
          <li key={i}>
            #{w.block} query <a href={`#/query/${w.query}`}>#{w.query}</a> as {w.role.toLowerCase()}: {formatBalance(w.amount)}
          </li>
        ))}
      </ul>
    </section>
  );
}
