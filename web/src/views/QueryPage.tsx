import { useEffect, useMemo, useState } from 'react';
import { useChain } from '../ChainContext';
import { bytesToText, formatBalance, formatBlocks, formatPerbill, phaseLabel, variant } from '../lib/format';
import { payoutsOf, readQuery } from '../lib/query';
import { buildTranscript, finalAnswers, tally } from '../lib/transcript';
import { Addr, Bars, useHistory, useLoad } from './common';

export function QueryPage({ id }: { id: number | null }) {
  return id === null || Number.isNaN(id) ? <QueryList /> : <Query id={id} />;
}

function QueryList() {
  const c = useChain();
  useHistory(300);
  const mine = useLoad(async () => (c.account ? ((await c.api!.call.llmnetQueryApi.queriesOf(c.account.address, 0, 50)).toJSON() as number[]) : []), [c.account?.address], true);
  const seen = c.store
    .filter((e) => e.section === 'llmnetQueryContracts' && e.method === 'QueryCreated')
    .map((e) => ({ id: Number(e.data.query), who: String(e.data.requester), prompt: bytesToText(e.data.prompt), block: e.block }))
    .reverse();
  const [goto, setGoto] = useState('');
  return (
    <section>
      <h2>Queries</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (goto) window.location.hash = `#/query/${goto}`;
        }}
      >
        Open query <input value={goto} onChange={(e) => setGoto(e.target.value)} size={6} /> <button>Open</button>
      </form>
      <h3>{c.account ? `${c.account.name}'s queries (not yet reaped)` : 'Your queries'}</h3>
      <p>{(mine.data ?? []).length === 0 ? 'none' : (mine.data ?? []).map((q) => <a key={q} href={`#/query/${q}`} className="chip">#{q}</a>)}</p>
      <h3>Created in the last 300 blocks or since this page opened</h3>
      <ul>
        {seen.map((q) => (
          <li key={q.id}>
            <a href={`#/query/${q.id}`}>#{q.id}</a> by <Addr a={q.who} /> at #{q.block}: {q.prompt}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Query({ id }: { id: number }) {
  const c = useChain();
  const { data: view, error } = useLoad(() => readQuery(c.api!, id), [id], true);
  const [storeTick, setStoreTick] = useState(0);
  useEffect(() => c.store.subscribe(() => setStoreTick((t) => t + 1)), [c.store]);
  const first = view?.created ?? null;
  const last = view ? (view.finished ?? c.best) : null;
  // Backfill the query's blocks the page has not seen live (bounded by the store).
  useEffect(() => {
    if (c.api && first !== null && last !== null) void c.store.load(c.api, first, last);
  }, [c.api, first, last, c.store]);
  const t = useMemo(
    () => (first !== null && last !== null ? buildTranscript(id, c.store.range(first, last)) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id, first, last, storeTick, c.tick],
  );
  if (error) return <p className="err">{error}</p>;
  if (view === null) return <p data-testid="query-missing">Query #{id} is not on chain (never created, or reaped after settlement).</p>;
  if (!view || !t) return <p>loading…</p>;

  const phase = phaseLabel(view.phase);
  const done = view.finished !== null;
  const answers = finalAnswers(t);
  const candidates = view.candidates.length ? view.candidates.map(bytesToText) : [];
  const scores = view.consensus?.scores ?? t.consensus?.scores ?? [];
  const k = Math.max(candidates.length, scores.length);
  const holders = new Array<number>(k).fill(0);
  view.respondents.forEach((r) => r.candidate !== null && r.candidate < k && (holders[r.candidate] += 1));
  const haveHolders = holders.some((h) => h > 0);
  const { wins, comparisons } = tally(t, k);
  const unavailable = c.store.unavailable(view.created, view.finished ?? c.best);
  const candidateText = (i: number) => candidates[i] ?? (view.consensus && i === view.consensus.candidate ? bytesToText(view.consensus.answer) : `candidate ${i}`);
  // Payments from the events, or (events pruned) from what the settled query keeps.
  const payouts = payoutsOf(t, view);

  return (
    <section className="query">
      <h2>
        Query #{id} <span className={`phase phase-${variant(view.phase).toLowerCase()}`} data-testid="query-phase">{phase}</span>
      </h2>
      <p className="prompt" data-testid="query-prompt">{bytesToText(view.prompt)}</p>
      <p>
        By <Addr a={view.requester} /> in domain {view.domain}, {phaseLabel(view.params.mode)} with {view.params.respondents} respondent(s), {view.params.extraJudges} extra judge(s),{' '}
        {view.params.validators} validator(s), {variant(view.params.aggregation)}; budget {formatBalance(view.budget)}. Created at #{view.created}
        {done ? `, finished at #${view.finished}` : `; this phase ends by #${view.deadline} (${formatBlocks(Math.max(0, view.deadline - c.best), c.blockMs)} left)`}.
      </p>
      {view.extraJudges.length > 0 && (
        <p data-testid="extra-judges">
          Extra judges drawn by stake:{' '}
          {view.extraJudges.map((a) => (
            <Addr key={a} a={a} />
          ))}
        </p>
      )}
      {unavailable && (
        <p className="warn">
          Some blocks of this query could not be read ({unavailable}): the node has pruned their state. Events of old blocks need an archive node
          (<code>--state-pruning archive</code>); see docs/front-end.md.
        </p>
      )}

      <h3>Timeline</h3>
      <ol className="timeline" data-testid="timeline">
        {t.created && <li>#{t.created.block} created (fee {formatBalance(t.created.fee)})</li>}
        {t.coordinatorDrawn && <li>coordinator drawn: <Addr a={t.coordinatorDrawn} /></li>}
        {t.phases.map((p, i) => (
          <li key={i}>
            #{p.block} {phaseLabel(p.phase)}
            {variant(p.phase) !== 'Settled' && variant(p.phase) !== 'Expired' ? ` (deadline #${p.deadline})` : ''}
          </li>
        ))}
        {t.end && (
          <li>
            #{t.end.block} {t.end.kind.toLowerCase()}
            {t.end.kind === 'Settled' ? `: paid ${formatBalance(t.end.paid)}, refunded ${formatBalance(t.end.refunded)}` : `: refunded ${formatBalance(t.end.refunded)}`}
          </li>
        )}
      </ol>

      {view.consensus && (
        <div className="consensus" data-testid="consensus">
          Consensus: <strong data-testid="consensus-answer">{bytesToText(view.consensus.answer)}</strong> (candidate {view.consensus.candidate}; majority candidate{' '}
          {view.consensus.majority}; {view.consensus.iterations} Bradley-Terry iterations
          {view.consensus.quality !== null ? `; validators' quality ${view.consensus.quality} %` : ''})
        </div>
      )}

      {k > 0 && (
        <>
          <h3>Candidates</h3>
          <Bars
            rows={Array.from({ length: k }, (_, i) => ({
              label: <span data-testid={`candidate-${i}`}>{candidateText(i)}</span>,
              value: scores[i] ?? 0,
              highlight: view.consensus?.candidate === i,
              note: (
                <small>
                  {haveHolders ? `${holders[i]} holder(s), ` : ''}
                  {wins[i]} of {comparisons[i]} comparisons won
                </small>
              ),
            }))}
            format={(v) => (scores.length ? `BT ${formatPerbill(v)}` : '–')}
          />
        </>
      )}

      <h3>Respondents</h3>
      <table data-testid="respondents">
        <thead>
          <tr>
            <th>respondent</th>
            <th>committed</th>
            <th>answer</th>
            <th>judged</th>
            <th>missed</th>
          </tr>
        </thead>
        <tbody>
          {(view.respondents.length ? view.respondents.map((r) => r.account) : [...new Set([...t.commits.map((x) => x.who), ...answers.keys()])]).map((a) => {
            const r = view.respondents.find((x) => x.account === a);
            const ans = r?.answer ? bytesToText(r.answer) : answers.get(a);
            return (
              <tr key={a}>
                <td>
                  <Addr a={a} />
                </td>
                <td>{r?.committed || t.commits.some((x) => x.who === a) ? 'yes' : 'no'}</td>
                <td>{ans ?? '–'}</td>
                <td>{r?.judged || t.judgements.some((j) => j.judge === a) ? 'yes' : 'no'}</td>
                <td>{r?.missed || t.missed.some((m) => m.who === a) ? 'MISSED' : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {t.selected && (
        <p>
          Selected at #{t.selected.block} by {t.selected.by ? <Addr a={t.selected.by} /> : 'automatic selection'}
          {t.selected.rationale ? `: “${t.selected.rationale}”` : ''}
        </p>
      )}

      {t.debate.length > 0 && (
        <>
          <h3>Debate</h3>
          {t.debate.map((d, i) => (
            <p key={i} className="debate">
              Round {d.round + 1}, <Addr a={d.who} /> {d.agrees ? '(agrees)' : ''}: {d.message}
              {d.revised !== null ? ` — revised answer: ${d.revised}` : ''}
            </p>
          ))}
        </>
      )}

      {t.judgementCommits.length > t.judgements.length && (
        <p data-testid="sealed-judgements">
          {t.judgementCommits.length} sealed judgement(s), {t.judgements.length} revealed (verdicts are hidden until the judges reveal them).
        </p>
      )}
      {t.judgements.length > 0 && (
        <>
          <h3>Judgements</h3>
          <table data-testid="judgements">
            <thead>
              <tr>
                <th>judge</th>
                <th>pair</th>
                <th>verdict</th>
                <th>justification</th>
              </tr>
            </thead>
            <tbody>
              {t.judgements.flatMap((j) =>
                j.comparisons.map((cmp, i) => (
                  <tr key={`${j.judge}-${i}`}>
                    <td>{i === 0 ? <Addr a={j.judge} /> : ''}</td>
                    <td>
                      {candidateText(cmp.a)} vs {candidateText(cmp.b)}
                    </td>
                    <td>{cmp.outcome === 'A' ? candidateText(cmp.a) : cmp.outcome === 'B' ? candidateText(cmp.b) : 'tie'}</td>
                    <td>{cmp.justification}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}

      {(t.validations.length > 0 || view.validations.length > 0) && (
        <>
          <h3>Validators</h3>
          <ul>
            {t.validations.map((v) => (
              <li key={v.validator}>
                <Addr a={v.validator} />: {v.score} % {v.note && `— ${v.note}`}
              </li>
            ))}
          </ul>
        </>
      )}

      {payouts.length > 0 && (
        <>
          <h3>Payouts</h3>
          <table data-testid="payouts">
            <tbody>
              {payouts.map((p) => (
                <tr key={p.who}>
                  <td>
                    <Addr a={p.who} />
                  </td>
                  <td>{p.roles.join(', ')}</td>
                  <td>{formatBalance(p.amount)}</td>
                </tr>
              ))}
              {t.missed.map((m) => (
                <tr key={`m-${m.who}`} className="err">
                  <td>
                    <Addr a={m.who} />
                  </td>
                  <td>missed a deadline</td>
                  <td>slashed {formatBalance(m.slashed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {t.reputation.length > 0 && (
        <>
          <h3>Reputation changes</h3>
          <table data-testid="reputation-changes">
            <tbody>
              {t.reputation.map((r, i) => (
                <tr key={i}>
                  <td>
                    <Addr a={r.who} />
                  </td>
                  <td>{r.kind}</td>
                  <td>
                    {formatPerbill(r.old)} → {formatPerbill(r.new)}
                  </td>
                  <td>
                    <small>observation {formatPerbill(r.observation)}</small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {t.feedback.length > 0 && (
        <>
          <h3>Peer feedback</h3>
          <ul>
            {t.feedback.map((f, i) => (
              <li key={i}>
                <Addr a={f.from} /> on <Addr a={f.to} />: {f.text}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <small>
          Transcript hash {view.transcript}.
        </small>
      </p>
    </section>
  );
}
