import { logout, session } from './api';
import { clear, h, leaveView } from './dom';
import { defaultsView } from './views/admin-defaults';
import { feedbackView } from './views/admin-feedback';
import { askView } from './views/ask';
import { authView } from './views/auth';
import { keysView } from './views/keys';
import { sourcesView } from './views/sources';
import './style.css';

const view = document.getElementById('view')!;
const nav = document.getElementById('nav')!;

interface Route {
  label: string;
  view: () => HTMLElement;
  admin?: boolean;
}

const routes: Record<string, Route> = {
  '#/sources': { label: 'Sources', view: sourcesView },
  '#/ask': { label: 'Ask', view: askView },
  '#/keys': { label: 'API keys', view: keysView },
  // Offered to admins only; the API enforces the role (403) whatever the client shows.
  '#/admin/defaults': { label: 'Defaults', view: defaultsView, admin: true },
  '#/admin/feedback': { label: 'Feedback', view: feedbackView, admin: true },
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
  for (const [href, r] of Object.entries(routes)) {
    if (r.admin && !session.isAdmin) continue;
    nav.append(h('a', { href, 'aria-current': location.hash === href ? 'page' : undefined }, r.label));
  }
  nav.append(out);
}

function render(): void {
  leaveView();
  renderNav();
  clear(view);
  if (!session.loggedIn) {
    view.append(authView(go));
    return;
  }
  const route = routes[location.hash] ?? routes['#/sources'];
  if (route.admin && !session.isAdmin) {
    view.append(h('p', { class: 'card' }, 'This page is for administrators.'));
    return;
  }
  view.append(route.view());
}

// A failed refresh ends the session: show the login instead of a page that can only fail.
session.onChange(() => (session.loggedIn ? renderNav() : render()));
window.addEventListener('hashchange', render);
render();
