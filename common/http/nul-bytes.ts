// NUL characters have no business in any request, and PostgreSQL refuses them in text: found anywhere in a
// request they are refused at the edge (common/http/input-guard.ts) instead of failing deep inside. So is a lone
// UTF-16 surrogate, which only a JSON escape (`"\ud800"`) can bring: it is not text, and Prisma's engine refuses
// the query that carries it (a 500 on the login, a tenant's name, an asset's site…). Pure.

const NUL = '\u0000';

/** Whether the URL (path or query, raw or %-encoded) holds a NUL. */
export const urlHasNul = (url: string): boolean => url.includes(NUL) || /%00/i.test(url);

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds a lone UTF-16 surrogate (is not well-formed Unicode). */
export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE.test(s);

const escapeKey = (k: string) =>
  k
    .replaceAll(NUL, '\\u0000')
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/**
 * Where the first string (or object key) that `bad` matches is in a parsed JSON value, as a path; undefined if
 * none. Only strings, arrays and plain objects are looked into: a body left as a stream or a Buffer is not walked.
 */
function findString(value: unknown, bad: (s: string) => boolean): string | undefined {
  // iterative: a deeply nested body must not overflow the stack
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return at || '/';
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object' && isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (bad(k)) return `${at}/${escapeKey(k)}`;
        stack.push([x, `${at}/${k}`]);
      }
    }
  }
  return undefined;
}

/** Where the first NUL is in a parsed JSON value (a string, or an object key), as a path; undefined if none. */
export const findNul = (value: unknown): string | undefined => findString(value, (s) => s.includes(NUL));

/** Where the first lone surrogate is in a parsed JSON value (a string, or an object key); undefined if none. */
export const findLoneSurrogate = (value: unknown): string | undefined => findString(value, hasLoneSurrogate);
