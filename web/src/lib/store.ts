// Events the app has seen, per block: filled live from the best chain and, for older blocks,
// on demand (a query page asks for the blocks of its query). A pruned node refuses old
// blocks' state ("State already discarded"); those blocks are remembered as unavailable.

import { eventsAt, type Api } from './chain';
import type { ChainEvent } from './transcript';

export class EventStore {
  private blocks = new Map<number, ChainEvent[]>();
  private missing = new Map<number, string>();
  private listeners = new Set<() => void>();
  /** Blocks kept at most (the oldest are dropped first). */
  constructor(private readonly capacity = 5_000) {}

  put(block: number, events: ChainEvent[]): void {
    this.blocks.set(block, events);
    this.missing.delete(block);
    if (this.blocks.size > this.capacity) {
      const oldest = Math.min(...this.blocks.keys());
      this.blocks.delete(oldest);
    }
    this.notify();
  }

  /** Why blocks in `[from, to]` could not be read, if any could not. */
  unavailable(from: number, to: number): string | null {
    for (const [b, why] of this.missing) if (b >= from && b <= to) return why;
    return null;
  }

  /** Every event in blocks `[from, to]` that the store holds, in block order. */
  range(from: number, to: number): ChainEvent[] {
    const out: ChainEvent[] = [];
    for (let b = from; b <= to; b++) {
      const e = this.blocks.get(b);
      if (e) out.push(...e);
    }
    return out;
  }

  /** Every event held that matches `pred`. */
  filter(pred: (e: ChainEvent) => boolean): ChainEvent[] {
    const keys = [...this.blocks.keys()].sort((a, b) => a - b);
    return keys.flatMap((k) => (this.blocks.get(k) ?? []).filter(pred));
  }

  /** Reads the blocks of `[from, to]` it does not hold yet (at most `limit` of them). */
  async load(api: Api, from: number, to: number, limit = 400): Promise<void> {
    const want: number[] = [];
    for (let b = Math.max(from, to - limit + 1); b <= to; b++) if (!this.blocks.has(b) && !this.missing.has(b)) want.push(b);
    for (const b of want) {
      try {
        this.blocks.set(b, await eventsAt(api, b));
      } catch (e) {
        this.missing.set(b, e instanceof Error ? e.message : String(e));
      }
    }
    if (want.length) this.notify();
  }

  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private notify(): void {
    for (const f of this.listeners) f();
  }
}
