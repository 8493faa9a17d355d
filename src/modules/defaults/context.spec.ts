import fc from 'fast-check';
import { canonicalContext, ContextError, MAX_CONTEXT_ATTRIBUTES, parseContext, splitCanonical } from './context';

const name = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/);
const value = fc.stringMatching(/^[A-Za-z0-9_.:@/+-]{1,12}$/);
const attrSet = fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: MAX_CONTEXT_ATTRIBUTES });

function randomCase(s: string, mask: number): string {
  return [...s].map((c, i) => ((mask >> i % 31) & 1 ? c.toUpperCase() : c)).join('');
}

describe('context canonicalisation', () => {
  it('gives one canonical form for any order, name casing, spacing and spelling (object or string) of the same set', () => {
    fc.assert(
      fc.property(
        attrSet,
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.boolean(),
        fc.context(),
        (attrs, mask, trailing, ctx) => {
          const expected = canonicalContext(Object.fromEntries(attrs));
          const shuffled = [...attrs].sort(() => (mask & 1 ? 1 : -1)).reverse();
          const asString =
            shuffled.map(([n, v]) => ` ${randomCase(n, mask)} = ${v} `).join(';') + (trailing ? ';' : '');
          const asObject = Object.fromEntries(shuffled.map(([n, v]) => [randomCase(n, mask >> 3), v]));
          ctx.log(asString);
          expect(canonicalContext(asString)).toBe(expected);
          expect(canonicalContext(asObject)).toBe(expected);
        },
      ),
    );
  });

  it('is idempotent and sorted, and round-trips through the stored form', () => {
    fc.assert(
      fc.property(attrSet, (attrs) => {
        const c = canonicalContext(Object.fromEntries(attrs));
        expect(canonicalContext(c)).toBe(c);
        const names = splitCanonical(c).map(([n]) => n);
        expect(names).toEqual([...names].sort());
        expect(splitCanonical(c)).toEqual(parseContext(c));
      }),
    );
  });

  it('treats an empty string, empty object and nothing as the global context', () => {
    expect(canonicalContext('')).toBe('');
    expect(canonicalContext({})).toBe('');
    expect(canonicalContext(undefined)).toBe('');
    expect(canonicalContext(' ; ')).toBe('');
  });

  it.each([
    ['team', 'not name=value'],
    ['team=ops;Team=dev', 'the same name twice in another case'],
    ['1team=ops', 'a name starting with a digit'],
    ['team=o ps', 'a space inside a value'],
    ['team=', 'an empty value'],
    ['team=a=b', 'an = inside a value'],
  ])('rejects %s (%s)', (input) => {
    expect(() => parseContext(input)).toThrow(ContextError);
  });

  it('rejects non-string values, arrays and more than the attribute limit', () => {
    expect(() => parseContext({ team: 3 })).toThrow(ContextError);
    expect(() => parseContext([] as unknown as string)).toThrow(ContextError);
    const many = Object.fromEntries(Array.from({ length: MAX_CONTEXT_ATTRIBUTES + 1 }, (_, i) => [`a${i}`, 'x']));
    expect(() => parseContext(many)).toThrow(ContextError);
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const c = canonicalContext(s);
          expect(canonicalContext(c)).toBe(c);
        } catch (err) {
          expect(err).toBeInstanceOf(ContextError);
        }
      }),
    );
  });
});
