import fc from 'fast-check';
import { formatApiKey, newApiKeyPrefix, newApiKeySecret, parseApiKey } from './api-key-format';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

describe('API key format', () => {
  it('parses what it formats (round trip)', () => {
    fc.assert(
      fc.property(hex(12), hex(64), (prefix, secret) => {
        expect(parseApiKey(formatApiKey(prefix, secret))).toEqual({ prefix, secret });
      }),
    );
  });

  it('generated keys are well-formed', () => {
    for (let i = 0; i < 50; i++) expect(parseApiKey(formatApiKey(newApiKeyPrefix(), newApiKeySecret()))).not.toBeNull();
  });

  it('rejects anything else without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = parseApiKey(value);
        if (parsed !== null) expect(formatApiKey(parsed.prefix, parsed.secret)).toBe(value);
      }),
    );
  });

  it('rejects any single-character change to the structure', () => {
    fc.assert(
      fc.property(
        hex(12),
        hex(64),
        fc.nat(80),
        fc.constantFrom('_', 'G', 'A', ' ', '-', ''),
        (prefix, secret, pos, ch) => {
          const key = formatApiKey(prefix, secret);
          const mutated = key.slice(0, pos) + ch + key.slice(pos + 1);
          if (mutated !== key) expect(parseApiKey(mutated)).toBeNull();
        },
      ),
    );
  });

  it('rejects wrong lengths, case and prefixes', () => {
    const k = formatApiKey('a'.repeat(12), 'b'.repeat(64));
    for (const bad of [k + 'a', k.slice(0, -1), k.toUpperCase(), k.replace('nxk_', 'nxx_'), ` ${k}`, `${k}\n`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });
});
