import { useEffect, useState, type ReactNode } from 'react';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { useChain } from '../ChainContext';
import { nameOf } from '../lib/accounts';
import { send, type TxOutcome } from '../lib/chain';

/** An account by name (dev accounts) or short address, linking to its provider page. */
export function Addr({ a }: { a: string }) {
  const c = useChain();
  return (
    <a href={`#/provider/${a}`} title={a} className="addr">
      {nameOf(a, c.accounts)}
    </a>
  );
}

/**
 * Reads the events of the last `blocks` blocks once (a pruned node has only its last 256),
 * so views built from events show recent history, not only what happened since the page
 * opened; re-renders when they are in.
 */
export function useHistory(blocks: number, key: unknown = null): void {
  const c = useChain();
  const [, setLoaded] = useState(0);
  const ready = c.api !== null && c.best > 0;
  useEffect(() => {
    if (!ready || !c.api) return;
    void c.store.load(c.api, Math.max(1, c.best - blocks), c.best, blocks).then(() => setLoaded((n) => n + 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, key]);
}

/** Re-runs `f` whenever `deps` change (and on every new block when `live`). */
export function useLoad<T>(f: () => Promise<T>, deps: unknown[], live = false): { data: T | null; error: string | null } {
  const c = useChain();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    if (!c.api) return;
    f()
      .then((d) => {
        if (!stop) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: unknown) => !stop && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stop = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c.api, ...deps, live ? c.tick : 0]);
  return { data, error };
}

/**
 * A button that signs and submits a transaction with the selected account and shows where it
 * is (signing, in the pool, in block #n) or the chain's error in words.
 */
export function TxButton({
  label,
  make,
  onDone,
  testid,
  disabled,
}: {
  label: string;
  make: () => SubmittableExtrinsic<'promise'> | null;
  onDone?: (o: TxOutcome) => void;
  testid: string;
  disabled?: boolean;
}) {
  const c = useChain();
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'ok' | 'err'; text: string }>({ kind: 'idle', text: '' });
  const run = async () => {
    if (!c.api || !c.account) return;
    let tx: SubmittableExtrinsic<'promise'> | null;
    try {
      tx = make();
    } catch (e) {
      setState({ kind: 'err', text: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (!tx) return;
    setState({ kind: 'busy', text: 'signing…' });
    try {
      const who = await c.account.signing();
      const o = await send(c.api, tx, who, (s) => setState({ kind: 'busy', text: s }));
      setState({ kind: 'ok', text: `in block #${o.block}` });
      onDone?.(o);
    } catch (e) {
      setState({ kind: 'err', text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <span className="tx">
      <button type="button" onClick={run} disabled={disabled || state.kind === 'busy' || !c.account} data-testid={testid}>
        {label}
      </button>
      {state.kind !== 'idle' && (
        <span className={`tx-${state.kind}`} data-testid={`${testid}-result`} role={state.kind === 'err' ? 'alert' : undefined}>
          {state.text}
        </span>
      )}
    </span>
  );
}

/** Horizontal bars, one per row, scaled to the largest value. */
export function Bars({ rows, format }: { rows: { label: ReactNode; value: number; note?: ReactNode; highlight?: boolean }[]; format: (v: number) => string }) {
  const max = Math.max(1e-12, ...rows.map((r) => r.value));
  return (
    <table className="bars">
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={r.highlight ? 'hl' : ''}>
            <td className="label">{r.label}</td>
            <td className="bar">
              <svg width="220" height="14" role="img" aria-label={format(r.value)}>
                <rect width={Math.max(1, (220 * r.value) / max)} height="14" rx="2" />
              </svg>
            </td>
            <td className="num">{format(r.value)}</td>
            <td>{r.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A small line chart of `points` (x: block, y: 0..1). */
export function Sparkline({ points, width = 320, height = 80 }: { points: [number, number][]; width?: number; height?: number }) {
  if (points.length === 0) return <small>no changes seen yet</small>;
  const xs = points.map((p) => p[0]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const sx = (x: number) => (x1 === x0 ? width / 2 : ((x - x0) / (x1 - x0)) * (width - 10) + 5);
  const sy = (y: number) => height - 5 - y * (height - 10);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} className="spark" role="img" aria-label="reputation over blocks">
      <line x1="0" x2={width} y1={sy(0.5)} y2={sy(0.5)} className="mid" />
      <path d={d} />
      {points.map((p, i) => (
        <circle key={i} cx={sx(p[0])} cy={sy(p[1])} r="2.5">
          <title>{`#${p[0]}: ${(p[1] * 100).toFixed(1)} %`}</title>
        </circle>
      ))}
      <text x="2" y="10">
        #{x0}
      </text>
      <text x={width - 2} y="10" textAnchor="end">
        #{x1}
      </text>
    </svg>
  );
}
