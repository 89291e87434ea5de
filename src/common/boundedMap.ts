/**
 * A Map that keeps the most recently used entries only: at most `maxEntries`, and at most `maxWeight`
 * in total by `weigh` (e.g. a text's length, a history's events). The entries just set are always
 * kept, however heavy: they are what the user asked for a moment ago. No `vscode` import (pure).
 */
interface BoundedMapLimits<V> {
  maxEntries: number;
  maxWeight?: number;
  weigh?: (value: V) => number;
}

export class BoundedMap<K, V> {
  /** Oldest use first: a Map iterates in insertion order, and a use re-inserts. */
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;

  constructor(private readonly limits: BoundedMapLimits<V>) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Sets `value` as the most recently used, then evicts the least recently used beyond the limits. */
  set(key: K, value: V): void {
    this.setAll([[key, value]]);
  }

  /** Sets every entry (the last the most recent), then evicts beyond the limits, never one of these. */
  setAll(entries: readonly (readonly [K, V])[]): void {
    for (const [key, value] of entries) {
      this.delete(key);
      const weight = this.limits.weigh?.(value) ?? 0;
      this.entries.set(key, { value, weight });
      this.weight += weight;
    }
    const fresh = new Set(entries.map(([key]) => key)).size;
    const maxWeight = this.limits.maxWeight ?? Infinity;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= fresh || (this.entries.size <= this.limits.maxEntries && this.weight <= maxWeight)) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.weight -= entry.weight;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }
}
