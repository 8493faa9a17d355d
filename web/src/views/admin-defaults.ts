import { api, ApiError, errorText, put, query } from '../api';
import { field, h, messageBox, pager, placeholder, select, when } from '../dom';

interface DefaultValue {
  key: string;
  context: string;
  value: unknown;
  confidence: number;
  usageCount: number;
  successCount: number;
  failureCount: number;
  lastUsedAt: string | null;
  updatedAt: string;
  version: number;
}
interface HistoryEntry {
  action: string;
  actorId: string | null;
  at: string;
  oldValue: { value?: unknown; confidence?: number; version?: number } | null;
  newValue: { value?: unknown; confidence?: number; version?: number } | null;
}

const LIMIT = 20;
const contextLabel = (c: string) => (c ? c.replaceAll(';', ' · ') : 'global');
const json = (v: unknown) => JSON.stringify(v);

/** A JSON value from a textarea, or a readable reason why it is not one. */
function parseValue(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null) return { ok: false, error: 'A default cannot be null.' };
    return { ok: true, value };
  } catch {
    return {
      ok: false,
      error: 'The value must be JSON: a string in double quotes ("dark"), a number, true/false, an array or an object.',
    };
  }
}

function saveError(err: unknown): string {
  if (err instanceof ApiError && err.problem.status === 412)
    return `Someone changed this default after you opened it (${err.problem.detail}). Search again to edit the current value.`;
  // PUT reports a bad context by its code; the detail alone does not name the field.
  if (err instanceof ApiError && err.problem.code === 'invalid-context')
    return `The context is not valid: ${err.problem.detail}`;
  return errorText(err, 'Could not save the default.');
}

