import { api, ApiError, post } from '../api';
import { clear, field, h, messageBox } from '../dom';
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
  pageCount?: number;
  job?: JobView;
  lastJob?: JobView;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function countersText(job: JobView): string {
  const c = job.counters ?? {};
  const n = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  return `discovered ${n('discovered')} · fetched ${n('fetched')} · indexed ${n('indexed')}`;
}

/** Live progress of one job through its SSE stream; returns a stop function. */
function watchJob(job: JobView, status: HTMLElement, counters: HTMLElement, onEnd: () => void): () => void {
  const ctrl = new AbortController();
  const show = (j: JobView) => {
    status.textContent = j.status;
    status.className = `badge ${j.status}`;
    counters.textContent = countersText(j);
  };
  show(job);
  if (!TERMINAL.has(job.status)) {
    readSse(`/ingestion-jobs/${job.id}/events`, {}, (e) => {
      show(e.data as JobView);
      if (e.event === 'end') onEnd();
    }, ctrl.signal).catch(() => undefined);
  }
  return () => ctrl.abort();
}

export function sourcesView(): HTMLElement {
  const msg = messageBox();
  const list = h('ul', { class: 'list', 'aria-label': 'Sources' });
  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://docs.example.com/' });
  const domain = h('input', { type: 'text', name: 'domain', placeholder: 'defaults to the URL host' });
  const maxPages = h('input', { type: 'number', name: 'maxPages', min: '1', value: '50' });
  const add = h('form', { class: 'card', 'aria-label': 'Add a source' }, h('h2', {}, 'Add a site'), field('URL', url), field('Domain', domain), field('Max pages', maxPages), h('button', { type: 'submit' }, 'Crawl it'), msg.el);
  const stops: (() => void)[] = [];

  async function load(): Promise<void> {
    stops.splice(0).forEach((s) => s());
    clear(list);
    list.append(h('li', { class: 'muted' }, 'Loading…'));
    try {
      const res = await api<{ items: SourceView[] } | SourceView[]>('/sources');
      const listed = Array.isArray(res) ? res : res.items;
      // The list has no job; each source's detail carries its last job (for live progress).
      const sources = await Promise.all(listed.map((s) => api<SourceView>(`/sources/${s.id}`).catch(() => s)));
      clear(list);
      if (!sources.length) list.append(h('li', { class: 'muted', 'data-testid': 'no-sources' }, 'No sources yet — add a site above.'));
      for (const s of sources) list.append(row(s));
    } catch (err) {
      clear(list);
      msg.show(err instanceof ApiError ? err.message : 'Could not load sources');
    }
  }

  function row(s: SourceView): HTMLElement {
    const job = s.job ?? s.lastJob;
    const status = h('span', { class: 'badge', 'data-testid': 'job-status' }, job?.status ?? s.status);
    const counters = h('span', { class: 'muted', 'data-testid': 'job-counters' }, job ? countersText(job) : '');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const recrawl = h('button', { type: 'button' }, 'Recrawl');
    const del = h('button', { type: 'button', class: 'danger' }, 'Delete');
    const act = async (fn: () => Promise<unknown>) => {
      msg.clear();
      try {
        await fn();
      } catch (err) {
        msg.show(err instanceof ApiError ? err.message : 'Request failed');
      }
      await load();
    };
    cancel.addEventListener('click', () => job && act(() => post(`/ingestion-jobs/${job.id}/cancel`)));
    recrawl.addEventListener('click', () => act(() => post(`/sources/${s.id}/recrawl`)));
    del.addEventListener('click', () => act(() => api(`/sources/${s.id}`, { method: 'DELETE' })));
    if (job) stops.push(watchJob(job, status, counters, () => void load()));
    return h('li', { 'data-testid': 'source' }, h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.url), ' ', status, ' ', counters, h('span', { class: 'actions' }, cancel, recrawl, del));
  }

  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    try {
      await post('/sources', { url: url.value, ...(domain.value ? { domain: domain.value } : {}), maxPages: Number(maxPages.value) });
      url.value = '';
      await load();
    } catch (err) {
      msg.show(err instanceof ApiError ? err.message : 'Could not add the source');
    }
  });
  void load();
  return h('section', {}, h('h1', {}, 'Sources'), add, h('div', { class: 'card' }, list));
}
