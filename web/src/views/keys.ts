import { api, ApiError, post } from '../api';
import { API_KEY_SCOPES } from '../../../src/common/auth/scopes';
import { clear, field, h, messageBox } from '../dom';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt?: string | null;
  expiresAt?: string | null;
}

// The server's own list (bundled at build time), so the form never offers a scope it would refuse.
const SCOPES: readonly string[] = API_KEY_SCOPES;

function secretPanel(secret: string): HTMLElement {
  const out = h('code', { class: 'secret', 'data-testid': 'new-secret' }, secret);
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(secret).catch(() => undefined);
    copy.textContent = 'Copied';
  });
  return h('div', { class: 'notice' }, h('p', {}, 'Copy this secret now — it is shown only once.'), out, copy);
}

export function keysView(): HTMLElement {
  const msg = messageBox();
  const list = h('ul', { class: 'list', 'aria-label': 'API keys' });
  const reveal = h('div');
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100' });
  const boxes = SCOPES.map((s) => h('input', { type: 'checkbox', value: s }));
  const scopes = h('fieldset', { class: 'scopes' }, h('legend', {}, 'Scopes'), ...boxes.map((b) => h('label', {}, b, ` ${b.value}`)));
  const create = h('form', { class: 'card', 'aria-label': 'Create API key' }, h('h2', {}, 'New API key'), field('Name', name), scopes, h('button', { type: 'submit' }, 'Create key'), msg.el);

  async function load(): Promise<void> {
    clear(list);
    list.append(h('li', { class: 'muted' }, 'Loading…'));
    try {
      const res = await api<{ items: ApiKey[] } | ApiKey[]>('/api-keys');
      const keys = Array.isArray(res) ? res : res.items;
      clear(list);
      if (!keys.length) list.append(h('li', { class: 'muted' }, 'No API keys yet.'));
      for (const k of keys) {
        const rotate = h('button', { type: 'button' }, 'Rotate');
        const revoke = h('button', { type: 'button', class: 'danger' }, 'Revoke');
        rotate.addEventListener('click', async () => {
          const r = await post<{ secret: string }>(`/api-keys/${k.id}/rotate`).catch((e: ApiError) => (msg.show(e.message), null));
          if (r) reveal.replaceChildren(secretPanel(r.secret));
        });
        revoke.addEventListener('click', async () => {
          await api(`/api-keys/${k.id}`, { method: 'DELETE' }).catch((e: ApiError) => msg.show(e.message));
          await load();
        });
        list.append(h('li', {}, h('strong', {}, k.name), ` nxk_${k.prefix}_… `, h('span', { class: 'muted' }, k.scopes.join(', ')), h('span', { class: 'actions' }, rotate, revoke)));
      }
    } catch (err) {
      clear(list);
      msg.show(err instanceof ApiError ? err.message : 'Could not load keys');
    }
  }

  create.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    try {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      const res = await post<{ secret: string }>('/api-keys', { name: name.value, scopes: chosen });
      reveal.replaceChildren(secretPanel(res.secret));
      name.value = '';
      await load();
    } catch (err) {
      msg.show(err instanceof ApiError ? err.message : 'Could not create the key');
    }
  });
  void load();
  return h('section', {}, h('h1', {}, 'API keys'), reveal, create, h('div', { class: 'card' }, list));
}
