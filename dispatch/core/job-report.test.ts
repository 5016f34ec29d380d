import { describe, expect, it } from 'vitest';
import { notFitted, photoUrl, reportForCustomer, type JobReportDetail } from './job-report.ts';

const report: JobReportDetail = {
  removedSerial: 'BRG-123',
  note: 'bearing noisy, grease dried out',
  flagged: true,
  reportedBy: 't-01@preempt.demo',
  reportedAt: '2026-12-04T10:00:00.000Z',
  fitted: [
    { sku: 'BRG-1', name: 'Bearing', qty: 1, staged: 2 },
    { sku: 'SEAL-1', name: 'Seal', qty: 0, staged: 1 },
  ],
  notFitted: [],
  photos: [{ id: 'p1', contentType: 'image/png', size: 10, uploadedAt: '', url: photoUrl('o 1', 'p1') }],
};

describe("the technician's report on the order detail", () => {
  it('counts the staged units not fitted', () => {
    expect(notFitted(report.fitted)).toEqual([
      { sku: 'BRG-1', qty: 1 },
      { sku: 'SEAL-1', qty: 1 },
    ]);
    expect(report.photos[0]!.url).toBe('/api/orders/o%201/photos/p1');
  });

  it('shows a customer the serial and the parts fitted, not the note, the staging, the person or the photos', () => {
    expect(reportForCustomer(report)).toEqual({
      removedSerial: 'BRG-123',
      note: null,
      flagged: false,
      reportedBy: 'technician',
      reportedAt: '2026-12-04T10:00:00.000Z',
      fitted: [{ sku: 'BRG-1', name: 'Bearing', qty: 1, staged: null }],
      notFitted: [],
      photos: [],
    });
  });
});
