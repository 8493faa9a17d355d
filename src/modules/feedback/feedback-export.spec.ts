import fc from 'fast-check';
import { csvField } from './feedback-export';
import { metadataProblem, sanitizeMetadata, stripControl } from './sanitize';

/** Minimal RFC 4180 reader for one quoted field. */
function unquote(field: string): string {
  expect(field.startsWith('"') && field.endsWith('"')).toBe(true);
  return field.slice(1, -1).replace(/""/g, '"');
}

describe('csvField', () => {
  it('quotes every field and doubles quotes, keeping commas and newlines inside', () => {
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('"3"');
    expect(csvField({ k: 'v' })).toBe('"{""k"":""v""}"');
    expect(csvField(new Date('2027-01-02T03:04:05.000Z'))).toBe('"2027-01-02T03:04:05.000Z"');
  });

  it('defuses spreadsheet formulas with a leading apostrophe', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(unquote(csvField(s))).toBe(`'${s}`);
    expect(unquote(csvField('a=1'))).toBe('a=1');
  });

  it('round-trips any text (apart from the formula guard)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const back = unquote(csvField(s));
        expect(back).toBe(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      }),
    );
  });
});

describe('feedback sanitising', () => {
  it('strips C0/C1 control characters but keeps tab, newline, carriage return and other text', () => {
    expect(stripControl('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh\ri 😀 \u202e')).toBe('abcdef\tg\nh\ri 😀 \u202e');
    expect(stripControl(5)).toBe(5);
    expect(sanitizeMetadata({ 'a\u0001': 'b\u0002', n: 1 })).toEqual({ a: 'b', n: 1 });
    expect(sanitizeMetadata([1])).toEqual([1]);
  });

  it('accepts flat metadata within limits and explains every refusal', () => {
    expect(metadataProblem({ a: 'x'.repeat(1000), b: 1.5, c: false })).toBeNull();
    expect(metadataProblem(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])))).toBeNull();
    expect(metadataProblem(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])))).toMatch(
      /at most 50/,
    );
    expect(metadataProblem({ a: 'x'.repeat(1001) })).toMatch(/longer than 1000/);
    expect(metadataProblem({ ['k'.repeat(1001)]: 1 })).toMatch(/keys/);
    expect(metadataProblem({ a: { b: 1 } })).toMatch(/string, number or boolean/);
    expect(metadataProblem({ a: null })).toMatch(/string, number or boolean/);
    expect(metadataProblem([])).toMatch(/flat JSON object/);
    expect(metadataProblem('x')).toMatch(/flat JSON object/);
  });
});
