// Keyboard use of the whole dashboard (issue 17): the skip link to the main content, the arrow keys in every
// tab list (the WAI-ARIA tabs pattern: ArrowLeft/ArrowRight, Home/End move focus and selection; one tab stop
// per list) and panels that take focus when opened, keep it (Tab cycles inside), close on Escape and give the
// focus back to the control that opened them.
/* global MutationObserver, requestAnimationFrame, queueMicrotask, CSS */

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const tabsOf = (list) =>
  [...list.querySelectorAll('[role=tab]')].filter((t) => t.closest('[role=tablist]') === list);

/** One tab stop per tab list: the selected tab (or the first) takes Tab, the others the arrow keys. */
function rove(root) {
  for (const list of root.querySelectorAll('[role=tablist]')) {
    const tabs = tabsOf(list);
    const selected = tabs.find((t) => t.getAttribute('aria-selected') === 'true') ?? tabs[0];
    for (const t of tabs) {
      const want = t === selected ? '0' : '-1';
      if (t.getAttribute('tabindex') !== want) t.setAttribute('tabindex', want);
    }
  }
}

function onTabKey(e) {
  const tab = e.target instanceof window.Element ? e.target.closest('[role=tab]') : null;
  const list = tab?.closest('[role=tablist]');
  if (!list || e.altKey || e.ctrlKey || e.metaKey) return;
  const tabs = tabsOf(list).filter((t) => !t.disabled);
  const at = tabs.indexOf(tab);
  const vertical = list.getAttribute('aria-orientation') === 'vertical';
  const prev = vertical ? 'ArrowUp' : 'ArrowLeft';
  const next = vertical ? 'ArrowDown' : 'ArrowRight';
  let to;
  if (e.key === prev) to = (at - 1 + tabs.length) % tabs.length;
  else if (e.key === next) to = (at + 1) % tabs.length;
  else if (e.key === 'Home') to = 0;
  else if (e.key === 'End') to = tabs.length - 1;
  else return;
  e.preventDefault();
  const target = tabs[to];
  const all = tabsOf(list);
  const index = all.indexOf(target);
  target.focus();
  // selection follows focus; a view may draw its tabs again when one is chosen: focus the new one
  target.click();
  // only when the redraw lost the focus (it fell to the body): a control the user focused meanwhile keeps it (the
  // frame's check came after a click elsewhere or a script's focus() and took the focus back to the tab)
  const refocus = () => {
    const now = tabsOf(list)[index];
    const active = document.activeElement;
    if (now && active !== now && (!active || active === document.body)) now.focus();
  };
  refocus();
  requestAnimationFrame(refocus);
}

/** The skip link moves the focus to the main content without changing the address (the router's hash). */
function onSkip(e) {
  const link = e.target instanceof window.Element ? e.target.closest('[data-skip-to]') : null;
  if (!link) return;
  e.preventDefault();
  const main = document.getElementById(link.dataset.skipTo);
  main?.focus();
  main?.scrollIntoView?.({ block: 'start' });
}

/** The keyboard behaviour of the page under root; returns the stop function. */
export function watchKeyboard(root) {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      rove(root);
    });
  });
  observer.observe(root, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['aria-selected'],
  });
  rove(root);
  document.addEventListener('keydown', onTabKey);
  document.addEventListener('click', onSkip);
  return () => {
    observer.disconnect();
    document.removeEventListener('keydown', onTabKey);
    document.removeEventListener('click', onSkip);
  };
}

/**
 * Runs `draw` (a view drawing its rows anew, e.g. on a live update) and keeps the keyboard focus where it was: on
 * the control's successor (same row and testid) when the one focused was replaced. Without it a live update
 * dropped the focus of a keyboard user to the page, and the next Enter went nowhere.
 */
export function redrawKeepingFocus(draw) {
  const active = document.activeElement;
  draw();
  if (active && active !== document.body && !active.isConnected) successor(active)?.focus();
}

/** Where the focus goes back to: the opener, or its successor when the view drew it again (same row and testid). */
function successor(opener) {
  if (!opener) return null;
  if (opener.isConnected) return opener;
  const testid = opener.dataset?.testid;
  const row = opener.closest?.('[data-order-id]')?.dataset.orderId;
  if (!testid) return null;
  const id = `[data-testid="${CSS.escape(testid)}"]`;
  if (!row) return document.querySelector(id);
  const at = `[data-order-id="${CSS.escape(row)}"]`;
  return document.querySelector(`${at} ${id}`) ?? document.querySelector(`${id}${at}`);
}

/**
 * Focus handling of a panel (a side panel or a dialog) that its owner shows and hides: open() remembers the
 * focused control and moves the focus into the panel; while open, Tab cycles inside it and Escape calls
 * onEscape (the owner's close); close() gives the focus back to the opener.
 */
export function panelFocus(panel, { onEscape }) {
  let opener = null;
  let isOpen = false;
  if (!panel.hasAttribute('tabindex')) panel.setAttribute('tabindex', '-1');

  const onKey = (e) => {
    if (!isOpen) return;
    // the view was left with the panel open: forget it
    if (!panel.isConnected) {
      isOpen = false;
      document.removeEventListener('keydown', onKey);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      onEscape();
      return;
    }
    if (e.key !== 'Tab' || !panel.contains(document.activeElement)) return;
    const items = [...panel.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (!items.length) return e.preventDefault();
    const first = items[0];
    const last = items.at(-1);
    if (e.shiftKey && (document.activeElement === first || document.activeElement === panel)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return {
    /** Moves the focus into the panel (its first field or button); the control focused outside it is the opener. */
    open(focusFirst = true) {
      const active = document.activeElement;
      if (active && active !== document.body && !panel.contains(active)) opener = active;
      if (!isOpen) {
        isOpen = true;
        document.addEventListener('keydown', onKey);
      }
      if (!focusFirst && panel.contains(document.activeElement)) return;
      const first = panel.querySelector(
        'input:not([disabled]), select:not([disabled]), textarea:not([disabled])',
      );
      (first ?? panel.querySelector(FOCUSABLE) ?? panel).focus();
    },
    /** Forgets the panel's focus and returns it to the opener (when the focus was in the panel or lost). */
    close() {
      if (!isOpen) return;
      isOpen = false;
      document.removeEventListener('keydown', onKey);
      const active = document.activeElement;
      const lost = !active || active === document.body || !active.isConnected || panel.contains(active);
      const back = successor(opener);
      opener = null;
      if (lost && back) back.focus();
    },
    get isOpen() {
      return isOpen;
    },
  };
}
