// The stated lifetime of the sign-in, in the top bar: "until 03:25" (with the date when not today) and, on
// hover and for screen readers, how long a sign-in lasts. The token is kept for every tab of this browser
// until then (api.js); logging out ends it everywhere at once.
import { h } from './dom.js';
import { duration } from './format.js';

/** "12 hrs", "30 days", "1 hr, 30 min" in the locale; to the minute (a token's times are in seconds). */
const lifetime = (ms) => duration(Math.round(ms / 60_000) * 60_000);

export function sessionUntil(expiresAt, issuedAt) {
  if (!expiresAt) return null;
  const end = new Date(expiresAt);
  const today = end.toDateString() === new Date().toDateString();
  const text = end.toLocaleString(undefined, {
    ...(today ? {} : { weekday: 'short', day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  });
  const full = `Signed in until ${end.toLocaleString()}${
    issuedAt ? ` (a sign-in lasts ${lifetime(expiresAt - issuedAt)}; logging out ends it in every tab)` : ''
  }`;
  return h(
    'span',
    {
      class: 'session-until muted small',
      'data-testid': 'session-until',
      'data-expires-at': end.toISOString(),
      title: full,
      'aria-label': full,
    },
    `until ${text}`,
  );
}
