import { describe, expect, it } from 'vitest';
import { formFromFlags, parseArgs } from './args';

describe('llmnet arguments', () => {
  it('splits the command, positionals and flags', () => {
    const a = parseArgs(['query', '--json', 'What is 6 x 7?', '--budget', '10', '--account', '//Bob']);
    expect(a.cmd).toBe('query');
    expect(a.positional).toEqual(['What is 6 x 7?']);
    expect(Object.fromEntries(a.flags)).toEqual({ json: 'true', budget: '10', account: '//Bob' });
  });
  it('builds the query form with the defaults', () => {
    const f = formFromFlags('q', 5, parseArgs(['query', 'q', '--budget', '12.5']).flags);
    expect(f).toMatchObject({ prompt: 'q', domain: 5, mode: 'Swarm', respondents: 5, phaseLen: 30, budget: 12_500_000_000_000n });
    const d = formFromFlags('q', 1, parseArgs(['query', 'q', '--mode', 'debate:2', '--respondents', '3', '--judges', '1']).flags);
    expect(d).toMatchObject({ mode: 'Debate', rounds: 2, respondents: 3, extraJudges: 1 });
    expect(formFromFlags('q', 1, new Map([['mode', 'single']])).respondents).toBe(1);
  });
  it('says which flag is wrong', () => {
    expect(() => formFromFlags('q', 1, new Map([['budget', 'ten']]))).toThrow('--budget');
    expect(() => formFromFlags('q', 1, new Map([['mode', 'chorus']]))).toThrow('--mode');
    expect(() => formFromFlags('q', 1, new Map([['respondents', '-1']]))).toThrow('--respondents');
  });
});
