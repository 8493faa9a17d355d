/**
 * Key prefixes recently found to belong to no key, in process memory. A flood of well-formed
 * random keys otherwise costs a cache miss and a database query each; with this, a repeated
 * unknown prefix costs nothing. Short-lived and bounded (oldest entry evicted), so memory stays
 * flat under a flood of distinct prefixes; a new key's prefix is random (48 bits), so it being
 * listed here on another instance would need someone to have guessed it just before.
 */
export class UnknownPrefixCache {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs = 30000,
    private readonly maxEntries = 10000,
  ) {}

  has(prefix: string, now = Date.now()): boolean {
    const t = this.until.get(prefix);
    if (t === undefined) return false;
    if (t > now) return true;
    this.until.delete(prefix);
    return false;
  }

  add(prefix: string, now = Date.now()): void {
    this.until.delete(prefix);
    if (this.until.size >= this.maxEntries) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
    this.until.set(prefix, now + this.ttlMs);
  }

  delete(prefix: string): void {
    this.until.delete(prefix);
  }

  get size(): number {
    return this.until.size;
  }
}
