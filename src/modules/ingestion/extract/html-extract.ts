import { Parser } from 'htmlparser2';

export interface Section {
  /** Headings above this section, outermost first. */
  headingPath: string[];
  /** Prose (a blank line between paragraphs); code blocks fenced with ``` lines (see `CODE_FENCE`). */
  text: string;
  /** `lang` of the innermost element around the section's text, when the page says so. */
  lang?: string | null;
}
export interface Extracted {
  title: string;
  /** `lang` of the main content, else of `<html>`, else `Content-Language` meta. */
  lang: string | null;
  sections: Section[];
  links: string[];
  /** `<meta name="robots" content="noindex">` */
  noindex: boolean;
  nofollow: boolean;
  baseHref: string | null;
}

/** Code blocks (`<pre>`) are kept verbatim between two lines holding only this fence. */
export const CODE_FENCE = '```';
/** A code block in the buffer, until the section is normalised (private-use characters, never in text). */
const CODE_OPEN = '\uE000';
const CODE_CLOSE = '\uE001';

/** Never content: scripts, styles and page chrome. Their links are still collected (nav is how a site is discovered). */
const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'nav',
  'aside',
  'form',
  'button',
  'select',
  'iframe',
  'canvas',
]);
/** Page header and footer: chrome outside the main content, but an article's `<header>` holds its title (Docusaurus). */
const DROP_OUTSIDE_MAIN = new Set(['header', 'footer']);
/** ARIA landmarks that are chrome, and footnote back-references. */
const DROP_ROLES = new Set([
  'navigation',
  'search',
  'banner',
  'contentinfo',
  'complementary',
  'doc-toc',
  'doc-noteref',
  'doc-backlink',
]);
/**
 * Class names (or ids) of chrome inside or beside the main content, by generator: Sphinx
 * (sphinxsidebar, toctree-wrapper, headerlink, footnote-reference, section-number), MkDocs
 * (md-sidebar, md-nav, md-source, md-footer), Docusaurus (theme-doc-toc-*, theme-doc-breadcrumbs,
 * hash-link, pagination-nav), DocBook/Publican (toc, docnav, banner) and generic ones.
 */
const DROP_CLASS =
  /(?:^|\s)(?:sphinxsidebar|toctree-wrapper|headerlink|footnote-reference|footnote-backref|section-number|md-sidebar|md-nav|md-source|md-footer|md-header|md-top|theme-doc-toc-\S+|theme-doc-breadcrumbs|theme-doc-footer|theme-edit-this-page|table-of-contents|pagination-nav|hash-link|anchorjs-link|anchor-link|permalink|toc|docnav|breadcrumbs?|skip-link|sr-only|visually-hidden|navbar)(?:\s|$)/i;
