import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractHtml, pageText } from './html-extract';

/**
 * Real page layouts (test/fixtures/layouts/): Sphinx pages trimmed from python3.11-doc and
 * developers-reference-fr, DocBook (Publican) pages from debian-handbook fr-FR, and MkDocs
 * Material / Docusaurus pages written after their generators' markup.
 */
const fixture = (name: string) =>
  extractHtml(readFileSync(join(__dirname, '../../../../test/fixtures/layouts', name), 'utf8'));
const section = (e: ReturnType<typeof extractHtml>, heading: string) =>
  e.sections.find((s) => s.headingPath[s.headingPath.length - 1] === heading)!;

describe('page layouts', () => {
  describe('Sphinx (python3.11-doc)', () => {
    const e = fixture('sphinx-python.html');
    const all = pageText(e.sections);

    it('keeps only role="main": no sidebar table of contents, navigation bars or footer', () => {
      expect(all).not.toMatch(
        /Table of Contents|Previous topic|Report a Bug|Show Source|Navigation|modules|Copyright|Quick search|Python Software Foundation/,
      );
      // The tables of contents (before and after the main div) list every section of the page.
      expect(all).not.toMatch(/The if statement|The while statement|8\.1\./);
    });

    it('drops permalink anchors and footnote markers, keeps the sentence', () => {
      expect(all).not.toMatch(/¶|\[1\]/);
      expect(section(e, 'The try statement').text).toBe(
        'If no except clause matches the exception, the search for an exception handler continues in the surrounding code and on the invocation stack.',
      );
    });

    it('uses clean headings (no section numbers) as the heading path', () => {
      expect(e.sections.map((s) => s.headingPath)).toEqual([
        ['Compound statements'],
        ['Compound statements', 'The try statement'],
        ['Compound statements', 'The with statement'],
      ]);
      expect(e.lang).toBe('en');
    });

    it('keeps code blocks fenced, with their newlines and indentation', () => {
      const w = section(e, 'The with statement').text;
      expect(w).toContain('The following code:\n\n```\nwith EXPRESSION as TARGET:\n    SUITE\n```');
      expect(w).toContain('```\nwith_stmt          ::=  "with"');
      expect(w).toContain(
        'The with statement is used to wrap the execution of a block with methods defined by a context manager',
      );
    });
  });

  describe('Sphinx, French (developers-reference-fr)', () => {
    const e = fixture('sphinx-devref-fr.html');
    const all = pageText(e.sections);

    it('reads the page language and keeps the French body only', () => {
      expect(e.lang).toBe('fr');
      expect(all).not.toMatch(/Table des matières|Navigation|Copyright|Créé en utilisant|Lien permanent|¶/);
      expect(e.sections.map((s) => s.headingPath)).toEqual([
        ['Gestion des paquets'],
        ['Gestion des paquets', 'Enregistrement des modifications'],
      ]);
    });

    it('keeps the changelog example as code', () => {
      expect(section(e, 'Enregistrement des modifications').text).toContain(
        'ressemble à :\n\n```\n* New upstream release.\n```\n\nCertains outils',
      );
    });
  });

  describe('MkDocs Material', () => {
    const e = fixture('mkdocs-material.html');
    const all = pageText(e.sections);

    it('keeps the article: no header, navigation, table of contents, edit button or footer', () => {
      expect(all).not.toMatch(
        /Skip to content|Example Project|Table of contents|Deploying your docs|Previous|Made with|Material for MkDocs|Search/,
      );
      expect(e.sections.map((s) => s.headingPath)).toEqual([
        ['Plugins'],
        ['Plugins', 'Installing plugins'],
        ['Plugins', 'Configuring plugins'],
      ]);
    });

    it('drops ¶ anchors, footnote numbers and back-references', () => {
      expect(all).not.toMatch(/[¶↩]/);
      expect(section(e, 'Installing plugins').text).toContain(
        'same environment as MkDocs, then list it under plugins in mkdocs.yml.',
      );
      expect(section(e, 'Configuring plugins').text).toContain(
        'A virtual environment keeps plugin versions per project.',
      );
    });

    it('keeps a highlighted block as one code block', () => {
      expect(section(e, 'Installing plugins').text).toContain('```\npip install mkdocs-rss-plugin\nmkdocs serve\n```');
    });
  });

  describe('Docusaurus', () => {
    const e = fixture('docusaurus.html');
    const all = pageText(e.sections);

    it('keeps the article title from its <header>, drops breadcrumbs, tables of contents and pagination', () => {
      expect(e.sections.map((s) => s.headingPath)).toEqual([['Installation'], ['Installation', 'Requirements']]);
      expect(all).not.toMatch(
        /Skip to main content|Tutorial Intro|On this page|Edit this page|Previous|Copyright|Home page|Copy/,
      );
      expect(all).not.toMatch(/\u200b/);
    });

    it('turns <br>-separated code lines into one code block', () => {
      expect(section(e, 'Requirements').text).toBe(
        'Node.js version 18.0 or above is required; check it with node -v.\n\n```\nnpx create-docusaurus@latest my-website classic\ncd my-website\n```',
      );
    });
  });

  describe('DocBook (debian-handbook fr-FR)', () => {
    it('drops the banner, navigation links and table of contents; lang comes from the chapter element', () => {
      const e = fixture('docbook-handbook-chapter-fr.html');
      const all = pageText(e.sections);
      expect(e.lang).toBe('fr-FR');
      expect(all).not.toMatch(/Download the ebook|Précédent|Suivant|Sommaire|Renseigner le fichier/);
      expect(all).toMatch(/^Ce qui rend Debian si populaire/);
    });

    it('keeps sections, headings and screens of a section page (no main element)', () => {
      const e = fixture('docbook-handbook-fr.html');
      expect(e.sections.map((s) => s.headingPath)).toEqual([
        ['6.2. Commandes aptitude, apt-get et apt'],
        ['6.2. Commandes aptitude, apt-get et apt', '6.2.1. Initialisation'],
      ]);
      expect(section(e, '6.2.1. Initialisation').text).toContain(
        '```\n$ sudo apt -o "Acquire::PDiffs=false" update\n```',
      );
      expect(pageText(e.sections)).not.toMatch(/Download the ebook|Précédent|Niveau supérieur|Sommaire/);
    });
  });

  describe('main content and language markers', () => {
    it('stops collecting when a role="main" div closes (a sidebar after it is not content)', () => {
      const e = extractHtml(
        '<body><div class="body" role="main"><p>Body text.</p></div><div class="sidebar-ish"><h3>Table of Contents</h3><p>Other pages</p></div></body>',
      );
      expect(pageText(e.sections)).toBe('Body text.');
    });

    it('takes the lang of the main element over the html one, and keeps a different lang per section', () => {
      const e = extractHtml(
        '<html lang="en"><body><nav>Menu</nav><main lang="fr"><h1>Paquets</h1><p>Un paragraphe en français.</p><h2>Quote</h2><div lang="en"><p>An English quotation.</p></div></main></body></html>',
      );
      expect(e.lang).toBe('fr');
      expect(e.sections).toEqual([
        { headingPath: ['Paquets'], text: 'Un paragraphe en français.' },
        { headingPath: ['Paquets', 'Quote'], text: 'An English quotation.', lang: 'en' },
      ]);
    });

    it('drops an empty code block and never lets a literal fence character split prose', () => {
      const e = extractHtml('<main><p>Before \uE000 text</p><pre>   </pre><p>After.</p></main>');
      expect(pageText(e.sections)).toBe('Before text\n\nAfter.');
    });
  });
});
