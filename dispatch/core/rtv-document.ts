// The printable return-to-vendor document (HTML) of a unit sent back under the supplier's warranty, with the RTV
// number as text and as a Code 39 barcode. No scripts; all text is escaped.
import { code39Svg } from './code39.ts';
import { escapeHtml } from './return-document.ts';

export interface RtvDocument {
  rtv: string;
  rma: string;
  part: { sku: string; name: string };
  serial: string;
  qty: number;
  finding: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: Date;
}

export function renderRtvDocument(d: RtvDocument): string {
  const e = escapeHtml;
  const row = (k: string, v: string) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(d.rtv)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:760px}th{text-align:left;padding-right:16px}</style>
</head><body><h1>Return to vendor ${e(d.rtv)}</h1><p>Warranty claim: the unit failed within the supplier's warranty.</p>
${code39Svg(d.rtv)}
<table>${row('Part', `${d.part.sku} ${d.part.name}`)}${row('Serial', d.serial || '—')}${row('Quantity', String(d.qty))}${row('Return authorization', d.rma)}${row('Repair finding', (d.finding ?? '—').replaceAll('_', ' ').toLowerCase())}${row('Why', d.reason)}${row('Decided by', `${d.decidedBy}, ${d.decidedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`)}</table>
</body></html>`;
}
