import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { eventsAtHash, live, type Api } from './lib/chain';
import { devAccounts, extensionAccounts, type Account } from './lib/accounts';
import { EventStore } from './lib/store';

export interface ChainState {
  url: string;
  api: Api | null;
  connected: boolean;
  /** The socket failed or closed at least once (the app keeps retrying every 2 s). */
  down: boolean;
  chain: string;
  specVersion: number;
  best: number;
  finalized: number;
  /** Milliseconds between new blocks as this page sees them (smoothed; 6000 until measured). */
  blockMs: number;
  accounts: Account[];
  account: Account | null;
  setAccount: (a: Account | null) => void;
  loadExtension: () => Promise<string>;
  store: EventStore;
  /** Bumped on every new best block, for views that re-read state. */
  tick: number;
}

const Ctx = createContext<ChainState | null>(null);

export function useChain(): ChainState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useChain outside ChainProvider');
  return c;
}

export function ChainProvider({ url, children }: { url: string; children: ReactNode }) {
  const store = useMemo(() => new EventStore(), []);
  const [api, setApi] = useState<Api | null>(null);
  const [connected, setConnected] = useState(false);
  const [down, setDown] = useState(false);
  const [chain, setChain] = useState('');
  const [specVersion, setSpec] = useState(0);
  const [best, setBest] = useState(0);
  const [finalized, setFinalized] = useState(0);
  const [blockMs, setBlockMs] = useState(6000);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [account, setAccount] = useState<Account | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let stop = false;
    let lastArrival = 0;
    let lastBest = -1;
    let smoothed = false;
    const unsubs: (() => void)[] = [];
    (async () => {
      const a = live(url);
      a.on('connected', () => setConnected(true));
      a.on('disconnected', () => {
        setConnected(false);
        setDown(true);
      });
      a.on('error', () => setDown(true));
      await a.isReady;
      if (stop) {
        void a.disconnect();
        return;
      }
      setApi(a);
      setConnected(a.isConnected);
      setChain((await a.rpc.system.chain()).toString());
      setSpec(a.runtimeVersion.specVersion.toNumber());
      a.on('ready', () => setSpec(a.runtimeVersion.specVersion.toNumber()));
      const type = (await a.rpc.system.chainType()).type;
      const dev = await devAccounts(a.registry.chainSS58 ?? 42);
      // Dev accounts hold keys everyone knows: offered on development and local chains only.
      const list = type === 'Development' || type === 'Local' ? dev : [];
      setAccounts(list);
      setAccount((cur) => cur ?? list[0] ?? null);
      unsubs.push(
        await a.rpc.chain.subscribeNewHeads(async (h) => {
          const n = h.number.toNumber();
          // Wall-clock time between new blocks, smoothed (a dev node's block timestamps advance
          // by the slot duration whatever its --dev-block-time, so they do not say it).
          const arrival = Date.now();
          if (lastArrival > 0 && n === lastBest + 1) {
            const dt = arrival - lastArrival;
            const first = !smoothed;
            setBlockMs((ms) => (first ? dt : Math.round(0.8 * ms + 0.2 * dt)));
            smoothed = true;
          }
          lastArrival = arrival;
          lastBest = n;
          setBest(n);
          try {
            store.put(n, await eventsAtHash(a, h.hash, n));
          } catch {
            /* a pruned or re-orged block: its events come back with the next load */
          }
          setTick((t) => t + 1);
        }),
      );
      unsubs.push(await a.rpc.chain.subscribeFinalizedHeads((h) => setFinalized(h.number.toNumber())));
    })();
    return () => {
      stop = true;
      unsubs.forEach((u) => u());
    };
  }, [url, store]);

  const loadExtension = async (): Promise<string> => {
    const ext = await extensionAccounts().catch(() => []);
    if (ext.length === 0) return 'No browser extension account (install polkadot.js extension and allow this page).';
    setAccounts((cur) => [...cur.filter((c) => c.source !== 'extension'), ...ext]);
    return `${ext.length} extension account(s) added.`;
  };

  const value: ChainState = {
    url,
    api,
    connected,
    down,
    chain,
    specVersion,
    best,
    finalized,
    blockMs,
    accounts,
    account,
    setAccount,
    loadExtension,
    store,
    tick,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
