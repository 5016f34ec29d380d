// The integration tests' HTTP client: one call to the platform's API with an optional bearer token and JSON body;
// the answer's status, content type, headers and body (parsed JSON, the text of another type, null when empty).
export interface ApiAnswer<T> {
  status: number;
  type: string;
  headers: Headers;
  body: T;
}

export async function callApi<T = unknown>(
  baseUrl: string,
  token: string | null | undefined,
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed = text === '' ? null : type.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, type, headers: res.headers, body: parsed as T };
}
