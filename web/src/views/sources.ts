import { api, errorText, post } from '../api';
import { confirmButton, field, h, isAsking, messageBox, onLeave, placeholder } from '../dom';
import { readSse } from '../sse';

interface JobView {
  id: string;
  status: string;
  counters?: Record<string, number | Record<string, number>>;
  lastError?: string | null;
}
interface SourceView {
  id: string;
  url: string;
  domain: string;
  status: string;
  maxPages: number;
  job?: JobView | null;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function countersText(job: JobView): string {
  const c = job.counters ?? {};
  const n = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  const unchanged = n('unchanged') ? ` · unchanged ${n('unchanged')}` : '';
  return `discovered ${n('discovered')} · fetched ${n('fetched')} · indexed ${n('indexed')}${unchanged}`;
}

export function sourcesView(): HTMLElement {
  const addMsg = messageBox();
  const listMsg = messageBox();
  const list = h('ul', { class: 'list', 'aria-label': 'Sources' });
  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://docs.example.com/' });
  const domain = h('input', { type: 'text', name: 'domain', placeholder: 'defaults to the URL host' });
  const maxPages = h('input', { type: 'number', name: 'maxPages', min: '1', value: '50' });
  const submit = h('button', { type: 'submit' }, 'Crawl it');
  const add = h(
    'form',
    { class: 'card', 'aria-label': 'Add a source' },
    h('h2', {}, 'Add a site'),
    field('URL', url),
    field('Domain', domain),
    field('Max pages', maxPages),
    submit,
    addMsg.el,
  );
  // Live job streams of the rows on screen; closed on every reload and when the view is left.
  const streams: AbortController[] = [];
  const section = h('section', {}, h('h1', {}, 'Sources'), add, h('div', { class: 'card' }, listMsg.el, list));

  const closeStreams = () => streams.splice(0).forEach((c) => c.abort());
  onLeave(closeStreams);

  async function load(): Promise<void> {
    // A crawl ending while the user confirms a deletion must not redraw the question away.
    if (isAsking(list)) {
      if (section.isConnected) setTimeout(() => void load(), 300);
      return;
    }
    closeStreams();
    if (!list.childElementCount) placeholder(list, 'Loading sources…', 'loading');
    try {
      const res = await api<{ items: SourceView[] } | SourceView[]>('/sources');
      const listed = Array.isArray(res) ? res : res.items;
      // The list has no job; each source's detail carries its last job (for live progress).
      const sources = await Promise.all(listed.map((s) => api<SourceView>(`/sources/${s.id}`).catch(() => s)));
      if (!section.isConnected) return; // the view was left meanwhile: open no streams
      closeStreams(); // a concurrent load may have rendered rows meanwhile
      if (!sources.length) placeholder(list, 'No sources yet — add a site above.', 'no-sources');
      else list.replaceChildren(...sources.map(row));
    } catch (err) {
      list.replaceChildren();
      listMsg.show(errorText(err, 'Could not load your sources.'));
    }
  }

  function row(s: SourceView): HTMLElement {
    const job = s.job ?? null;
    const status = h('span', { class: 'badge', 'data-testid': 'job-status' });
    const counters = h('span', { class: 'muted', 'data-testid': 'job-counters' });
    // Why a crawl failed (refused address, unreachable start page…), kept current by the stream.
    const error = h('span', { class: 'msg error', role: 'alert', 'data-testid': 'job-error', hidden: true });
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel crawl');
    const recrawl = h('button', { type: 'button', class: 'secondary' }, 'Recrawl');
    const act = async (button: HTMLButtonElement | null, fn: () => Promise<unknown>, failed: string) => {
      listMsg.clear();
      if (button) button.disabled = true;
      try {
        await fn();
      } catch (err) {
        listMsg.show(errorText(err, failed));
      }
      await load();
    };
    const del = confirmButton('Delete', `Delete ${s.domain} with all its pages?`, 'Yes, delete', () =>
      act(null, () => api(`/sources/${s.id}`, { method: 'DELETE' }), 'Could not delete the source.'),
    );
    const show = (j: JobView | null) => {
      const state = j?.status ?? s.status;
      status.textContent = state;
      status.className = `badge ${state}`;
      counters.textContent = j ? countersText(j) : '';
      const indexed = typeof j?.counters?.indexed === 'number' ? j.counters.indexed : 0;
      const empty = j?.status === 'completed' && indexed === 0 && !j.counters?.unchanged;
      error.textContent = j?.lastError
        ? `Crawl failed: ${j.lastError}`
        : empty
          ? 'Nothing was indexed: the pages list of this source gives each skip reason.'
          : '';
      error.hidden = !error.textContent;
      // Cancel only means something while a crawl runs; a recrawl only once it has ended.
      cancel.hidden = !j || TERMINAL.has(j.status);
      recrawl.hidden = !cancel.hidden;
    };
    show(job);
    if (job) {
      cancel.addEventListener('click', () =>
        act(cancel, () => post(`/ingestion-jobs/${job.id}/cancel`), 'Could not cancel the crawl.'),
      );
      if (!TERMINAL.has(job.status)) {
        const ctrl = new AbortController();
        streams.push(ctrl);
        readSse(
          `/ingestion-jobs/${job.id}/events`,
          {},
          (e) => {
            show(e.data as JobView);
            if (e.event === 'end') void load();
          },
          ctrl.signal,
        ).catch(() => undefined);
      }
    }
    recrawl.addEventListener('click', () =>
      act(recrawl, () => post(`/sources/${s.id}/recrawl`), 'Could not start a recrawl.'),
    );
    return h(
      'li',
      { 'data-testid': 'source', 'data-source-id': s.id },
      h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.url),
      status,
      counters,
      error,
      h('span', { class: 'actions' }, cancel, recrawl, del),
    );
  }

  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    addMsg.clear();
    submit.disabled = true;
    try {
      await post('/sources', {
        url: url.value,
        ...(domain.value ? { domain: domain.value } : {}),
        maxPages: Number(maxPages.value),
      });
      url.value = '';
      domain.value = '';
      await load();
    } catch (err) {
      addMsg.show(errorText(err, 'Could not add the source.'));
    } finally {
      submit.disabled = false;
    }
  });
  void load();
  return section;
}
