// The printable return document (HTML) of a return authorization: what goes back, from where, to where and
// why, with the RMA number as text and as a Code 39 barcode. No scripts; all text is escaped.
import { code39Svg } from './code39.ts';
import { rmaCode, type RepairFinding, type ReturnReason } from './returns.ts';

export interface ReturnDocument {
  number: number;
  reason: ReturnReason;
  qty: number;
  serial: string;
  part: { sku: string; name: string };
  from: { customer: string; site: string; asset: string; assetSerial: string };
  to: { code: string; name: string; kind: string };
  order: { number: number; completedAt: Date | null; technician: string | null };
  prediction: { modelVersion: string; raisedAt: Date } | null;
  issuedAt: Date;
  finding: RepairFinding | null;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');

const REASON: Record<ReturnReason, { title: string; instruction: string }> = {
  DEFECTIVE: {
    title: 'Defective part — repair and failure analysis',
    instruction:
      'Removed from the equipment. Do not refit. The repair depot records whether the predicted failure is confirmed.',
  },
  UNUSED: {
    title: 'Unused part — return to stock',
    instruction: 'Not fitted; in its original packaging. Book back into stock on receipt.',
  },
};

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 24px auto; max-width: 760px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .head { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px;
          border-bottom: 2px solid #111; padding-bottom: 12px; }
  .rma { font: 600 22px/1.2 ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: 1px; }
  .barcode { text-align: center; }
  .barcode-text { font: 15px ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: 3px; }
  table { border-collapse: collapse; width: 100%; margin: 16px 0; }
  th { text-align: left; width: 28%; vertical-align: top; padding: 6px 8px; background: #f3f3f3; }
  td { padding: 6px 8px; border-bottom: 1px solid #ddd; }
  .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
  .note { border: 1px solid #111; padding: 10px 12px; }
  .sign { display: flex; gap: 32px; margin-top: 36px; }
  .sign div { flex: 1; border-top: 1px solid #111; padding-top: 4px; font-size: 12px; }
  @media print { body { margin: 0; } @page { margin: 14mm; } }
`;

export function renderReturnDocument(d: ReturnDocument): string {
  const rma = rmaCode(d.number);
  const r = REASON[d.reason];
  const row = (label: string, value: string, cls = '') =>
    `<tr><th>${escapeHtml(label)}</th><td${cls ? ` class="${cls}"` : ''}>${value}</td></tr>`;
  const rows = [
    row('RMA number', escapeHtml(rma), 'mono'),
    row('Reason', escapeHtml(r.title)),
    row('Part', `${escapeHtml(d.part.sku)} — ${escapeHtml(d.part.name)}`),
    row('Quantity', String(d.qty)),
    row('Serial number', d.serial ? escapeHtml(d.serial) : 'not recorded', 'mono'),
    row(
      'From',
      `${escapeHtml(d.from.customer)}, ${escapeHtml(d.from.site)}<br>` +
        `${escapeHtml(d.from.asset)} (asset serial <span class="mono">${escapeHtml(d.from.assetSerial)}</span>)`,
    ),
    row('To', `${escapeHtml(d.to.code)} — ${escapeHtml(d.to.name)} (${escapeHtml(d.to.kind)})`),
    row(
      'Service order',
      `#${d.order.number}, completed ${escapeHtml(when(d.order.completedAt))}` +
        (d.order.technician ? ` by ${escapeHtml(d.order.technician)}` : ''),
    ),
    d.prediction
      ? row(
          'Raised by prediction',
          `${escapeHtml(d.prediction.modelVersion)}, ${escapeHtml(when(d.prediction.raisedAt))}`,
        )
      : '',
    d.finding ? row('Repair finding', escapeHtml(d.finding.replaceAll('_', ' ').toLowerCase())) : '',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(rma)} return document</title>
<style>${STYLE}</style>
</head>
<body data-rma="${escapeHtml(rma)}">
<div class="head">
  <div>
    <h1>Return document</h1>
    <div class="rma">${escapeHtml(rma)}</div>
    <div>Issued ${escapeHtml(when(d.issuedAt))}</div>
  </div>
  <div class="barcode">
    ${code39Svg(rma)}
    <div class="barcode-text">*${escapeHtml(rma)}*</div>
  </div>
</div>
<table>${rows}</table>
<p class="note">${escapeHtml(r.instruction)} Attach this document to the parcel; the barcode identifies the return.</p>
<div class="sign"><div>Packed by (name, date)</div><div>Received by (name, date)</div></div>
</body>
</html>
`;
}
