import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryExpansion } from './query-expansion';
import { MythesThesaurus } from './mythes-thesaurus';
import { expansionWords } from './synonyms';

// The MyThes layout of Debian's thes_fr.dat / th_en_US_v2.dat, with their kinds of noise.
const FR = [
  'UTF-8',
  'bogue|1',
  '(Nom Verbe)|capsule|boucle|bug|erreur',
  'bug|1',
  '(?)|bogue|erreur',
  'erreur|1',
  '(Nom)|faute|méprise',
  'journal|1',
  '(Nom)|quotidien|registre',
  'registre|1',
  '(Nom)|livre|journal',
  'paquet|1',
  '(Nom)|balle|colis|mot de passe',
  '',
].join('\n');
const EN = [
  'UTF-8',
  'sort|2',
  '(noun)|kind|category (generic term)',
  '(verb)|classify|sort out|order (generic term)',
  'classify|1',
  '(verb)|class|sort|categorize (generic term)',
  'kind|1',
  '(noun)|form|sort',
  '',
].join('\n');

describe('MyThes thesaurus', () => {
  const en = new MythesThesaurus(EN);

  it('lists the single-word synonyms of every meaning, in order, without notes or phrases', () => {
    expect(en.synonyms('sort')).toEqual(['kind', 'classify']);
    expect(en.synonyms('Sort')).toEqual(['kind', 'classify']);
    expect(new MythesThesaurus(FR).synonyms('paquet')).toEqual(['balle', 'colis']);
  });

  it('finds entries after multi-meaning ones and knows no other word', () => {
    expect(en.synonyms('kind')).toEqual(['form', 'sort']);
    expect(en.has('classify')).toBe(true);
    expect(en.synonyms('category')).toEqual([]);
  });
});

describe('expansionWords', () => {
  const fr = new MythesThesaurus(FR);
  const en = new MythesThesaurus(EN);

  it('keeps only synonyms that list the word back (same sense), one per word by default', () => {
    // "bogue" lists capsule and boucle first, which do not name "bogue" in their own entries.
    expect(expansionWords('bogue', fr)).toEqual(['bug']);
    expect(expansionWords('sort', en)).toEqual(['kind']);
    expect(expansionWords('sort', en, 2)).toEqual(['kind', 'classify']);
    expect(expansionWords('paquet', fr)).toEqual([]);
  });

  it('looks plurals up by their singular and never returns a word of the question', () => {
    expect(expansionWords('bugs signalés', fr)).toEqual(['bogue']);
    expect(expansionWords('journaux', fr)).toEqual(['registre']);
    expect(expansionWords('bug bogue', fr)).toEqual([]);
  });
});

describe('QueryExpansion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mythes-'));
  writeFileSync(join(dir, 'thes_fr.dat'), FR);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const expansion = (queryExpansion: string) =>
    new QueryExpansion({ queryExpansion, mythesDir: dir } as ConstructorParameters<typeof QueryExpansion>[0]);

  it('expands with the thesaurus of the question language only when configured', () => {
    expect(expansion('mythes').words('bugs', 'fr')).toEqual(['bogue']);
    expect(expansion('off').words('bugs', 'fr')).toEqual([]);
    expect(expansion('mythes').words('bugs', null)).toEqual([]);
  });

  it('leaves a language without a thesaurus file as it is', () => {
    expect(expansion('mythes').words('sort', 'en')).toEqual([]);
  });
});
