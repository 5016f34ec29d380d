// The HTTP API: a fetch wrapper that sends the bearer token and goes back to the login page when the token is
// missing, expired or refused (401). The token is kept in localStorage, so a new tab of the same browser is
// signed in too, until the token's own expiry (TOKEN_TTL_MINUTES, 12 h by default; shown in the top bar) or a
// logout, which revokes it on the server for every tab and device (docs/adr/0006-token-revocation.md) and ends
// the other tabs at once (watchSession). A read that does not answer within REQUEST_TIMEOUT_MS fails; a
// change (POST, PUT, PATCH, DELETE) is not sent while the browser is offline (offline.js); that holds for a
// FormData body (the technician's photos, as multipart/form-data) as for JSON.
/* global sessionStorage, localStorage, fetch, location, URLSearchParams, navigator, AbortSignal, atob, FormData */
import { inUnit } from './format.js';
import { refused } from './offline.js';

const TOKEN_KEY = 'preempt.token';
const USER_KEY = 'preempt.user';
/** Where the dashboard was when the session ended (its #/view/param), to return to after the login. */
const NEXT_KEY = 'preempt.next';
/** A read with no answer after this long fails with a message (and the panel's Retry). */
const REQUEST_TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The token's issue and expiry times (ms) from its payload; the server checks them, this only states them. */
function tokenTimes(token) {
  try {
    const part = token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/');
    const { iat, exp } = JSON.parse(atob(part));
    return { issuedAt: iat * 1000, expiresAt: exp * 1000 };
  } catch {
    return { issuedAt: undefined, expiresAt: undefined };
  }
}

/** The signed-in session of this browser (every tab): { token, user, issuedAt, expiresAt }, or null. */
export function session() {
  const token = localStorage.getItem(TOKEN_KEY);
  const user = localStorage.getItem(USER_KEY);
  if (!token || !user) return null;
  const times = tokenTimes(token);
  if (times.expiresAt !== undefined && times.expiresAt <= Date.now()) return null;
  try {
    return { token, user: JSON.parse(user), ...times };
  } catch {
    return null;
  }
}

/** Forgets the stored session; with a token, only if it is still the stored one (a newer login stays). */
export function clearSession(token) {
  if (token && localStorage.getItem(TOKEN_KEY) !== token) return;
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

/**
 * Follows the session of the other tabs: a logout (or an ended session) there calls onEnded('signed-out') here;
 * a login as someone else there calls onChanged. onEnded('expired') when the token expires. Returns the stop
 * function.
 */
export function watchSession({ onEnded, onChanged }) {
  const s = session();
  const onStorage = (e) => {
    if (e.key !== TOKEN_KEY && e.key !== null) return;
    const now = localStorage.getItem(TOKEN_KEY);
    if (!now) onEnded('signed-out');
    else if (now !== s?.token) onChanged();
  };
  window.addEventListener('storage', onStorage);
  // setTimeout takes at most 2^31-1 ms (24.8 days); TOKEN_TTL_MINUTES is at most 30 days
  const left = s?.expiresAt ? Math.min(s.expiresAt - Date.now(), 2 ** 31 - 1) : undefined;
  const timer =
    left === undefined ? undefined : window.setTimeout(() => onEnded('expired'), Math.max(0, left));
  return () => {
    window.removeEventListener('storage', onStorage);
    window.clearTimeout(timer);
  };
}

/** Back to the login page, e.g. after a 401 or on logout. */
export function toLogin(reason, token) {
  clearSession(token);
  if (location.pathname.endsWith('/app.html') && /^#\/[\w-]/.test(location.hash))
    sessionStorage.setItem(NEXT_KEY, location.hash);
  location.assign(reason ? `/?reason=${encodeURIComponent(reason)}` : '/');
}

async function parse(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function login(email, password) {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await parse(res);
  if (!res.ok) throw new ApiError(res.status, body?.code, body?.message ?? `login failed (${res.status})`);
  localStorage.setItem(TOKEN_KEY, body.token);
  localStorage.setItem(USER_KEY, JSON.stringify(body.user));
  return body;
}

/** The dashboard address to open after a login: where the last session ended (a deep link), once. */
export function afterLogin() {
  const next = sessionStorage.getItem(NEXT_KEY);
  sessionStorage.removeItem(NEXT_KEY);
  return next && /^#\/[\w-]/.test(next) ? `/app.html${next}` : '/app.html';
}

/**
 * Calls the API with the session's token; a 401 ends the session. The body is sent as JSON, or as it is when it
 * is a FormData (multipart/form-data, its boundary set by the browser).
 */
export async function api(path, { method = 'GET', body, query } = {}) {
  const s = session();
  if (!s) {
    toLogin();
    throw new ApiError(401, 'AUTH_TOKEN_MISSING', 'not signed in');
  }
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    if ([...q].length) url += `?${q}`;
  }
  const headers = { authorization: `Bearer ${s.token}` };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  const change = method !== 'GET' && method !== 'HEAD';
  // a change is not sent offline: refused with a message, never silently lost
  if (change && !navigator.onLine) throw refusedError(method, path);
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined || form ? body : JSON.stringify(body),
      // a read that hangs fails (with its panel's Retry); a change is waited for: giving up on it would leave
      // unknown whether it was done
      signal: change ? undefined : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    if (err?.name === 'TimeoutError')
      throw new ApiError(
        0,
        'TIMEOUT',
        `The server did not answer within ${inUnit(REQUEST_TIMEOUT_MS / 1000, 'second')}.`,
      );
    if (change) throw refusedError(method, path);
    throw new ApiError(
      0,
      'NETWORK',
      navigator.onLine ? 'The server could not be reached.' : 'You are offline: this could not be loaded.',
    );
  }
  const data = await parse(res);
  if (res.status === 401) {
    toLogin('expired', s.token);
    throw new ApiError(401, data?.code, data?.message ?? 'session expired');
  }
  if (!res.ok)
    throw new ApiError(res.status, data?.code, data?.message ?? `${method} ${path} failed (${res.status})`);
  return data;
}

function refusedError(method, path) {
  const message = refused(method, path);
  return new ApiError(0, 'OFFLINE', message);
}

/** Revokes the session's token on the server (every tab and device of the account), then to the login page. */
export async function logout() {
  const s = session();
  if (s)
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
    }).catch(() => undefined);
  toLogin();
  // a deliberate logout keeps no place to return to: the next person to sign in starts at their own view
  sessionStorage.removeItem(NEXT_KEY);
}
