import { logout, session } from './api';
import { clear, h } from './dom';
import { askView } from './views/ask';
import { authView } from './views/auth';
import { keysView } from './views/keys';
import { sourcesView } from './views/sources';
import './style.css';

const view = document.getElementById('view')!;
const nav = document.getElementById('nav')!;

const routes: Record<string, () => HTMLElement> = {
  '#/sources': sourcesView,
  '#/ask': askView,
  '#/keys': keysView,
};

function go(route: string): void {
  if (location.hash === route) render();
  else location.hash = route;
}

function renderNav(): void {
  clear(nav);
  if (!session.loggedIn) return;
  const out = h('button', { type: 'button', class: 'link' }, 'Log out');
  out.addEventListener('click', async () => {
    await logout();
    go('#/login');
  });
  for (const [href, label] of [
    ['#/sources', 'Sources'],
    ['#/ask', 'Ask'],
    ['#/keys', 'API keys'],
  ]) {
    nav.append(h('a', { href, 'aria-current': location.hash === href ? 'page' : undefined }, label));
  }
  nav.append(out);
}

function render(): void {
  renderNav();
  clear(view);
  const route = location.hash || '#/sources';
  if (!session.loggedIn) {
    view.append(authView(go));
    return;
  }
  view.append((routes[route] ?? sourcesView)());
}

session.onChange(renderNav);
window.addEventListener('hashchange', render);
render();
