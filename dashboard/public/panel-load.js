// A data panel's load with its failure shown in the panel itself: the error and a Retry button that runs just
// that panel's load again (issue 17, "a failing request shows a message with a retry in the panel that
// failed"). A 5xx, a network error and a timeout (api.js) all arrive here as an Error with a message.
import { errorBox, fill, h } from './dom.js';

/** The error of a panel and a Retry that calls retry(); the button shows "Retrying…" while it runs. */
export function failedPanel(err, retry, { testid = 'panel-error' } = {}) {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-sm',
      'data-testid': 'panel-retry',
      // retrying offline shows the same error again; it changes nothing on the server
      'data-offline-ok': true,
      onclick: async () => {
        button.disabled = true;
        button.textContent = 'Retrying…';
        try {
          await retry();
        } finally {
          if (button.isConnected) {
            button.disabled = false;
            button.textContent = 'Retry';
          }
        }
      },
    },
    'Retry',
  );
  return h('div', { class: 'panel-error', 'data-testid': testid }, errorBox(err), button);
}

/**
 * Runs load() for the panel el; when it fails, el shows the error and a Retry that runs loadInto again.
 * Returns load()'s result, or undefined when it failed.
 */
export async function loadInto(el, load, opts) {
  try {
    return await load();
  } catch (err) {
    fill(
      el,
      failedPanel(err, () => loadInto(el, load, opts), opts),
    );
    return undefined;
  }
}

/**
 * For an optional part of a panel (`.catch(emptyIfRefused)`): a refusal (4xx, e.g. a role that may not read it)
 * gives an empty list; a server or network failure still fails the panel, with its Retry.
 */
export function emptyIfRefused(err) {
  if (!err?.status || err.status >= 500) throw err;
  return [];
}