const DROP_ID = /^(?:banner|toc|sidebar|breadcrumbs?|site[-_]footer)$/i;
const BLOCK = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'pre',
  'br',
  'tr',
  'td',
  'th',
  'dt',
  'dd',
  'dl',
  'blockquote',
  'section',
  'article',
  'main',
  'table',
  'figcaption',
  'hr',
  'caption',
]);
const HEADING = /^h([1-6])$/;
const VOID = new Set([
  'br',
  'hr',
  'img',
  'meta',
  'link',
  'input',
  'area',
  'base',
  'col',
  'embed',
  'source',
  'track',
  'wbr',
]);
/** A link or superscript whose whole text is one of these is a marker, not content: "[8]", "¶", "#", "†". */
const MARKER = /^\s*(?:\[\d{1,3}\]|\d{1,3}|[¶#§†‡↩🔗]|[\u200b\u00a0]*)\s*$/u;

interface Frame {
  name: string;
  drop: boolean;
  main: boolean;
  lang: string | null;
  /** Where this element's text starts in the buffer (links and superscripts: markers are cut). */
  mark: number;
}

/**
 * Readability-style, in one streaming pass: when the page marks its main content (`<main>`,
 * `<article>` or `role="main"`), only text inside it is kept; otherwise the whole body. Chrome is
 * dropped inside and outside it (navigation, tables of contents, breadcrumbs, permalink anchors,
 * footnote markers). Headings split the text into sections (heading path kept per section);
 * `<pre>` blocks keep their newlines between ``` fences.
 */
export function extractHtml(html: string): Extracted {
  const hasMain = /<main[\s>]|<article[\s>]|role\s*=\s*["']?main["'\s>]/i.test(html);
  const out: Extracted = {
    title: '',
    lang: null,
    sections: [],
    links: [],
    noindex: false,
    nofollow: false,
    baseHref: null,
  };
  const stack: Frame[] = [];
  let dropDepth = 0;
  let mainDepth = 0;
  let htmlLang: string | null = null;
  let mainLang: string | null = null;
  let inTitle = false;
  // Source newlines inside a paragraph are layout, not structure: only <pre> keeps them.
  let preDepth = 0;
  let heading: { level: number; text: string } | null = null;
  const path: { level: number; text: string }[] = [];
  let buf = '';
  let sectionLang: string | null = null;

  const flush = (): void => {
    const text = normalise(buf);
    if (text) out.sections.push({ headingPath: path.map((h) => h.text), text, lang: sectionLang });
    buf = '';
    sectionLang = null;
  };
  const collecting = (): boolean => dropDepth === 0 && (!hasMain || mainDepth > 0);
  const currentLang = (): string | null => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].lang) return stack[i].lang;
    return null;
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const lang = (attrs.lang ?? attrs['xml:lang'])?.trim() || null;
        if (name === 'html') htmlLang = lang;
        if (name === 'title') inTitle = true;
        if (name === 'base' && attrs.href) out.baseHref = attrs.href;
        if (name === 'meta' && attrs.name?.toLowerCase() === 'robots') {
          const c = (attrs.content ?? '').toLowerCase();
          out.noindex ||= c.includes('noindex') || c.includes('none');
          out.nofollow ||= c.includes('nofollow') || c.includes('none');
        }
        if (name === 'meta' && attrs['http-equiv']?.toLowerCase() === 'content-language' && !out.lang)
          out.lang = attrs.content?.split(',')[0].trim() || null;
        if (name === 'a' && attrs.href && !/\bnofollow\b/i.test(attrs.rel ?? '')) out.links.push(attrs.href);
        if (VOID.has(name)) {
          if (name === 'br' && collecting()) buf += '\n';
          return;
        }
        const role = attrs.role?.toLowerCase() ?? '';
        const drop =
          DROP.has(name) ||
          (DROP_OUTSIDE_MAIN.has(name) && mainDepth === 0) ||
          DROP_ROLES.has(role) ||
          DROP_CLASS.test(attrs.class ?? '') ||
          DROP_ID.test(attrs.id ?? '') ||
          attrs['aria-hidden'] === 'true';
        const main = name === 'main' || name === 'article' || role === 'main';
        if (main && lang && !mainLang && dropDepth === 0) mainLang = lang;
        stack.push({ name, drop, main, lang, mark: buf.length });
        if (drop) dropDepth++;
        if (main) mainDepth++;
        const h = HEADING.exec(name);
        if (h && collecting()) {
          flush();
          heading = { level: Number(h[1]), text: '' };
          return;
        }
        if (name === 'pre') {
          if (preDepth++ === 0 && collecting()) buf += CODE_OPEN;
        } else if (BLOCK.has(name) && collecting() && preDepth === 0) buf += '\n';
      },
      ontext(raw) {
        const clean = raw.replace(/[\uE000\uE001]/g, '');
        const text = preDepth > 0 ? clean : clean.replace(/\s+/g, ' ');
        if (inTitle) out.title += text;
        else if (heading) {
          if (dropDepth === 0) heading.text += text;
        } else if (collecting()) {
          if (!buf.trim() && text.trim()) sectionLang = currentLang();
          buf += text;
        }
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        if (name === 'title') inTitle = false;
        // htmlparser2 closes implied elements itself, so the frame on top is this element's.
        const f = stack.pop();
        if (!f) return;
        if (f.drop && dropDepth > 0) dropDepth--;
        if (f.main && mainDepth > 0) mainDepth--;
        const h = HEADING.exec(name);
        if (h && heading) {
          const text = heading.text
            .replace(/\s+/g, ' ')
            .replace(/\s*[¶#]$/, '')
            .trim();
          while (path.length && path[path.length - 1].level >= heading.level) path.pop();
          if (text) path.push({ level: heading.level, text });
          heading = null;
          return;
        }
        if (name === 'pre') {
          if (--preDepth === 0 && collecting() && buf.charAt(f.mark) === CODE_OPEN) {
            const code = buf
              .slice(f.mark + CODE_OPEN.length)
              .replace(/^\n+/, '')
              .replace(/\s+$/, '');
            buf = buf.slice(0, f.mark) + (code.trim() ? `${CODE_OPEN}${code}${CODE_CLOSE}` : '');
          }
          return;
        }
        if (!collecting()) return;
        if ((name === 'a' || name === 'sup') && f.mark <= buf.length && MARKER.test(buf.slice(f.mark)))
          buf = buf.slice(0, f.mark);
        else if (BLOCK.has(name) && preDepth === 0) buf += '\n';
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  flush();
  out.title = out.title.replace(/\s+/g, ' ').trim();
  // DocBook puts lang on the chapter's div, not on <html>: the first section's then stands for the page.
  out.lang = mainLang ?? htmlLang ?? out.lang ?? out.sections.find((s) => s.lang)?.lang ?? null;
  // Sections without a lang of their own inside the page's: the page's applies.
  for (const s of out.sections) if (s.lang === out.lang || !s.lang) delete s.lang;
  return out;
}

/**
 * Whitespace of prose collapsed (one space, at most one blank line between blocks); code blocks
 * kept byte for byte (minus blank first and last lines) between fences.
 */
function normalise(buf: string): string {
  const parts = buf.split(/\uE000([^\uE001]*)\uE001/);
  const out: string[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      out.push(`${CODE_FENCE}\n${part}\n${CODE_FENCE}`);
      return;
    }
    const prose = part
      .split('\n')
      .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (prose) out.push(prose);
  });
  return out.join('\n\n');
}

/** Whole text of a page, sections joined; the page text stored once in `pages.text`. */
export function pageText(sections: Section[]): string {
  return sections.map((s) => s.text).join('\n\n');
}
