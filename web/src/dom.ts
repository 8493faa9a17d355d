/** Tiny element builder. Text always goes through textContent, so API data can never inject markup. */
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | ((e: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** A message area next to a form: errors from the API shown as readable text. */
export function messageBox(): {
  el: HTMLElement;
  show: (text: string, kind?: 'error' | 'ok') => void;
  clear: () => void;
} {
  const el = h('p', { class: 'msg', role: 'status', hidden: true });
  return {
    el,
    show(text, kind = 'error') {
      el.textContent = text;
      el.className = `msg ${kind}`;
      // Errors interrupt (alert); confirmations are announced politely (status).
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      el.hidden = false;
    },
    clear() {
      el.textContent = '';
      el.hidden = true;
    },
  };
}

export function field(
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** One muted line standing in for a list's items: "Loading…" or an empty state. */
export function placeholder(list: Element, text: string, testid?: string): void {
  list.replaceChildren(
    h(list.tagName === 'UL' || list.tagName === 'OL' ? 'li' : 'p', { class: 'muted', 'data-testid': testid }, text),
  );
}

/**
 * A destructive button that asks first: the first click swaps it for "question [yes] [keep]"
 * (inline, so it works the same on a phone and needs no window.confirm).
 */
/** True while a confirmButton inside `root` waits for its answer (a re-render would lose the question). */
export const isAsking = (root: ParentNode): boolean => root.querySelector('[data-asking]') !== null;

export function confirmButton(
  label: string,
  question: string,
  yesLabel: string,
  onYes: () => void | Promise<void>,
): HTMLElement {
  const wrap = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', class: 'danger' }, label);
  const ask = (): void => {
    const yes = h('button', { type: 'button', class: 'danger' }, yesLabel);
    const keep = h('button', { type: 'button', class: 'secondary' }, 'Keep');
    yes.addEventListener('click', async () => {
      yes.disabled = keep.disabled = true;
      delete wrap.dataset.asking;
      await onYes();
      wrap.replaceChildren(start);
    });
    keep.addEventListener('click', () => {
      delete wrap.dataset.asking;
      wrap.replaceChildren(start);
    });
    wrap.dataset.asking = 'true';
    wrap.replaceChildren(h('span', { role: 'alert' }, question), ' ', yes, keep);
    yes.focus();
  };
  start.addEventListener('click', ask);
  wrap.append(start);
  return wrap;
}

/** "Page 2 of 5" with previous/next buttons; hidden when everything fits on one page. */
export function pager(page: number, limit: number, total: number, go: (page: number) => void): HTMLElement | null {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages === 1) return null;
  const prev = h('button', { type: 'button', class: 'secondary', disabled: page <= 1 }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary', disabled: page >= pages }, 'Next');
  prev.addEventListener('click', () => go(page - 1));
  next.addEventListener('click', () => go(page + 1));
  return h(
    'div',
    { class: 'pager' },
    prev,
    h('span', { class: 'muted' }, `Page ${page} of ${pages} · ${total} total`),
    next,
  );
}

export function select(name: string, options: readonly (readonly [string, string])[], value = ''): HTMLSelectElement {
  const el = h('select', { name });
  for (const [v, label] of options) el.append(h('option', { value: v, selected: v === value }, label));
  return el;
}

/** A date-time for people, in their locale. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const leaving: (() => void)[] = [];

/** Runs `fn` when the current view is replaced (closes its live streams). */
export function onLeave(fn: () => void): void {
  leaving.push(fn);
}

export function leaveView(): void {
  leaving.splice(0).forEach((fn) => fn());
}
