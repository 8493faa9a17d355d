/** A highlighted range of a snippet: [start, end) in UTF-16 code units, as JavaScript strings index. */
export interface Highlight {
  start: number;
  end: number;
}

/** ts_headline's markers: private-use characters, which never occur in extracted text. */
export const HL_START = '\uE002';
export const HL_STOP = '\uE003';

/**
 * ts_headline output → plain text and highlight ranges: no markup in the text, so a client
 * renders the highlights its own way (and cannot be fooled by `**` in the page). Code fences and
 * permalink signs are layout, not excerpt; whitespace is collapsed.
 */
export function parseHeadline(raw: string): { snippet: string; highlights: Highlight[] } {
  const clean = raw
    .replace(/```/g, ' ')
    .replace(/¶/g, '')
    .replace(/[\uE000\uE001]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  let snippet = '';
  const highlights: Highlight[] = [];
  let open = -1;
  for (const ch of clean) {
    if (ch === HL_START) open = snippet.length;
    else if (ch === HL_STOP) {
      if (open >= 0 && snippet.length > open) {
        const last = highlights[highlights.length - 1];
        // Adjacent terms ("context manager") read as one highlight.
        if (last && /^\s*$/.test(snippet.slice(last.end, open))) last.end = snippet.length;
        else highlights.push({ start: open, end: snippet.length });
      }
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}
