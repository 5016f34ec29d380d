// The dashboard shell: checks the session, connects the live channel, and routes (#/view or #/view/param) to the
// views the user's role may open. Each view module exports mount(root, ctx) and returns an unmount function;
// ctx is { api, live, user, param, setParam }, setParam(p) updates the address without mounting again.
/* global location, history */
import { api, logout, session, toLogin, watchSession } from './api.js';
import { badge, fill, errorBox, h } from './dom.js';
import { watchKeyboard } from './keyboard.js';
import { connectLive } from './live.js';
import { watchOffline } from './offline.js';
import { failedPanel } from './panel-load.js';
import { sessionUntil } from './session-until.js';

const VIEWS = {
  assets: { label: 'My assets', load: () => import('./views/customer.js') },
  dispatch: { label: 'Dispatch', load: () => import('./views/dispatcher.js') },
  models: { label: 'Models', load: () => import('./views/engineer.js') },
  admin: { label: 'Platform', load: () => import('./views/admin.js') },
  history: { label: 'Service history', load: () => import('./views/service-history.js') },
  users: { label: 'Users', load: () => import('./views/users.js') },
  tenants: { label: 'Tenants & sites', load: () => import('./views/tenants.js') },
  notifications: { label: 'Notifications', load: () => import('./views/notifications.js') },
  billing: { label: 'Billing & reuse', load: () => import('./views/billing.js') },
  parts: { label: 'Parts planning', load: () => import('./views/parts-planning.js') },
  schedule: { label: 'Schedule', load: () => import('./views/schedule.js') },
  devices: { label: 'Devices', load: () => import('./views/devices.js') },
  deadletters: { label: 'Dead letters', load: () => import('./views/dead-letters.js') },
  // opened from the board, the customer's orders and the history (#/orders/<id>), not from the navigation
  orders: { label: 'Order', load: () => import('./views/order-detail.js'), hidden: true },
  // the technician's phone view: his jobs of the day and his field steps
  jobs: { label: 'My jobs', load: () => import('./views/technician.js') },
};

const ROLE_VIEWS = {
  CUSTOMER: ['assets', 'history', 'billing', 'notifications', 'orders'],
  DISPATCHER: ['dispatch', 'schedule', 'parts', 'models', 'history', 'notifications', 'orders'],
  TECHNICIAN: ['jobs'],
  ENGINEER: ['models', 'orders'],
  ADMIN: [
    'admin',
    'users',
    'tenants',
    'devices',
    'deadletters',
    'dispatch',
    'schedule',
    'parts',
    'models',
    'history',
    'billing',
    'notifications',
    'orders',
  ],
};

const s = session();
if (!s) toLogin();
else start(s);

async function start({ token, user, expiresAt, issuedAt }) {
  const allowed = ROLE_VIEWS[user.role] ?? [];
  const root = document.getElementById('view');
  const nav = document.getElementById('nav');
  const status = document.getElementById('live-status');

  document
    .getElementById('who')
    .append(
      h('span', { class: 'who-email' }, user.email),
      badge(user.role, 'role'),
      sessionUntil(expiresAt, issuedAt),
    );
  document.body.dataset.role = user.role;
  watchKeyboard(document.body);
  watchOffline(root, document.querySelector('.topbar'));

  // the token may have expired since it was stored: a 401 here returns to the login page
  try {
    await api('/api/auth/me');
  } catch (err) {
    if (err.status !== 401)
      fill(
        root,
        failedPanel(err, () => location.reload()),
      );
    return;
  }

  const live = connectLive(token, {
    onStatus: (state) => {
      status.dataset.state = state;
      status.textContent = state === 'connected' ? 'Live' : 'Reconnecting…';
    },
    // revoked: a logout elsewhere (every tab and device) or a change of the account; else expired
    onUnauthorized: (code) => toLogin(code === 'AUTH_TOKEN_REVOKED' ? 'signed-out' : 'expired', token),
  });
  document.getElementById('logout').addEventListener('click', () => {
    stopWatching();
    live.close();
    logout();
  });
  // a logout in another tab ends this one; a login as someone else there reloads this one as that user
  const stopWatching = watchSession({
    onEnded: (reason) => {
      live.close();
      toLogin(reason, token);
    },
    onChanged: () => location.reload(),
  });

  for (const name of allowed.filter((n) => !VIEWS[n].hidden)) {
    nav.append(
      h(
        'a',
        { href: `#/${name}`, class: 'nav-link', 'data-view': name, 'data-testid': `nav-${name}` },
        VIEWS[name].label,
      ),
    );
  }

  let unmount;
  let routing = 0;
  async function route() {
    const [want, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
    const name = allowed.includes(want) ? want : allowed[0];
    if (!name) {
      fill(root, errorBox(new Error(`No view for the role ${user.role}.`)));
      return;
    }
    const param = want === name && rest.length ? decodeParam(rest.join('/')) : undefined;
    if (want !== name) history.replaceState(null, '', `#/${name}`);
    for (const a of nav.querySelectorAll('.nav-link')) {
      if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const ticket = ++routing;
    // a view still loading when the route changes must not rewrite the new route's address
    const setParam = (p) => {
      if (ticket === routing)
        history.replaceState(null, '', p ? `#/${name}/${encodeURIComponent(p)}` : `#/${name}`);
    };
    unmount?.();
    unmount = undefined;
    // each view mounts into its own element: a view still loading when the route changes writes to a detached one
    const host = h('div', { class: 'view-host', 'data-view': name });
    fill(root, h('p', { class: 'loading' }, 'Loading…'));
    root.dataset.view = name;
    delete root.dataset.ready;
    try {
      const mod = await VIEWS[name].load();
      if (ticket !== routing) return;
      const off = await mod.mount(host, { api, live, user, param, setParam });
      if (ticket !== routing) return off?.();
      unmount = off;
      fill(root, host);
      root.dataset.ready = name;
    } catch (err) {
      // the view's own load failed: its error and a Retry that loads just this view again
      if (ticket === routing) fill(root, failedPanel(err, route, { testid: 'view-error' }));
    }
  }
  window.addEventListener('hashchange', route);
  await route();
}

function decodeParam(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
