import { useEffect, useState } from 'react';
import { useChain } from './ChainContext';
import { Ask } from './views/Ask';
import { QueryPage } from './views/QueryPage';
import { Providers } from './views/Providers';
import { ProviderPage } from './views/ProviderPage';
import { Delegate } from './views/Delegate';
import { Tasks } from './views/Tasks';

/** `#/query/7` -> `['query', '7']`. */
function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const f = () => setRoute(read());
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return route;
}

const TABS: [string, string][] = [
  ['ask', 'Ask'],
  ['queries', 'Queries'],
  ['providers', 'Providers'],
  ['delegate', 'Delegate'],
  ['tasks', 'Tasks'],
];

export function App() {
  const route = useRoute();
  const page = route[0] ?? 'ask';
  return (
    <div className="app">
      <header>
        <h1>LLM-Net</h1>
        <nav>
          {TABS.map(([id, label]) => (
            <a key={id} href={`#/${id}`} className={page === id || (page === 'query' && id === 'queries') || (page === 'provider' && id === 'providers') ? 'active' : ''} data-testid={`tab-${id}`}>
              {label}
            </a>
          ))}
        </nav>
        <AccountPicker />
        <Status />
      </header>
      <main>
        {page === 'ask' && <Ask />}
        {page === 'queries' && <QueryPage id={null} />}
        {page === 'query' && <QueryPage id={Number(route[1])} />}
        {page === 'providers' && <Providers />}
        {page === 'provider' && route[1] && <ProviderPage address={route[1]} />}
        {page === 'delegate' && <Delegate />}
        {page === 'tasks' && <Tasks />}
      </main>
    </div>
  );
}

function Status() {
  const c = useChain();
  const state = c.connected && c.api ? 'connected' : c.down && !c.connected ? 'disconnected' : 'connecting';
  return (
    <div className={`status ${state}`} data-testid="status" title={c.url}>
      <span className="dot" /> {state === 'connected' ? c.chain : state === 'disconnected' ? `disconnected from ${c.url}, retrying` : state} · spec {c.specVersion || '–'} · best{' '}
      <span data-testid="best">#{c.best}</span> · finalized <span data-testid="finalized">#{c.finalized}</span>
    </div>
  );
}

function AccountPicker() {
  const c = useChain();
  const [msg, setMsg] = useState('');
  return (
    <div className="account">
      <select
        data-testid="account"
        value={c.account?.address ?? ''}
        onChange={(e) => c.setAccount(c.accounts.find((a) => a.address === e.target.value) ?? null)}
      >
        {c.accounts.length === 0 && <option value="">no account</option>}
        {c.accounts.map((a) => (
          <option key={a.address} value={a.address}>
            {a.name} ({a.source})
          </option>
        ))}
      </select>
      <button type="button" onClick={async () => setMsg(await c.loadExtension())} title="Accounts of the polkadot.js extension">
        Extension
      </button>
      {msg && <small>{msg}</small>}
    </div>
  );
}
