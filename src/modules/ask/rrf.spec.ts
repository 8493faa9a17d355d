import { reciprocalRankFusion } from './rrf';

describe('reciprocalRankFusion', () => {
  it('scores each id by the sum of 1/(k + rank) over the rankings it is in', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'd'],
      ],
      60,
    );
    const score = Object.fromEntries(fused.map((f) => [f.id, f.score]));
    expect(score.a).toBeCloseTo(1 / 61, 12);
    expect(score.b).toBeCloseTo(1 / 62, 12);
    expect(score.c).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(score.d).toBeCloseTo(1 / 62, 12);
    expect(fused.map((f) => f.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('puts an item found by both rankings above items first in only one', () => {
    const fused = reciprocalRankFusion([
      ['ft1', 'both'],
      ['vec1', 'both'],
    ]);
    expect(fused[0].id).toBe('both');
  });

  it('breaks ties in favour of the first ranking', () => {
    expect(reciprocalRankFusion([['x'], ['y']]).map((f) => f.id)).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([['y'], ['x']]).map((f) => f.id)).toEqual(['y', 'x']);
  });

  it('counts an id listed twice in one ranking once, at its best rank', () => {
    const [only] = reciprocalRankFusion([['a', 'a', 'a']], 10);
    expect(only).toEqual({ id: 'a', score: 1 / 11 });
  });

  it('a smaller k lets the top ranks weigh more', () => {
    // 'a' is first in one ranking; 'b' is third in both.
    const rankings = [
      ['a', 'x', 'b'],
      ['y', 'z', 'b'],
    ];
    expect(reciprocalRankFusion(rankings, 60)[0].id).toBe('b');
    expect(reciprocalRankFusion(rankings, 1)[0].id).toBe('a');
  });

  it('returns nothing for no rankings, and one ranking unchanged in order', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([['q', 'r', 's']]).map((f) => f.id)).toEqual(['q', 'r', 's']);
  });
});
