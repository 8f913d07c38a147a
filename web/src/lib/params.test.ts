import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, toParams } from './params';

describe('QueryParams', () => {
  it('automatic selection takes the shortest selection phase; a named coordinator the full one', () => {
    const p = toParams({ ...DEFAULT_FORM, budget: 1n });
    expect((p.phases as Record<string, number>).selecting).toBe(2);
    expect((p.phases as Record<string, number>).judging).toBe(30);
    const q = toParams({ ...DEFAULT_FORM, budget: 1n, coordinator: '5F' });
    expect((q.phases as Record<string, number>).selecting).toBe(30);
    expect(q.coordinator).toBe('5F');
  });
  it('modes as the runtime enum', () => {
    expect(toParams({ ...DEFAULT_FORM, budget: 1n }).mode).toBe('Swarm');
    expect(toParams({ ...DEFAULT_FORM, budget: 1n, mode: 'Debate', rounds: 2 }).mode).toEqual({ Debate: { rounds: 2 } });
  });
  it('shares add up to the whole budget', () => {
    const s = toParams({ ...DEFAULT_FORM, budget: 1n }).shares as Record<string, number>;
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(1_000_000_000);
  });
});
