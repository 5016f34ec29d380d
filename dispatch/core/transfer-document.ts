// The printable shipping document (HTML) of a stock transfer: what moves, from where, to where, how and why, with
// the transfer number as text and as a Code 39 barcode. No scripts; all text is escaped.
import { code39Svg } from './code39.ts';
import { escapeHtml } from './return-document.ts';

export interface TransferDocument {
  number: number;
  qty: number;
  refurbished: number;
  part: { sku: string; name: string };
  from: { code: string; name: string; kind: string };
  to: { code: string; name: string; kind: string };
  mode: 'COURIER' | 'OVERNIGHT';
  shipAt: Date;
  etaAt: Date;
  /** The parts review it carries out; null for a returned unit's way from the repair depot (rma). */
  review: { number: number; reviewedAt: Date; approvedBy: string | null } | null;
  rma?: string | null;
  purpose: string;
}

export const transferCode = (n: number): string => `TRF-${String(n).padStart(6, '0')}`;

const when = (d: Date): string => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 24px auto; max-width: 760px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .head { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px;
          border-bottom: 2px solid #111; padding-bottom: 12px; }
  .code { font: 600 22px/1.2 ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: 1px; }
  .barcode { text-align: center; }
  .barcode-text { font: 15px ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: 3px; }
  table { border-collapse: collapse; width: 100%; margin: 16px 0; }
  th { text-align: left; width: 28%; vertical-align: top; padding: 6px 8px; background: #f3f3f3; }
  td { padding: 6px 8px; border-bottom: 1px solid #ddd; }
  .note { border: 1px solid #111; padding: 10px 12px; }
  .sign { display: flex; gap: 32px; margin-top: 36px; }
  .sign div { flex: 1; border-top: 1px solid #111; padding-top: 4px; font-size: 12px; }
  @media print { body { margin: 0; } @page { margin: 14mm; } }
`;

export function renderTransferDocument(d: TransferDocument): string {
  const code = transferCode(d.number);
  const place = (p: TransferDocument['from']): string =>
    `${escapeHtml(p.code)} — ${escapeHtml(p.name)} (${escapeHtml(p.kind)})`;
  const row = (label: string, value: string): string =>
    `<tr><th>${escapeHtml(label)}</th><td>${value}</td></tr>`;
  const rows = [
    row('Transfer number', escapeHtml(code)),
    row('Part', `${escapeHtml(d.part.sku)} — ${escapeHtml(d.part.name)}`),
    row('Quantity', `${d.qty}${d.refurbished > 0 ? ` (of which ${d.refurbished} refurbished)` : ''}`),
    row('From', place(d.from)),
    row('To', place(d.to)),
    row(
      'Shipping',
      d.mode === 'COURIER'
        ? `Courier, collected ${escapeHtml(when(d.shipAt))}`
        : `Overnight freight, at the cut-off ${escapeHtml(when(d.shipAt))}`,
    ),
    row('Due', escapeHtml(when(d.etaAt))),
    row('Why', escapeHtml(d.purpose)),
    d.review
      ? row(
          'Parts plan',
          `review #${d.review.number} of ${escapeHtml(when(d.review.reviewedAt))}` +
            (d.review.approvedBy ? `, approved by ${escapeHtml(d.review.approvedBy)}` : ''),
        )
      : row('Return', escapeHtml(d.rma ?? '')),
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(code)} shipping document</title>
<style>${STYLE}</style>
</head>
<body data-transfer="${escapeHtml(code)}">
<div class="head">
  <div>
    <h1>Stock transfer — shipping document</h1>
    <div class="code">${escapeHtml(code)}</div>
  </div>
  <div class="barcode">
    ${code39Svg(code)}
    <div class="barcode-text">*${escapeHtml(code)}*</div>
  </div>
</div>
<table>${rows}</table>
<p class="note">Serviceable stock (new or refurbished), not reserved for any order. Book in at the destination on receipt; the barcode identifies the transfer.</p>
<div class="sign"><div>Packed by (name, date)</div><div>Received by (name, date)</div></div>
</body>
</html>
`;
}
