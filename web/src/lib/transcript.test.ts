import { describe, expect, it } from 'vitest';
import { buildTranscript, finalAnswers, payoutsByAccount, tally, type ChainEvent } from './transcript';

const QC = 'llmnetQueryContracts';
const ev = (block: number, phase: string, section: string, method: string, data: Record<string, unknown>): ChainEvent => ({ block, phase, section, method, data });
const hex = (s: string) => '0x' + [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');

// Query 7 (Bob, Charlie, Dave answer; Dave revises in the debate) interleaved with query 8,
// settled in the same block's hook as query 8, with a validation task's event in between.
const events: ChainEvent[] = [
  ev(10, 'x1', QC, 'QueryCreated', { query: 7, requester: 'Alice', domain: 5, mode: { debate: { rounds: 1 } }, budget: '0x056bc75e2d63100000', prompt: hex('What is 6 x 7?'), deadline: 12, fee: 1000 }),
  ev(10, 'x2', QC, 'QueryCreated', { query: 8, requester: 'Bob', domain: 5, mode: 'Swarm', budget: 5, prompt: hex('other'), deadline: 12, fee: 0 }),
  ev(12, 'init', QC, 'RespondentsSelected', { query: 7, by: null, respondents: ['Bob', 'Charlie', 'Dave'], rationale: '0x' }),
  ev(12, 'init', QC, 'PhaseChanged', { query: 7, phase: { committing: null }, deadline: 42 }),
  ev(13, 'x1', QC, 'AnswerCommitted', { query: 7, who: 'Bob', commitment: '0x00' }),
  ev(13, 'x2', QC, 'AnswerCommitted', { query: 8, who: 'Eve', commitment: '0x00' }),
  ev(15, 'x1', QC, 'AnswerRevealed', { query: 7, who: 'Bob', answer: hex('42') }),
  ev(15, 'x2', QC, 'AnswerRevealed', { query: 7, who: 'Charlie', answer: hex('42') }),
  ev(15, 'x3', QC, 'AnswerRevealed', { query: 7, who: 'Dave', answer: hex('41') }),
  ev(17, 'x3', QC, 'DebatePosted', { query: 7, round: 0, who: 'Dave', message: hex('I was wrong'), revisedAnswer: hex('42.'), agrees: true }),
  ev(18, 'x1', QC, 'JudgementCommitted', { query: 7, judge: 'Bob', commitment: '0x00' }),
  ev(18, 'x2', QC, 'JudgementCommitted', { query: 8, judge: 'Eve', commitment: '0x00' }),
  ev(19, 'x1', QC, 'Judged', {
    query: 7,
    judge: 'Bob',
    comparisons: [
      { a: 0, b: 1, outcome: 'A', justification: hex('6 x 7 = 42') },
      { a: 1, b: 0, outcome: { tie: null }, justification: hex('unsure') },
    ],
  }),
  ev(21, 'final', QC, 'ConsensusReached', { query: 7, candidate: 0, answer: hex('42'), scores: [750_000_000, 250_000_000], majority: 0, iterations: 9 }),
  ev(21, 'final', QC, 'Paid', { query: 7, who: 'Bob', role: 'Answer', amount: 30 }),
  ev(21, 'final', QC, 'Paid', { query: 7, who: 'Bob', role: { judge: null }, amount: 12 }),
  ev(21, 'final', 'llmnetReputation', 'ReputationUpdated', { who: 'Bob', domain: 5, kind: 'Answer', observation: 1_000_000_000, old: 500_000_000, new: 600_000_000, observations: 1 }),
  ev(21, 'final', 'llmnetStaking', 'Rewarded', { node: 'Bob', amount: 30 }),
  ev(21, 'final', QC, 'QuerySettled', { query: 7, paid: 42, refunded: 58, transcript: '0x01' }),
  ev(21, 'final', QC, 'Paid', { query: 8, who: 'Eve', role: 'Answer', amount: 5 }),
  ev(21, 'final', 'llmnetReputation', 'ReputationUpdated', { who: 'Eve', domain: 5, kind: 'Answer', observation: 0, old: 500_000_000, new: 450_000_000, observations: 1 }),
  ev(21, 'final', 'llmnetValidation', 'RoundClosed', { task: 1 }),
  ev(21, 'final', 'llmnetReputation', 'ReputationUpdated', { who: 'Ferdie', domain: 5, kind: 'Judgement', observation: 0, old: 1, new: 1, observations: 1 }),
  // A reputation event in another extrinsic than query 7's last event is not query 7's.
  ev(22, 'x1', QC, 'AnswerCommitted', { query: 7, who: 'late', commitment: '0x00' }),
  ev(22, 'x2', 'llmnetReputation', 'ReputationUpdated', { who: 'Zed', domain: 5, kind: 'Answer', observation: 0, old: 1, new: 1, observations: 1 }),
];

describe('buildTranscript', () => {
  // Blocks in any order (here newest first), events in order within each block.
  const t = buildTranscript(7, [...events].sort((a, b) => b.block - a.block));
  it('keeps the query\'s own events and nothing of the other query', () => {
    expect(t.created?.prompt).toBe('What is 6 x 7?');
    expect(t.created?.budget).toBe(100n * 10n ** 18n);
    expect(t.created?.mode).toBe('Debate');
    expect(t.commits.map((c) => c.who)).toEqual(['Bob', 'late']);
    expect(t.judgementCommits.map((c) => c.who)).toEqual(['Bob']);
    expect(t.answers.map((a) => `${a.who}:${a.answer}`)).toEqual(['Bob:42', 'Charlie:42', 'Dave:41']);
    expect(t.payments.map((p) => p.who)).toEqual(['Bob', 'Bob']);
    expect(t.end).toEqual({ block: 21, kind: 'Settled', paid: 42n, refunded: 58n });
    expect(t.blocks).toEqual([10, 22]);
  });
  it('attributes reputation and staking events to the query being settled, and only to it', () => {
    expect(t.reputation.map((r) => r.who)).toEqual(['Bob']);
    expect(t.staking.map((s) => s.method)).toEqual(['Rewarded']);
    const other = buildTranscript(8, events);
    expect(other.reputation.map((r) => r.who)).toEqual(['Eve']);
  });
  it('reads judgements, the debate and the consensus', () => {
    expect(t.judgements[0].comparisons).toEqual([
      { a: 0, b: 1, outcome: 'A', justification: '6 x 7 = 42' },
      { a: 1, b: 0, outcome: 'Tie', justification: 'unsure' },
    ]);
    expect(t.debate[0]).toMatchObject({ round: 0, who: 'Dave', revised: '42.', agrees: true });
    expect(t.consensus).toMatchObject({ candidate: 0, answer: '42', scores: [750_000_000, 250_000_000], iterations: 9 });
    expect(t.phases[0].phase).toEqual({ committing: null });
    expect(t.selected?.respondents).toEqual(['Bob', 'Charlie', 'Dave']);
  });
  it('derives final answers, payouts and the raw tally', () => {
    expect([...finalAnswers(t).entries()]).toEqual([
      ['Bob', '42'],
      ['Charlie', '42'],
      ['Dave', '42.'],
    ]);
    expect(payoutsByAccount(t)).toEqual([{ who: 'Bob', roles: ['Answer', 'Judge'], amount: 42n }]);
    expect(tally(t, 2)).toEqual({ wins: [1.5, 0.5], comparisons: [2, 2] });
  });
  it('is empty for a query without events', () => {
    const none = buildTranscript(99, events);
    expect(none.blocks).toBeNull();
    expect(none.answers).toEqual([]);
  });
});
