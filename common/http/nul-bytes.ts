// NUL characters have no business in any request, and PostgreSQL refuses them in text: found anywhere in a
// request they are refused at the edge (common/http/input-guard.ts) instead of failing deep inside. Pure.

const NUL = '\u0000';

/** Whether the URL (path or query, raw or %-encoded) holds a NUL. */
export const urlHasNul = (url: string): boolean => url.includes(NUL) || /%00/i.test(url);

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Where the first NUL is in a parsed JSON value (a string, or an object key), as a path; undefined if none.
 * Only strings, arrays and plain objects are looked into: a body left as a stream or a Buffer is not walked.
 */
export function findNul(value: unknown): string | undefined {
  // iterative: a deeply nested body must not overflow the stack
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return at || '/';
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object' && isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes(NUL)) return `${at}/${k.replaceAll(NUL, '\\u0000')}`;
        stack.push([x, `${at}/${k}`]);
      }
    }
  }
  return undefined;
}
