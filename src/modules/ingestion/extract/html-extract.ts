import { Parser } from 'htmlparser2';

export interface Section {
  /** Headings above this section, outermost first. */
  headingPath: string[];
  text: string;
}
export interface Extracted {
  title: string;
  lang: string | null;
  sections: Section[];
  links: string[];
  /** `<meta name="robots" content="noindex">` */
  noindex: boolean;
  nofollow: boolean;
  baseHref: string | null;
}

/** Never content: scripts, styles and page chrome. Their links are still collected (nav is how a site is discovered). */
const DROP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'footer', 'header', 'aside', 'form', 'button', 'select', 'iframe', 'canvas']);
const BLOCK = new Set(['p', 'div', 'li', 'ul', 'ol', 'pre', 'br', 'tr', 'td', 'th', 'dt', 'dd', 'dl', 'blockquote', 'section', 'article', 'main', 'table', 'figcaption', 'hr']);
const HEADING = /^h([1-6])$/;
const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);

/**
 * Readability-style, in one streaming pass: when the page marks its main content (`<main>`,
 * `<article>` or `role="main"`), only text inside it is kept; otherwise the whole body minus
 * boilerplate elements. Headings split the text into sections (heading path kept per section).
 */
export function extractHtml(html: string): Extracted {
  const hasMain = /<main[\s>]|<article[\s>]|role\s*=\s*["']?main/i.test(html);
  const out: Extracted = { title: '', lang: null, sections: [], links: [], noindex: false, nofollow: false, baseHref: null };
  const stack: string[] = [];
  let dropDepth = 0;
  let mainDepth = 0;
  let inTitle = false;
  // Source newlines inside a paragraph are layout, not structure: only <pre> keeps them.
  let preDepth = 0;
  let heading: { level: number; text: string } | null = null;
  const path: { level: number; text: string }[] = [];
  let buf = '';

  const flush = (): void => {
    const text = buf.replace(/[ \t\f\v\u00a0]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text) out.sections.push({ headingPath: path.map((h) => h.text), text });
    buf = '';
  };
  const collecting = (): boolean => dropDepth === 0 && (!hasMain || mainDepth > 0);

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (!VOID.has(name)) stack.push(name);
        if (name === 'html' && attrs.lang) out.lang = attrs.lang.trim() || null;
        if (name === 'title') inTitle = true;
        if (name === 'pre') preDepth++;
        if (name === 'base' && attrs.href) out.baseHref = attrs.href;
        if (name === 'meta' && attrs.name?.toLowerCase() === 'robots') {
          const c = (attrs.content ?? '').toLowerCase();
          out.noindex ||= c.includes('noindex') || c.includes('none');
          out.nofollow ||= c.includes('nofollow') || c.includes('none');
        }
        if (name === 'meta' && attrs['http-equiv']?.toLowerCase() === 'content-language' && !out.lang) out.lang = attrs.content?.split(',')[0].trim() || null;
        if (name === 'a' && attrs.href && !/\bnofollow\b/i.test(attrs.rel ?? '')) out.links.push(attrs.href);
        if (DROP.has(name) && !VOID.has(name)) dropDepth++;
        if (name === 'main' || name === 'article' || attrs.role === 'main') mainDepth++;
        const h = HEADING.exec(name);
        if (h && collecting()) {
          flush();
          heading = { level: Number(h[1]), text: '' };
        } else if (BLOCK.has(name) && collecting()) buf += '\n';
      },
      ontext(raw) {
        const text = preDepth > 0 ? raw : raw.replace(/\s+/g, ' ');
        if (inTitle) out.title += text;
        else if (heading) heading.text += text;
        else if (collecting()) buf += text;
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        stack.pop();
        if (name === 'title') inTitle = false;
        if (name === 'pre' && preDepth > 0) preDepth--;
        if (DROP.has(name) && dropDepth > 0) dropDepth--;
        if ((name === 'main' || name === 'article') && mainDepth > 0) mainDepth--;
        const h = HEADING.exec(name);
        if (h && heading) {
          const text = heading.text.replace(/\s+/g, ' ').replace(/[¶#]$/, '').trim();
          while (path.length && path[path.length - 1].level >= heading.level) path.pop();
          if (text) path.push({ level: heading.level, text });
          heading = null;
        } else if (BLOCK.has(name) && collecting()) buf += '\n';
        void isImplied;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  flush();
  out.title = out.title.replace(/\s+/g, ' ').trim();
  return out;
}

/** Whole text of a page, sections joined; the page text stored once in `pages.text`. */
export function pageText(sections: Section[]): string {
  return sections.map((s) => s.text).join('\n\n');
}
