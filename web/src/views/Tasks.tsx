import { useChain } from '../ChainContext';
import { bytesToText, formatBalance, formatPerbill, variant, type Raw } from '../lib/format';
import { Addr, useLoad } from './common';

interface TaskView {
  id: number;
  creator: string;
  domain: number;
  kind: unknown;
  specUri: string;
  pool: Raw;
  paid: Raw;
  phase: unknown;
  round: number | null;
  roundStart: number;
  revealFrom: number;
  deadline: number;
  commits: number;
  reports: number;
  submissions: { index: number; node: string; uri: string; score: number | null; finalScore: number | null; earned: Raw; vested: Raw }[];
  rounds: { round: number; reports: number; consensus: number | null; mean: number; spread: number; toNodes: Raw; toValidators: Raw }[];
  challenges: { index: number; challenger: string; bond: Raw; reason: string; uphold: Raw; reject: Raw; voters: number; quorum: Raw }[];
}

interface CalibrationView {
  id: number;
  creator: string | null;
  domain: number;
  phase: unknown;
  questions: string[];
  threshold: number;
  commitEnd: number;
  revealEnd: number;
  keyEnd: number;
  entries: [string, boolean][];
}

export function Tasks() {
  const c = useChain();
  const { data, error } = useLoad(async () => {
    const api = c.api!;
    const ids = (await api.call.llmnetValidationApi.openTasks(0, 50)).toJSON() as number[];
    const tasks: TaskView[] = [];
    for (const id of ids) {
      const t = (await api.call.llmnetValidationApi.task(id)).toJSON() as unknown as TaskView | null;
      if (t) tasks.push(t);
    }
    const cids = (await api.call.llmnetValidationApi.openCalibrations()).toJSON() as number[];
    const cals: CalibrationView[] = [];
    for (const id of cids) {
      const v = (await api.call.llmnetValidationApi.calibration(id)).toJSON() as unknown as CalibrationView | null;
      if (v) cals.push(v);
    }
    return { tasks, cals };
  }, [], true);
  if (error) return <p className="err">{error}</p>;
  return (
    <section>
      <h2>Validation tasks</h2>
      {(data?.tasks ?? []).length === 0 && <p data-testid="no-tasks">No open task.</p>}
      {(data?.tasks ?? []).map((t) => (
        <div key={t.id} className="card" data-testid={`task-${t.id}`}>
          <h3>
            Task #{t.id}: {variant(t.kind)} in domain {t.domain} — {variant(t.phase)}
            {t.round !== null ? `, round ${t.round}` : ''}
          </h3>
          <p>
            By <Addr a={t.creator} />; spec {bytesToText(t.specUri)}; pool {formatBalance(t.pool)}, paid {formatBalance(t.paid)}; deadline #{t.deadline} (reveals from #{t.revealFrom}); {t.commits}{' '}
            commitment(s), {t.reports} report(s).
          </p>
          {t.submissions.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>submission</th>
                  <th>node</th>
                  <th>score</th>
                  <th>final</th>
                  <th>earned</th>
                </tr>
              </thead>
              <tbody>
                {t.submissions.map((s) => (
                  <tr key={s.index}>
                    <td>
                      {s.index} {bytesToText(s.uri)}
                    </td>
                    <td>
                      <Addr a={s.node} />
                    </td>
                    <td>{s.score !== null ? formatPerbill(s.score) : '–'}</td>
                    <td>{s.finalScore !== null ? formatPerbill(s.finalScore) : '–'}</td>
                    <td>
                      {formatBalance(s.earned)} (vested {formatBalance(s.vested)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {t.rounds.length > 0 && (
            <ul>
              {t.rounds.map((r) => (
                <li key={r.round}>
                  Round {r.round}: {r.reports} report(s), consensus {r.consensus !== null ? formatPerbill(r.consensus) : 'none'}, mean {formatPerbill(r.mean)}, spread{' '}
                  {formatPerbill(r.spread)}; paid nodes {formatBalance(r.toNodes)}, validators {formatBalance(r.toValidators)}
                </li>
              ))}
            </ul>
          )}
          {t.challenges.map((ch) => (
            <p key={ch.index}>
              Challenge of submission {ch.index} by <Addr a={ch.challenger} /> (bond {formatBalance(ch.bond)}): {bytesToText(ch.reason)} — uphold {formatBalance(ch.uphold)}, reject{' '}
              {formatBalance(ch.reject)} from {ch.voters} voter(s), quorum {formatBalance(ch.quorum)}
            </p>
          ))}
        </div>
      ))}
      <h2>Calibration rounds</h2>
      {(data?.cals ?? []).length === 0 && <p>No open calibration round.</p>}
      {(data?.cals ?? []).map((r) => (
        <div key={r.id} className="card">
          <h3>
            Calibration #{r.id} in domain {r.domain} — {variant(r.phase)} ({r.creator ? 'practice round' : 'governance round: grants capability'})
          </h3>
          <p>
            {r.questions.length} question(s), pass at {r.threshold} correct; commits until #{r.commitEnd}, reveals until #{r.revealEnd}, key until #{r.keyEnd}.
          </p>
          <p>
            Entries:{' '}
            {r.entries.map(([a, revealed]) => (
              <span key={a} className="chip">
                <Addr a={a} /> {revealed ? 'revealed' : 'committed'}
              </span>
            ))}
          </p>
        </div>
      ))}
    </section>
  );
}
