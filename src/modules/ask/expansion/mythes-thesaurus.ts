import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Thesaurus file of each question language in a mythes directory (Debian's mythes-en-us, mythes-fr). */
const FILES: Record<string, string[]> = {
  en: ['th_en_US_v2.dat'],
  fr: ['thes_fr.dat', 'th_fr_FR_v2.dat'],
};

/**
 * A MyThes thesaurus (the OpenOffice/LibreOffice format): after an encoding line, entries
 * `word|n` each followed by n meaning lines `(part of speech)|synonym|synonym|…`, where a
 * synonym may carry a note such as "(generic term)" or "(antonym)". The whole file is read once
 * (18 MB for English); lookups index into it by the entry offsets found on loading.
 */
export class MythesThesaurus {
  private readonly entries = new Map<string, number>();

  constructor(private readonly text: string) {
    let at = text.indexOf('\n') + 1;
    while (at > 0 && at < text.length) {
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end < 0 ? text.length : end);
      const bar = line.lastIndexOf('|');
      const n = Number(line.slice(bar + 1));
      if (bar > 0 && Number.isInteger(n)) {
        const word = line.slice(0, bar).toLowerCase();
        if (!this.entries.has(word)) this.entries.set(word, at);
        at = skipLines(text, end + 1, n);
      } else at = end + 1;
      if (end < 0) break;
    }
  }

  /** The thesaurus of `lang` under `dir`, or null when that language has none installed. */
  static load(dir: string, lang: string): MythesThesaurus | null {
    const file = (FILES[lang] ?? []).map((f) => join(dir, f)).find((f) => existsSync(f));
    return file ? new MythesThesaurus(readFileSync(file, 'utf8')) : null;
  }

  /**
   * Synonyms of a word, in the file's order (meanings first to last), one word each: multi-word
   * synonyms and those marked as a generic, related, similar or opposite term are left out, being
   * broader or other senses rather than the same one.
   */
  synonyms(word: string): string[] {
    const at = this.entries.get(word.toLowerCase());
    if (at === undefined) return [];
    const lines = this.text
      .slice(at, skipLines(this.text, this.text.indexOf('\n', at) + 1, this.meaningCount(at)))
      .split('\n');
    const out: string[] = [];
    for (const line of lines.slice(1)) {
      for (const s of line.split('|').slice(1)) {
        const w = s.trim().toLowerCase();
        if (!w || /[\s(]/.test(w) || w === word.toLowerCase() || out.includes(w)) continue;
        out.push(w);
      }
    }
    return out;
  }

  has(word: string): boolean {
    return this.entries.has(word.toLowerCase());
  }

  private meaningCount(at: number): number {
    const line = this.text.slice(at, this.text.indexOf('\n', at));
    return Number(line.slice(line.lastIndexOf('|') + 1));
  }
}

function skipLines(text: string, from: number, n: number): number {
  let at = from;
  for (let i = 0; i < n && at > 0; i++) at = text.indexOf('\n', at) + 1;
  return at > 0 ? at : text.length;
}
