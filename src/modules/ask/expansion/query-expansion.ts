import { Inject, Injectable, Logger } from '@nestjs/common';
import { askConfig, AskConfig } from '../../../config/namespaces';
import { MythesThesaurus } from './mythes-thesaurus';
import { expansionWords } from './synonyms';

/**
 * Optional query expansion (ASK_QUERY_EXPANSION=mythes): synonyms of a question's content words
 * from the MyThes thesaurus of its language under ASK_MYTHES_DIR (Debian's mythes-en-us,
 * mythes-fr), read on the first question in that language and kept. A language without a
 * thesaurus file is not expanded. Off by default: see docs/ask.md for what it measured.
 */
@Injectable()
export class QueryExpansion {
  private readonly log = new Logger(QueryExpansion.name);
  private readonly thesauri = new Map<string, MythesThesaurus | null>();

  constructor(@Inject(askConfig.KEY) private readonly cfg: AskConfig) {}

  get enabled(): boolean {
    return this.cfg.queryExpansion === 'mythes';
  }

  /** Extra words for `contentWords` (a question without its question words) in `lang`; none when off. */
  words(contentWords: string, lang: string | null): string[] {
    if (!this.enabled || !lang) return [];
    const thesaurus = this.thesaurus(lang);
    return thesaurus ? expansionWords(contentWords, thesaurus) : [];
  }

  private thesaurus(lang: string): MythesThesaurus | null {
    if (!this.thesauri.has(lang)) {
      const t = MythesThesaurus.load(this.cfg.mythesDir, lang);
      if (!t)
        this.log.warn(`no MyThes thesaurus for "${lang}" in ${this.cfg.mythesDir}: questions in it are not expanded`);
      this.thesauri.set(lang, t);
    }
    return this.thesauri.get(lang) ?? null;
  }
}
