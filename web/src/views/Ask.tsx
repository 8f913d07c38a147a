import { useEffect, useState } from 'react';
import { useChain } from '../ChainContext';
import { explainError } from '../lib/chain';
import { bytesToText, formatBalance, parseBalance, toBig, type Raw } from '../lib/format';
import { DEFAULT_FORM, toParams, type AskForm } from '../lib/params';
import type { DispatchError } from '@polkadot/types/interfaces';
import { Addr, TxButton, useLoad } from './common';

interface DomainView {
  id: number;
  name: string;
  active: boolean;
}

/** Keeps `domain` one the chain has: the first active one when it is not (domain 5, `general`, is the dev preset's). */
export function useValidDomain(domains: DomainView[], domain: number, set: (d: number) => void): void {
  useEffect(() => {
    if (domains.length && !domains.some((d) => d.id === domain)) set((domains.find((d) => d.active) ?? domains[0]).id);
  }, [domains, domain, set]);
}

/** The domains the chain knows (`LlmnetStakingApi.domains`). */
export function useDomains(): DomainView[] {
  const c = useChain();
  const { data } = useLoad(async () => {
    const v = (await c.api!.call.llmnetStakingApi.domains()).toJSON() as { id: number; name: string; active: boolean }[];
    return v.map((d) => ({ id: d.id, name: bytesToText(d.name), active: d.active }));
  }, []);
  return data ?? [];
}

