import { HL_START as S, HL_STOP as E, parseHeadline } from './snippet';

describe('parseHeadline', () => {
  it('returns plain text and the ranges of the highlighted terms', () => {
    const r = parseHeadline(`Use ${S}list${E}.${S}reverse${E}() to ${S}reverse${E} it ¶`);
    expect(r.snippet).toBe('Use list.reverse() to reverse it');
    expect(r.highlights.map((h) => r.snippet.slice(h.start, h.end))).toEqual(['list', 'reverse', 'reverse']);
  });

  it('merges adjacent highlighted words and drops code fences, keeping literal asterisks as text', () => {
    const r = parseHeadline(`a ${S}context${E} ${S}manager${E} **not markup**\n\`\`\`\nwith x:\n\`\`\``);
    expect(r.snippet).toBe('a context manager **not markup** with x:');
    expect(r.highlights).toEqual([{ start: 2, end: 17 }]);
  });
});
