import { describe, expect, it } from 'vitest';
import { bytesToText, formatBalance, formatBlocks, formatPerbill, parseBalance, phaseLabel, toBig, variant } from './format';

describe('balances', () => {
  it('reads every JSON form polkadot.js gives a u128', () => {
    expect(toBig(12)).toBe(12n);
    expect(toBig('0x0de0b6b3a7640000')).toBe(10n ** 18n);
    expect(toBig('1000000000000')).toBe(10n ** 12n);
    expect(toBig(null)).toBe(0n);
  });
  it('formats LLMN with grouping and trimmed decimals', () => {
    expect(formatBalance(1_234_500_000_000_000n)).toBe('1,234.5 LLMN');
    expect(formatBalance(10n ** 12n)).toBe('1 LLMN');
    expect(formatBalance(0n)).toBe('0 LLMN');
    expect(formatBalance(1n)).toBe('0.0001 LLMN');
    expect(formatBalance(-(5n * 10n ** 11n))).toBe('-0.5 LLMN');
    expect(formatBalance(123_456_789n * 10n ** 12n, 0, '')).toBe('123,456,789');
  });
  it('parses what a person types', () => {
    expect(parseBalance('12.5')).toBe(12_500_000_000_000n);
    expect(parseBalance('1,000 LLMN')).toBe(1000n * 10n ** 12n);
    expect(parseBalance('0.000000000001')).toBe(1n);
    expect(parseBalance('1e3')).toBeNull();
    expect(parseBalance('-1')).toBeNull();
    expect(parseBalance('')).toBeNull();
  });
});

describe('chain values', () => {
  it('perbill and blocks', () => {
    expect(formatPerbill(625_000_000)).toBe('62.5 %');
    expect(formatBlocks(1, 1000)).toBe('1 block (~1 s)');
    expect(formatBlocks(600, 6000)).toBe('600 blocks (~60 min)');
  });
  it('bytes as text, invalid UTF-8 replaced', () => {
    expect(bytesToText('0x3432')).toBe('42');
    expect(bytesToText('0xff')).toBe('\ufffd');
    expect(bytesToText('plain')).toBe('plain');
    expect(bytesToText(7)).toBe('');
  });
  it('enum variants in every JSON shape', () => {
    expect(variant('swarm')).toBe('Swarm');
    expect(variant({ debate: { rounds: 2 } })).toBe('Debate');
    expect(variant({ selecting: null })).toBe('Selecting');
    expect(phaseLabel({ debating: { round: 0 } })).toBe('Debating (round 1)');
    expect(phaseLabel({ judging: null })).toBe('Judging');
    expect(phaseLabel({ revealingJudgements: null })).toBe('Revealing judgements');
    expect(phaseLabel('RevealingJudgements')).toBe('Revealing judgements');
  });
});
