import { api, errorText } from '../api';
import { clear, h, messageBox, onLeave } from '../dom';
import { readSse } from '../sse';

interface Citation {
  n: number;
  url: string;
  title?: string;
  headingPath?: string[] | string;
  snippet?: string;
  /** Ranges of `snippet` holding question terms (plain text, no markup). */
  highlights?: { start: number; end: number }[];
}

/**
 * Answer text with each [n] marker turned into a link to citation n, and ``` fenced blocks shown
 * as code (built as DOM, never HTML).
 */
export function renderAnswer(target: HTMLElement, text: string): void {
  clear(target);
  const blocks = text.split(/```\n?([\s\S]*?)\n?```/);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) {
      target.append(h('pre', {}, h('code', {}, block)));
      return;
    }
    for (const part of block.split(/(\[\d+\])/)) {
      const m = /^\[(\d+)\]$/.exec(part);
      target.append(m ? h('a', { href: `#cite-${m[1]}`, class: 'marker' }, part) : document.createTextNode(part));
    }
  });
}

/** The snippet with its highlight ranges in <mark>; text nodes only. */
export function renderSnippet(snippet: string, highlights: { start: number; end: number }[] = []): HTMLElement {
  const quote = h('blockquote', {});
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end > snippet.length || end <= start) continue;
    quote.append(document.createTextNode(snippet.slice(at, start)), h('mark', {}, snippet.slice(start, end)));
    at = end;
  }
  quote.append(document.createTextNode(snippet.slice(at)));
  return quote;
}

/** One source: the list numbers it (value = n, matching the answer's [n]), so the link shows the title only. */
function citationItem(c: Citation): HTMLElement {
  const heading = Array.isArray(c.headingPath) ? c.headingPath.join(' › ') : (c.headingPath ?? '');
  return h(
    'li',
    { id: `cite-${c.n}`, value: String(c.n), 'data-testid': 'citation' },
    h(
      'a',
      { href: c.url, rel: 'noopener noreferrer', target: '_blank' },
      (c.title || c.url).replace(/\s*¶\s*/g, ' ').trim(),
    ),
    heading ? h('div', { class: 'muted' }, heading.replace(/\s*¶/g, '')) : null,
    c.snippet ? renderSnippet(c.snippet, c.highlights) : null,
  );
}

export function askView(): HTMLElement {
  const msg = messageBox();
  const question = h('textarea', {
    name: 'question',
    required: true,
    maxlength: '1000',
    rows: '3',
    placeholder: 'Ask about your sources…',
  });
  const picker = h('fieldset', { class: 'scopes' }, h('legend', {}, 'Sources (none checked = all)'));
  const submit = h('button', { type: 'submit' }, 'Ask');
  const stop = h('button', { type: 'button', hidden: true }, 'Stop');
  const answer = h('div', { class: 'answer', 'data-testid': 'answer', 'aria-live': 'polite' });
  const citations = h('ol', { class: 'citations', 'aria-label': 'Citations' });
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Ask a question' },
    question,
    picker,
    h('div', { class: 'actions' }, submit, stop),
    msg.el,
  );
  let ctrl: AbortController | null = null;

  const pickerNote = h('span', { class: 'muted' }, 'Loading sources…');
  picker.append(pickerNote);
  api<{ items: { id: string; url: string }[] } | { id: string; url: string }[]>('/sources')
    .then((res) => {
      const sources = Array.isArray(res) ? res : res.items;
      pickerNote.textContent = sources.length ? '' : 'You have no sources yet: add a site under Sources first.';
      pickerNote.hidden = sources.length > 0;
      for (const s of sources)
        picker.append(h('label', {}, h('input', { type: 'checkbox', value: s.id }), ` ${s.url}`));
    })
    .catch((err: unknown) => (pickerNote.textContent = errorText(err, 'Could not load your sources.')));
  onLeave(() => ctrl?.abort());

  stop.addEventListener('click', () => ctrl?.abort());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    clear(citations);
    answer.textContent = '';
    const sourceIds = [...picker.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    ctrl = new AbortController();
    submit.disabled = true;
    stop.hidden = false;
    answer.classList.add('loading');
    let text = '';
    try {
      await readSse(
        '/ask/stream',
        {
          method: 'POST',
          body: JSON.stringify({ question: question.value, ...(sourceIds.length ? { sourceIds } : {}) }),
        },
        (ev) => {
          const data = ev.data as Record<string, unknown>;
          if (ev.event === 'citations')
            for (const c of (data.citations ?? data) as Citation[]) citations.append(citationItem(c));
          else if (ev.event === 'delta') text += String(data.text ?? data.delta ?? '');
          else if (ev.event === 'error') msg.show(String(data.detail ?? data.message ?? 'The answer failed'));
          else if (ev.event === 'done' && typeof data.answer === 'string') text = data.answer;
          renderAnswer(answer, text);
        },
        ctrl.signal,
      );
    } catch (err) {
      if ((err as Error).name !== 'AbortError') msg.show(errorText(err, 'Could not get an answer.'));
    } finally {
      if (!text && !msg.el.textContent) answer.textContent = 'No answer: nothing in your sources matched the question.';
      answer.classList.remove('loading');
      submit.disabled = false;
      stop.hidden = true;
    }
  });
  return h('section', {}, h('h1', {}, 'Ask'), form, h('div', { class: 'card' }, answer, citations));
}
