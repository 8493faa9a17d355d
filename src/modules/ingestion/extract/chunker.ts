import type { Section } from './html-extract';

export interface Chunk {
  headingPath: string[];
  text: string;
  /** Offsets into the page text (sections joined by a blank line). */
  start: number;
  end: number;
}

/**
 * Heading-aware chunking: a chunk never spans two sections. Inside a section, paragraphs are
 * packed up to `size` characters; a paragraph longer than `size` is cut at a sentence or word
 * boundary. Consecutive chunks of one section repeat the last `overlap` characters (from a word
 * boundary) so a sentence cut in two is still findable in one piece.
 */
export function chunkSections(sections: Section[], size: number, overlap: number): Chunk[] {
  const chunks: Chunk[] = [];
  let sectionStart = 0;
  for (const s of sections) {
    for (const [from, to] of splitRanges(s.text, size, overlap)) {
      chunks.push({ headingPath: s.headingPath, text: s.text.slice(from, to).trim(), start: sectionStart + from, end: sectionStart + to });
    }
    sectionStart += s.text.length + 2;
  }
  return chunks.filter((c) => c.text.length > 0);
}

function splitRanges(text: string, size: number, overlap: number): [number, number][] {
  if (text.length <= size) return [[0, text.length]];
  const ranges: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) end = breakPoint(text, start, end);
    ranges.push([start, end]);
    if (end >= text.length) break;
    let next = Math.max(end - overlap, start + 1);
    // Start the overlap on a word boundary.
    const space = text.indexOf(' ', next);
    if (overlap > 0 && space > 0 && space < end) next = space + 1;
    else if (overlap === 0) next = end;
    start = next;
  }
  return ranges;
}

/** Best cut before `end`: paragraph, then sentence, then word; never in the first half. */
function breakPoint(text: string, start: number, end: number): number {
  const min = start + Math.floor((end - start) / 2);
  const window = text.slice(min, end);
  for (const re of [/\n\n(?![\s\S]*\n\n)/, /\n(?![\s\S]*\n)/, /[.!?](\s)(?![\s\S]*[.!?]\s)/, /\s(?![\s\S]*\s)/]) {
    const m = re.exec(window);
    if (m) return min + m.index + m[0].length;
  }
  return end;
}
