import { CODE_FENCE, type Section } from './html-extract';

export interface Chunk {
  headingPath: string[];
  text: string;
  /** The section's `lang` attribute, when it differs from the page's. */
  lang?: string | null;
  /** Offsets into the page text (sections joined by a blank line). */
  start: number;
  end: number;
}

/**
 * Heading-aware chunking: a chunk never spans two sections. Inside a section, paragraphs are
 * packed up to `size` characters; a paragraph longer than `size` is cut at a sentence or word
 * boundary. Consecutive chunks of one section overlap so a sentence cut in two is still findable
 * in one piece: the next chunk starts at the last sentence start within 2 × `overlap` before the
 * cut (or `overlap` before it, on a word boundary, when no sentence starts there). A code block cut in two is
 * closed and reopened with its fence, so every chunk's code stays marked as code (such a chunk
 * can exceed `size` by the fence lines).
 */
export function chunkSections(sections: Section[], size: number, overlap: number): Chunk[] {
  const chunks: Chunk[] = [];
  let sectionStart = 0;
  for (const s of sections) {
    for (const [from, to] of splitRanges(s.text, size, overlap)) {
      const text = balanceFences(s.text, from, to);
      chunks.push({
        headingPath: s.headingPath,
        text,
        start: sectionStart + from,
        end: sectionStart + to,
        ...(s.lang ? { lang: s.lang } : {}),
      });
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
    start = overlap === 0 ? end : overlapStart(text, start, end, overlap);
  }
  return ranges;
}

/**
 * Where the chunk after [start, end) begins: at the last sentence (or line) start within twice
 * the overlap before the cut, so no chunk opens mid-sentence — answers are built from whole
 * sentences, and one cut in two was a fragment at the next chunk's head ("s, which must contain
 * …"); else `overlap` before the cut, on a word boundary. Always after `start`.
 */
function overlapStart(text: string, start: number, end: number, overlap: number): number {
  const from = Math.max(end - 2 * overlap, start + 1);
  let sentence = -1;
  for (const m of text.slice(from, end).matchAll(/(?:[.!?:;]\s+|\n\s*)(?=\S)/g))
    sentence = from + m.index + m[0].length;
  if (sentence > start && sentence < end) return sentence;
  const next = Math.max(end - overlap, start + 1);
  const space = text.indexOf(' ', next);
  return space > 0 && space < end ? space + 1 : next;
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

const FENCE_LINE = new RegExp(`^${CODE_FENCE}$`, 'gm');

/** The slice, trimmed, with a fence added where it starts or ends inside a code block. */
function balanceFences(text: string, from: number, to: number): string {
  if (!text.includes(CODE_FENCE)) return text.slice(from, to).trim();
  const before = text.slice(0, from).match(FENCE_LINE)?.length ?? 0;
  // Inside code, leading spaces are indentation.
  const slice =
    before % 2 === 1
      ? text
          .slice(from, to)
          .replace(/^\s*\n/, '')
          .trimEnd()
      : text.slice(from, to).trim();
  const inside = slice.match(FENCE_LINE)?.length ?? 0;
  let out = slice;
  // Starting inside a block: reopen it, unless the slice starts with its closing fence (then
  // that fence has nothing to close here). Ending inside one: close it, or drop a bare opening fence.
  if (before % 2 === 1)
    out = out.startsWith(CODE_FENCE) ? out.slice(CODE_FENCE.length).trimStart() : `${CODE_FENCE}\n${out}`;
  if ((before + inside) % 2 === 1)
    out = out.endsWith(CODE_FENCE) ? out.slice(0, -CODE_FENCE.length).trimEnd() : `${out}\n${CODE_FENCE}`;
  return out;
}