export function Ask() {
  const c = useChain();
  const domains = useDomains();
  const [f, setF] = useState<Omit<AskForm, 'budget'>>(DEFAULT_FORM);
  const [budgetText, setBudgetText] = useState('100');
  const [quote, setQuote] = useState<{ ok: boolean; text: string; rows?: [string, bigint][]; fee?: bigint; deposit?: bigint; answerPay?: bigint; within?: number; counts?: boolean } | null>(null);
  const budget = parseBalance(budgetText);
  const form: AskForm | null = budget === null ? null : { ...f, budget };
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  useValidDomain(domains, f.domain, (d) => set('domain', d));

  // Every provider of the domain with its price list (`terms`): what the requester is choosing from.
  const prices = useLoad(async () => {
    const api = c.api!;
    const nodes = (await api.call.llmnetStakingApi.nodesInDomain(f.domain, 0, 50)).toJSON() as { account: string; roles: { provider: boolean } }[];
    const out: { account: string; answer: bigint; comparison: bigint; validation: bigint; minPhase: number }[] = [];
    for (const n of nodes.filter((n) => n.roles.provider)) {
      const [inForce] = (await api.call.llmnetQueryApi.terms(n.account, f.domain)).toJSON() as [Record<string, Raw>, unknown];
      out.push({ account: n.account, answer: toBig(inForce.answer), comparison: toBig(inForce.comparison), validation: toBig(inForce.validation), minPhase: Number(inForce.minPhase) });
    }
    return out;
  }, [f.domain]);

  const getQuote = async () => {
    if (!c.api || !c.account || !form) return;
    const r = await c.api.call.llmnetQueryApi.quote(c.account.address, form.domain, toParams(form), form.budget);
    const res = r as unknown as { isErr: boolean; asErr: DispatchError; asOk: { toJSON(): Record<string, unknown> } };
    if (res.isErr) {
      setQuote({ ok: false, text: explainError(c.api, res.asErr) });
      return;
    }
    const q = res.asOk.toJSON();
    setQuote({
      ok: true,
      text: 'quote',
      rows: (q.respondents as [string, Raw][]).map(([a, p]) => [a, toBig(p)]),
      fee: toBig(q.fee as Raw),
      deposit: toBig(q.deposit as Raw),
      answerPay: toBig(q.answerPay as Raw),
      within: Number(q.withinTerms),
      counts: Boolean(q.countsForReputation),
    });
  };

  return (
    <section>
      <h2>Ask the network</h2>
      <form className="ask" onSubmit={(e) => e.preventDefault()}>
        <label>
          Domain
          <select data-testid="ask-domain" value={f.domain} onChange={(e) => set('domain', Number(e.target.value))}>
            {domains.map((d) => (
              <option key={d.id} value={d.id} disabled={!d.active}>
                {d.name} ({d.id})
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          Prompt
          <textarea data-testid="ask-prompt" rows={3} value={f.prompt} onChange={(e) => set('prompt', e.target.value)} />
        </label>
        <label>
          Mode
          <select data-testid="ask-mode" value={f.mode} onChange={(e) => set('mode', e.target.value as AskForm['mode'])}>
            <option>Single</option>
            <option>Swarm</option>
            <option>Debate</option>
          </select>
        </label>
        {f.mode === 'Debate' && (
          <label>
            Rounds
            <input type="number" min={1} value={f.rounds} onChange={(e) => set('rounds', Number(e.target.value))} />
          </label>
        )}
        <label>
          Respondents
          <input data-testid="ask-respondents" type="number" min={1} value={f.respondents} onChange={(e) => set('respondents', Number(e.target.value))} />
        </label>
        <label>
          Extra judges (drawn by stake)
          <input type="number" min={0} value={f.extraJudges} onChange={(e) => set('extraJudges', Number(e.target.value))} />
        </label>
        <label>
          Validators
          <input type="number" min={0} value={f.validators} onChange={(e) => set('validators', Number(e.target.value))} />
        </label>
        <label>
          Phase length (blocks)
          <input type="number" min={2} value={f.phaseLen} onChange={(e) => set('phaseLen', Number(e.target.value))} />
        </label>
        <label>
          Aggregation
          <select value={f.aggregation} onChange={(e) => set('aggregation', e.target.value as AskForm['aggregation'])}>
            <option value="BradleyTerry">Bradley-Terry</option>
            <option value="MajorityVote">Majority vote</option>
          </select>
        </label>
        <label>
          Budget (LLMN)
          <input data-testid="ask-budget" value={budgetText} onChange={(e) => setBudgetText(e.target.value)} />
          {budget === null && <small className="err">not an amount</small>}
        </label>
        <div className="actions">
          <button type="button" data-testid="ask-quote" onClick={getQuote} disabled={!form}>
            Quote
          </button>
          <TxButton
            label="Create query"
            testid="ask-submit"
            disabled={!form}
            make={() => (form && c.api ? c.api.tx.llmnetQueryContracts.createQuery(form.domain, form.prompt, toParams(form), form.budget) : null)}
            onDone={(o) => {
              const ev = o.events.find((e) => e.section === 'llmnetQueryContracts' && e.method === 'QueryCreated');
              if (ev) window.location.hash = `#/query/${String(ev.data.query)}`;
            }}
          />
        </div>
      </form>
      {quote && (
        <div className={`quote ${quote.ok ? '' : 'err'}`} data-testid="quote">
          {!quote.ok ? (
            <p role="alert">{quote.text}</p>
          ) : (
            <>
              <p>
                Pay per answer {formatBalance(quote.answerPay ?? 0n)}; {quote.within} provider(s) within their terms; protocol fee {formatBalance(quote.fee ?? 0n)};
                deposit {formatBalance(quote.deposit ?? 0n)}; {quote.counts ? 'counts for reputation' : 'below the reputation floor (does not count for reputation)'}.
              </p>
              <table>
                <thead>
                  <tr>
                    <th>likely respondent</th>
                    <th>price</th>
                  </tr>
                </thead>
                <tbody>
                  {quote.rows?.map(([a, p]) => (
                    <tr key={a}>
                      <td>
                        <Addr a={a} />
                      </td>
                      <td>{formatBalance(p)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
      <h3>Providers of this domain and their prices</h3>
      {prices.error && <p className="err">{prices.error}</p>}
      <table data-testid="prices">
        <thead>
          <tr>
            <th>provider</th>
            <th>per answer</th>
            <th>per comparison</th>
            <th>per validation</th>
            <th>shortest phase</th>
          </tr>
        </thead>
        <tbody>
          {(prices.data ?? []).map((p) => (
            <tr key={p.account}>
              <td>
                <Addr a={p.account} />
              </td>
              <td>{formatBalance(p.answer)}</td>
              <td>{formatBalance(p.comparison)}</td>
              <td>{formatBalance(p.validation)}</td>
              <td>{p.minPhase} blocks</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
