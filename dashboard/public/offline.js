// Offline, said plainly (issue 17, "offline actions are queued or refused clearly"): changes are refused, not
// queued. While the browser is offline a banner says so and the buttons that change something are disabled;
// a change that is attempted anyway (or whose request fails on the network) is refused by api.js with
// "You are offline — <action> was not sent" in the banner. Reading stays possible from what is on screen.
//
// The buttons that change something: submit buttons, primary buttons and any element with data-mutates;
// data-offline-ok exempts one (e.g. a panel's Retry), and tabs (role=tab) only filter what is shown.
/* global navigator, MutationObserver, setTimeout, clearTimeout */

const MUTATING = 'button[type=submit], button.btn-primary, [data-mutates]';
/** How long the banner of a refused change stays when the browser still believes it is online. */
const REFUSAL_MS = 10_000;
/** A click on a button this recent names the refused action ("Plan now was not sent"). */
const CLICK_MS = 3_000;

let banner;
let lastClick = { label: '', at: 0 };
let hideTimer;

const OFFLINE_TEXT = 'You are offline — changes are not sent until the connection is back.';

function show(text) {
  if (!banner) return;
  clearTimeout(hideTimer);
  banner.textContent = text;
  banner.hidden = false;
}

/** The button's label when the user just clicked one; else "the change (orders accept)" from the path. */
function actionLabel(method, path) {
  if (lastClick.label && Date.now() - lastClick.at < CLICK_MS) return `“${lastClick.label}”`;
  const words = path
    .split('?')[0]
    .split('/')
    .filter((w) => w && w !== 'api' && !/\d/.test(w));
  return `the change (${words.join(' ') || method})`;
}

/** The message of a change that was not sent, shown in the banner; api.js throws it as the error. */
export function refused(method, path) {
  const action = actionLabel(method, path);
  const text = navigator.onLine
    ? `The network failed — ${action} may not have been sent. Check it before trying again.`
    : `You are offline — ${action} was not sent.`;
  show(text);
  if (banner) banner.dataset.refused = 'true';
  if (navigator.onLine) hideTimer = setTimeout(() => (banner.hidden = true), REFUSAL_MS);
  return text;
}

function disableIn(node) {
  if (!(node instanceof window.Element)) return;
  const found = node.matches(MUTATING) ? [node] : [];
  found.push(...node.querySelectorAll(MUTATING));
  for (const el of found) {
    if (el.disabled || el.hasAttribute('data-offline-ok') || el.getAttribute('role') === 'tab') continue;
    el.disabled = true;
    el.dataset.offlineDisabled = 'true';
    el.title = el.title || 'You are offline';
  }
}

function enableIn(root) {
  for (const el of root.querySelectorAll('[data-offline-disabled]')) {
    el.disabled = false;
    delete el.dataset.offlineDisabled;
    if (el.title === 'You are offline') el.removeAttribute('title');
  }
}

/**
 * Shows the banner under the top bar while offline and disables the changing buttons under root (also those
 * rendered while offline); returns the stop function.
 */
export function watchOffline(root, after) {
  banner = document.createElement('div');
  banner.className = 'offline-banner';
  banner.setAttribute('role', 'status');
  banner.dataset.testid = 'offline-banner';
  banner.hidden = true;
  after.after(banner);

  const observer = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) disableIn(n);
  });
  const offline = () => {
    document.body.dataset.offline = 'true';
    show(OFFLINE_TEXT);
    delete banner.dataset.refused;
    disableIn(root);
    observer.observe(root, { childList: true, subtree: true });
  };
  const online = () => {
    delete document.body.dataset.offline;
    observer.disconnect();
    enableIn(root);
    banner.hidden = true;
    delete banner.dataset.refused;
  };
  const onClick = (e) => {
    const b = e.target instanceof window.Element ? e.target.closest('button, [role=button]') : null;
    if (b) lastClick = { label: b.textContent.trim().replace(/\s+/g, ' ').slice(0, 60), at: Date.now() };
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  document.addEventListener('click', onClick, true);
  if (!navigator.onLine) offline();
  return () => {
    window.removeEventListener('offline', offline);
    window.removeEventListener('online', online);
    document.removeEventListener('click', onClick, true);
    observer.disconnect();
    banner.remove();
  };
}
