import { api, errorText, patch, query } from '../api';
import { field, h, messageBox, pager, placeholder, select, when } from '../dom';

interface Feedback {
  id: string;
  type: string;
  message: string;
  rating: number | null;
  contact: string | null;
  appVersion: string | null;
  metadata: Record<string, unknown> | null;
  status: string;
  userId: string | null;
  createdAt: string;
}

const LIMIT = 20;
const STATUSES = ['new', 'triaged', 'closed'] as const;
const TYPES = ['bug', 'feature', 'comment'] as const;
const any = (label: string, values: readonly string[]) => [['', label] as const, ...values.map((v) => [v, v] as const)];
const excerpt = (text: string) => (text.length > 140 ? `${text.slice(0, 140)}…` : text);

/** Admin: the feedback inbox — filter, page, open an item, set its triage status. */
export function feedbackView(): HTMLElement {
  const msg = messageBox();
  const status = select('status', any('Any status', STATUSES));
  const type = select('type', any('Any type', TYPES));
  const text = h('input', { type: 'search', name: 'q', maxlength: '200', placeholder: 'words in the message' });
  const filters = h(
    'form',
    { class: 'card', role: 'search', 'aria-label': 'Filter feedback' },
    h('div', { class: 'row' }, field('Status', status), field('Type', type), field('Message contains', text)),
    h('button', { type: 'submit' }, 'Filter'),
    msg.el,
  );
  const list = h('ul', { class: 'list', 'aria-label': 'Feedback' });
  const paging = h('div');
  let page = 1;

  async function load(): Promise<void> {
    msg.clear();
    placeholder(list, 'Loading feedback…', 'loading');
    paging.replaceChildren();
    try {
      const res = await api<{ items: Feedback[]; total: number }>(
        `/feedback${query({ status: status.value, type: type.value, q: text.value.trim(), page, limit: LIMIT })}`,
      );
      if (!res.items.length) placeholder(list, 'No feedback matches these filters.', 'no-feedback');
      else list.replaceChildren(...res.items.map(row));
      paging.replaceChildren(pager(page, LIMIT, res.total, (p) => ((page = p), void load())) ?? '');
    } catch (err) {
      list.replaceChildren();
      msg.show(errorText(err, 'Could not load the feedback.'));
    }
  }

  function row(f: Feedback): HTMLElement {
    const panel = h('div', { class: 'panel' });
    const badge = h('span', { class: `badge ${f.status}`, 'data-testid': 'feedback-status' }, f.status);
    const open = h('button', { type: 'button', class: 'secondary' }, 'Open');
    open.addEventListener('click', () => {
      if (panel.childElementCount) return panel.replaceChildren();
      panel.replaceChildren(
        detail(f.id, (updated) => {
          badge.textContent = updated.status;
          badge.className = `badge ${updated.status}`;
        }),
      );
    });
    return h(
      'li',
      { 'data-testid': 'feedback-item' },
      h('span', { class: 'badge' }, f.type),
      badge,
      h('span', { class: 'excerpt' }, excerpt(f.message)),
      h('span', { class: 'muted' }, when(f.createdAt)),
      h('span', { class: 'actions' }, open),
      panel,
    );
  }

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  void load();
  return h('section', {}, h('h1', {}, 'Feedback inbox'), filters, h('div', { class: 'card' }, list, paging));
}

function detail(id: string, changed: (f: Feedback) => void): HTMLElement {
  const msg = messageBox();
  const body = h('div', { class: 'inline-form', 'data-testid': 'feedback-detail' });
  placeholder(body, 'Loading…');
  const line = (label: string, value: string | null | undefined) =>
    value ? [h('dt', {}, label), h('dd', {}, value)] : [];
  api<Feedback>(`/feedback/${id}`)
    .then((f) => {
      const status = select(
        'status',
        STATUSES.map((s) => [s, s] as const),
        f.status,
      );
      const save = h('button', { type: 'submit' }, 'Save status');
      const form = h('form', { class: 'triage', 'aria-label': 'Triage' }, field('Status', status), save);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        msg.clear();
        save.disabled = true;
        try {
          const updated = await patch<Feedback>(`/feedback/${id}`, { status: status.value });
          changed(updated);
          msg.show(`Marked ${updated.status}.`, 'ok');
        } catch (err) {
          msg.show(errorText(err, 'Could not change the status.'));
        } finally {
          save.disabled = false;
        }
      });
      body.replaceChildren(
        h('p', { class: 'message' }, f.message),
        h(
          'dl',
          {},
          ...line('Type', f.type),
          ...line('Rating', f.rating === null ? null : `${f.rating} / 5`),
          ...line('Contact', f.contact),
          ...line('App version', f.appVersion),
          ...line('Metadata', f.metadata ? JSON.stringify(f.metadata) : null),
          ...line('From user', f.userId ?? 'anonymous'),
          ...line('Received', when(f.createdAt)),
        ),
        form,
        msg.el,
      );
    })
    .catch((err: unknown) => {
      body.replaceChildren(msg.el);
      msg.show(errorText(err, 'Could not open this feedback.'));
    });
  return body;
}
