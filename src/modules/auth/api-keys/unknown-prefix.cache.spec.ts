import { UnknownPrefixCache } from './unknown-prefix.cache';

describe('UnknownPrefixCache', () => {
  it('remembers a prefix for its TTL only', () => {
    const c = new UnknownPrefixCache(1000, 10);
    c.add('aaaaaaaaaaaa', 0);
    expect(c.has('aaaaaaaaaaaa', 999)).toBe(true);
    expect(c.has('aaaaaaaaaaaa', 1000)).toBe(false);
    expect(c.size).toBe(0);
  });

  it('stays bounded under a flood of distinct prefixes, evicting the oldest', () => {
    const c = new UnknownPrefixCache(60000, 3);
    for (let i = 0; i < 1000; i++) c.add(`p${i}`, 0);
    expect(c.size).toBe(3);
    expect(c.has('p999', 1)).toBe(true);
    expect(c.has('p0', 1)).toBe(false);
  });

  it('forgets a prefix when a key is created with it', () => {
    const c = new UnknownPrefixCache();
    c.add('bbbbbbbbbbbb');
    c.delete('bbbbbbbbbbbb');
    expect(c.has('bbbbbbbbbbbb')).toBe(false);
  });
});
