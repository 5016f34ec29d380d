// The 404 of a path that is not the API: an HTML page a person can read, with a way back to the dashboard.
// API paths (and the machine endpoints) keep their JSON 404 with a code.

const MACHINE = /^\/(?:api|metrics|socket\.io)(?:[/?]|$)/;

export const wantsHtml404 = (url: string) => !MACHINE.test(url);

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function notFoundPage(url: string): string {
  const path = escape(url.split('?')[0]!.slice(0, 200));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · Preempt</title>
<link rel="stylesheet" href="/styles.css">
</head>
<body class="not-found">
<main style="max-width:40rem;margin:4rem auto;padding:0 1rem;font-family:system-ui,sans-serif">
<h1>Page not found</h1>
<p>There is no page at <code>${path}</code>.</p>
<p><a href="/">Back to the Preempt dashboard</a></p>
</main>
</body>
</html>
`;
}
