import { api, errorText, post } from '../api';
import { API_KEY_SCOPES } from '../../../src/common/auth/scopes';
import { confirmButton, field, h, messageBox, placeholder } from '../dom';

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
  const listMsg = messageBox();
  const list = h('ul', { class: 'list', 'aria-label': 'API keys' });
  const reveal = h('div');
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100' });
  const boxes = SCOPES.map((s) => h('input', { type: 'checkbox', value: s }));
  const scopes = h(
    'fieldset',
    { class: 'scopes' },
    h('legend', {}, 'Scopes'),
    ...boxes.map((b) => h('label', {}, b, ` ${b.value}`)),
  );
  const submit = h('button', { type: 'submit' }, 'Create key');
  const create = h(
    'form',
    { class: 'card', 'aria-label': 'Create API key' },
    h('h2', {}, 'New API key'),
    field('Name', name),
    scopes,
    submit,
    msg.el,
  );

  async function load(): Promise<void> {
    if (!list.childElementCount) placeholder(list, 'Loading keys…', 'loading');
    try {
      const res = await api<{ items: ApiKey[] } | ApiKey[]>('/api-keys');
      const keys = Array.isArray(res) ? res : res.items;
      if (!keys.length) placeholder(list, 'No API keys yet.', 'no-keys');
      else list.replaceChildren(...keys.map(row));
    } catch (err) {
      list.replaceChildren();
      listMsg.show(errorText(err, 'Could not load your keys.'));
    }
  }

  function row(k: ApiKey): HTMLElement {
    const rotate = h('button', { type: 'button', class: 'secondary' }, 'Rotate');
    rotate.addEventListener('click', async () => {
      listMsg.clear();
      rotate.disabled = true;
      try {
        const r = await post<{ secret: string }>(`/api-keys/${k.id}/rotate`);
        reveal.replaceChildren(secretPanel(r.secret));
      } catch (err) {
        listMsg.show(errorText(err, 'Could not rotate the key.'));
      } finally {
        rotate.disabled = false;
      }
    });
    const revoke = confirmButton(
      'Revoke',
      `Revoke ${k.name}? Clients using it stop working at once.`,
      'Yes, revoke',
      async () => {
        listMsg.clear();
        await api(`/api-keys/${k.id}`, { method: 'DELETE' }).catch((err: unknown) =>
          listMsg.show(errorText(err, 'Could not revoke the key.')),
        );
        await load();
      },
    );
    return h(
      'li',
      {},
      h('strong', {}, k.name),
      ` nxk_${k.prefix}_… `,
      h('span', { class: 'muted' }, k.scopes.join(', ')),
      h('span', { class: 'actions' }, rotate, revoke),
    );
  }

  create.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    submit.disabled = true;
    try {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      const res = await post<{ secret: string }>('/api-keys', { name: name.value, scopes: chosen });
      reveal.replaceChildren(secretPanel(res.secret));
      name.value = '';
      await load();
    } catch (err) {
      msg.show(errorText(err, 'Could not create the key.'));
    } finally {
      submit.disabled = false;
    }
  });
  void load();
  return h('section', {}, h('h1', {}, 'API keys'), reveal, create, h('div', { class: 'card' }, listMsg.el, list));
}
