import { jsonDepthExceeds } from './json-depth';

const nest = (depth: number, arrays = false): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
};

describe('jsonDepthExceeds', () => {
  it('counts the top-level object as depth 1', () => {
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: {} }, 1)).toBe(true);
    expect(jsonDepthExceeds(nest(32), 32)).toBe(false);
    expect(jsonDepthExceeds(nest(33, true), 32)).toBe(true);
  });

  it('handles nesting far beyond the call stack without recursion', () => {
    expect(jsonDepthExceeds(nest(200_000), 32)).toBe(true);
  });

  it('looks at every branch, not just the first', () => {
    expect(jsonDepthExceeds({ a: 1, b: [{ c: 2 }], d: { e: nest(40) } }, 32)).toBe(true);
    expect(jsonDepthExceeds({ a: [1, 2, { b: null }], c: 'x' }, 32)).toBe(false);
  });
});
