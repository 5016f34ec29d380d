// The technician's report on the order detail (#/orders/<id>): the removed part's serial, the parts he fitted
// reconciled with what was staged (and what went back to stock), his note and his photos as thumbnails, fetched
// with the session's token (GET /api/orders/{id}/photos/{photoId}). A customer gets the customer-safe report from
// the API: the serial and the parts fitted, no staging, note or photos.
/* global fetch, URL */
import { session } from './api.js';
import { badge, card, h, table } from './dom.js';
import { dateTime } from './format.js';

/** Object URLs of photos already fetched (a photo never changes). */
const fetched = new Map();

async function photoSrc(url) {
  if (!fetched.has(url)) {
    const p = (async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${session()?.token ?? ''}` } });
      if (!res.ok) throw new Error(`photo refused (${res.status})`);
      return URL.createObjectURL(await res.blob());
    })();
    fetched.set(url, p);
    p.catch(() => fetched.delete(url));
  }
  return fetched.get(url);
}

function thumbnail(photo, i) {
  const alt = `Photo ${i + 1} from the job, taken ${dateTime(photo.uploadedAt)}`;
  const img = h('img', { alt, width: 96, height: 96, class: 'job-photo-img' });
  const link = h(
    'a',
    { class: 'job-photo', 'data-testid': 'job-photo', target: '_blank', rel: 'noopener', title: alt },
    img,
  );
  photoSrc(photo.url).then(
    (src) => {
      img.src = src;
      link.href = src;
    },
    () => link.replaceChildren(h('span', { class: 'small muted' }, 'photo unavailable')),
  );
  return link;
}

export function jobReportCard(r, { customer }) {
  const pairs = [
    ['Removed part serial', h('code', { 'data-testid': 'report-serial' }, r.removedSerial)],
    ['Reported', `${dateTime(r.reportedAt)}${customer ? '' : ` by ${r.reportedBy}`}`],
    ...(customer ? [] : [['Note', r.note ?? h('span', { class: 'muted' }, 'none')]]),
  ];
  const fitted = r.fitted.length
    ? table(
        [
          { label: 'Part fitted', cell: (f) => `${f.sku} ${f.name}` },
          { label: 'Fitted', cell: (f) => String(f.qty) },
          ...(customer
            ? []
            : [
                { label: 'Staged', cell: (f) => String(f.staged ?? 0) },
                {
                  label: 'Reconciled',
                  cell: (f) =>
                    f.qty > (f.staged ?? 0)
                      ? badge('NOT STAGED', 'bad')
                      : f.qty < (f.staged ?? 0)
                        ? badge(`${(f.staged ?? 0) - f.qty} BACK TO STOCK`, 'warn')
                        : badge('AS STAGED', 'ok'),
                },
              ]),
        ],
        r.fitted,
        {
          testid: 'report-fitted',
          caption: 'Parts fitted',
          rowAttrs: () => ({ 'data-testid': 'report-fitted-row' }),
        },
      )
    : h('p', { class: 'muted' }, 'No part fitted.');
  return card(
    customer ? 'What the technician did' : "Technician's report",
    {
      testid: 'report-card',
      subtitle: customer ? 'Recorded at completion.' : 'Recorded by the technician at completion.',
    },
    r.flagged
      ? h(
          'p',
          { class: 'error-box', role: 'note', 'data-testid': 'report-flagged' },
          'A part was fitted that was not staged for this job: check the stock and the invoice.',
        )
      : null,
    h(
      'dl',
      { class: 'fields' },
      pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    fitted,
    !customer && r.notFitted.length
      ? h(
          'p',
          { class: 'small muted', 'data-testid': 'report-not-fitted' },
          `Back to stock as an unused return: ${r.notFitted.map((n) => `${n.qty} × ${n.sku}`).join(', ')}`,
        )
      : null,
    r.photos.length
      ? h(
          'div',
          { class: 'job-photos', 'data-testid': 'report-photos', role: 'list', 'aria-label': 'Photos' },
          r.photos.map((p, i) => h('div', { role: 'listitem' }, thumbnail(p, i))),
        )
      : customer
        ? null
        : h('p', { class: 'small muted' }, 'No photos.'),
  );
}
