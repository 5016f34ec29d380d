// NUL characters have no business in any request, and PostgreSQL refuses them in text: found anywhere in a
// request they are refused at the edge (dashboard/http/input-guard.ts) instead of failing deep inside. Pure.

const NUL = '\u0000';

/** Whether the URL (path or query, raw or %-encoded) holds a NUL. */
export const urlHasNul = (url: string): boolean => url.includes(NUL) || /%00/i.test(url);

/** Where the first NUL is in a parsed JSON value (a string, or an object key), as a path; undefined if none. */
export function findNul(value: unknown): string | undefined {
  // iterative: a deeply nested body must not overflow the stack
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return at || '/';
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes(NUL)) return `${at}/${k.replaceAll(NUL, '\\u0000')}`;
        stack.push([x, `${at}/${k}`]);
      }
    }
  }
  return undefined;
}