/** Admin: browse defaults by key, edit a value (optimistic locking with If-Match), see history. */
export function defaultsView(): HTMLElement {
  const searchMsg = messageBox();
  const keyPrefix = h('input', { type: 'search', name: 'keyPrefix', maxlength: '255', placeholder: 'e.g. ui.' });
  const context = h('input', {
    type: 'text',
    name: 'context',
    maxlength: '4096',
    placeholder: 'e.g. team=ops;env=prod',
  });
  const sort = select('sort', [
    ['key', 'Key'],
    ['-updatedAt', 'Recently changed'],
    ['-usageCount', 'Most used'],
    ['-confidence', 'Highest confidence'],
  ]);
  const search = h(
    'form',
    { class: 'card', role: 'search', 'aria-label': 'Search defaults' },
    h(
      'div',
      { class: 'row' },
      field('Key starts with', keyPrefix),
      field('Context contains', context),
      field('Sort by', sort),
    ),
    h('button', { type: 'submit' }, 'Search'),
    searchMsg.el,
  );
  const list = h('ul', { class: 'list', 'aria-label': 'Defaults' });
  const paging = h('div');
  let page = 1;

  async function load(): Promise<void> {
    searchMsg.clear();
    placeholder(list, 'Loading defaults…', 'loading');
    paging.replaceChildren();
    try {
      const res = await api<{ items: DefaultValue[]; total?: number }>(
        `/defaults${query({ keyPrefix: keyPrefix.value.trim(), context: context.value.trim(), sort: sort.value, page, limit: LIMIT })}`,
      );
      if (!res.items.length) placeholder(list, 'No defaults match this search.', 'no-defaults');
      else list.replaceChildren(...res.items.map(row));
      paging.replaceChildren(pager(page, LIMIT, res.total ?? res.items.length, (p) => ((page = p), void load())) ?? '');
    } catch (err) {
      list.replaceChildren();
      searchMsg.show(errorText(err, 'Could not load defaults.'));
    }
  }

  function row(d: DefaultValue): HTMLElement {
    const panel = h('div', { class: 'panel' });
    const edit = h('button', { type: 'button', class: 'secondary' }, 'Edit');
    const history = h('button', { type: 'button', class: 'secondary' }, 'History');
    const li = h(
      'li',
      { 'data-testid': 'default-row', 'data-key': d.key, 'data-context': d.context },
      h('strong', { class: 'key' }, d.key),
      h('span', { class: 'badge' }, contextLabel(d.context)),
      h('code', { class: 'value', 'data-testid': 'default-value' }, json(d.value)),
      h(
        'span',
        { class: 'muted' },
        `confidence ${d.confidence.toFixed(2)} · used ${d.usageCount}× (${d.successCount} accepted, ${d.failureCount} rejected) · v${d.version} · updated ${when(d.updatedAt)}`,
      ),
      h('span', { class: 'actions' }, edit, history),
      panel,
    );
    edit.addEventListener('click', () =>
      panel.replaceChildren(
        editForm(
          d,
          (saved) => li.replaceWith(row(saved)),
          () => panel.replaceChildren(),
        ),
      ),
    );
    history.addEventListener('click', () => panel.replaceChildren(historyPanel(d, () => panel.replaceChildren())));
    return li;
  }

  search.addEventListener('submit', (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  void load();
  return h(
    'section',
    {},
    h('h1', {}, 'Defaults'),
    search,
    h('div', { class: 'card' }, list, paging),
    setForm((d) => {
      keyPrefix.value = d.key;
      context.value = '';
      page = 1;
      void load();
    }),
  );
}

function editForm(d: DefaultValue, saved: (d: DefaultValue) => void, close: () => void): HTMLElement {
  const msg = messageBox();
  const value = h('textarea', { name: 'value', rows: '3', required: true });
  value.value = JSON.stringify(d.value, null, 2);
  const confidence = h('input', {
    type: 'number',
    name: 'confidence',
    min: '0',
    max: '1',
    step: '0.01',
    value: String(d.confidence),
  });
  const save = h('button', { type: 'submit' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Close');
  cancel.addEventListener('click', close);
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': `Edit ${d.key}` },
    field('Value (JSON)', value),
    field('Confidence (0–1)', confidence),
    h('div', { class: 'actions' }, save, cancel),
    msg.el,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const parsed = parseValue(value.value);
    if (!parsed.ok) return msg.show(parsed.error);
    save.disabled = true;
    try {
      // If-Match: the version shown, so a concurrent edit is refused (412) instead of overwritten.
      const body = { context: d.context, value: parsed.value, confidence: Number(confidence.value) };
      saved(await put<DefaultValue>(`/defaults/${encodeURIComponent(d.key)}`, body, { 'if-match': `"${d.version}"` }));
    } catch (err) {
      msg.show(saveError(err));
    } finally {
      save.disabled = false;
    }
  });
  queueMicrotask(() => value.focus());
  return form;
}

function historyPanel(d: DefaultValue, close: () => void): HTMLElement {
  const msg = messageBox();
  const list = h('ol', { class: 'history', 'aria-label': `History of ${d.key}` });
  const hide = h('button', { type: 'button', class: 'secondary' }, 'Hide history');
  hide.addEventListener('click', close);
  placeholder(list, 'Loading history…', 'loading');
  api<{ items: HistoryEntry[]; total: number }>(
    `/defaults/${encodeURIComponent(d.key)}/history${query({ context: d.context, limit: 50 })}`,
  )
    .then((res) => {
      if (!res.items.length) return placeholder(list, 'No changes recorded.', 'no-history');
      list.replaceChildren(
        ...res.items.map((e) => {
          const from = e.oldValue ? json(e.oldValue.value) : '—';
          const to = e.newValue ? json(e.newValue.value) : '(deleted)';
          return h(
            'li',
            { 'data-testid': 'history-entry' },
            h('strong', {}, e.action),
            ` ${when(e.at)}`,
            e.actorId ? h('span', { class: 'muted' }, ` by ${e.actorId.slice(0, 8)}`) : null,
            h('div', {}, h('code', {}, from), ' → ', h('code', {}, to)),
          );
        }),
      );
    })
    .catch((err: unknown) => {
      list.replaceChildren();
      msg.show(errorText(err, 'Could not load the history.'));
    });
  return h('div', { class: 'inline-form' }, h('h3', {}, 'History'), list, msg.el, hide);
}

/** Create or replace the default of a (key, context). */
function setForm(saved: (d: DefaultValue) => void): HTMLElement {
  const msg = messageBox();
  const key = h('input', {
    type: 'text',
    name: 'key',
    required: true,
    maxlength: '255',
    pattern: '[a-zA-Z0-9._:\\-]{1,255}',
    placeholder: 'ui.theme',
  });
  const context = h('input', {
    type: 'text',
    name: 'context',
    maxlength: '4096',
    placeholder: 'empty = global, or team=ops;env=prod',
  });
  const value = h('textarea', { name: 'value', rows: '2', required: true, placeholder: '"dark"' });
  const confidence = h('input', { type: 'number', name: 'confidence', min: '0', max: '1', step: '0.01', value: '1' });
  const submit = h('button', { type: 'submit' }, 'Save default');
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Set a default' },
    h('h2', {}, 'Set a default'),
    h('p', { class: 'muted' }, 'Creates the default of this key and context, or replaces it.'),
    field('Key', key),
    field('Context', context),
    field('Value (JSON)', value),
    field('Confidence (0–1)', confidence),
    submit,
    msg.el,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const parsed = parseValue(value.value);
    if (!parsed.ok) return msg.show(parsed.error);
    submit.disabled = true;
    try {
      const d = await put<DefaultValue>(`/defaults/${encodeURIComponent(key.value.trim())}`, {
        context: context.value.trim(),
        value: parsed.value,
        confidence: Number(confidence.value),
      });
      msg.show(`Saved ${d.key} (${contextLabel(d.context)}), version ${d.version}.`, 'ok');
      saved(d);
    } catch (err) {
      msg.show(saveError(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
