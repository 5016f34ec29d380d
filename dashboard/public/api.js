// The HTTP API: a fetch wrapper that sends the bearer token kept in sessionStorage and goes back to the
// login page when the token is missing, expired or refused (401).
/* global sessionStorage, fetch, location, URLSearchParams */

const TOKEN_KEY = 'preempt.token';
const USER_KEY = 'preempt.user';
/** Where the dashboard was when the session ended (its #/view/param), to return to after the login. */
const NEXT_KEY = 'preempt.next';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function session() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const user = sessionStorage.getItem(USER_KEY);
  if (!token || !user) return null;
  try {
    return { token, user: JSON.parse(user) };
  } catch {
    return null;
  }
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** Back to the login page, e.g. after a 401 or on logout. */
export function toLogin(reason) {
  clearSession();
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
  sessionStorage.setItem(TOKEN_KEY, body.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(body.user));
  return body;
}

/** The dashboard address to open after a login: where the last session ended (a deep link), once. */
export function afterLogin() {
  const next = sessionStorage.getItem(NEXT_KEY);
  sessionStorage.removeItem(NEXT_KEY);
  return next && /^#\/[\w-]/.test(next) ? `/app.html${next}` : '/app.html';
}

/** Calls the API with the session's token; a 401 ends the session. */
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
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await parse(res);
  if (res.status === 401) {
    toLogin('expired');
    throw new ApiError(401, data?.code, data?.message ?? 'session expired');
  }
  if (!res.ok)
    throw new ApiError(res.status, data?.code, data?.message ?? `${method} ${path} failed (${res.status})`);
  return data;
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
