// Reads the technician's report of a job (JobReport, its fitted parts and the job's photos, without their bytes)
// for the order detail. Who may see what of it: dispatch/core/job-report.ts.
import type { Db } from '../../common/db.ts';
import { notFitted, photoUrl, type JobReportDetail } from '../core/job-report.ts';

export async function readJobReport(db: Db, orderId: string): Promise<JobReportDetail | null> {
  const [r, photos] = await Promise.all([
    db.jobReport.findUnique({
      where: { orderId },
      include: { fitted: { include: { part: { select: { sku: true, name: true } } } } },
    }),
    db.jobPhoto.findMany({
      where: { orderId },
      select: { id: true, contentType: true, size: true, uploadedAt: true },
      orderBy: { uploadedAt: 'asc' },
    }),
  ]);
  if (!r) return null;
  const fitted = r.fitted
    .map((f) => ({ sku: f.part.sku, name: f.part.name, qty: f.qty, staged: f.staged }))
    .sort((a, b) => a.sku.localeCompare(b.sku));
  return {
    removedSerial: r.removedSerial,
    note: r.note,
    flagged: r.flagged,
    reportedBy: r.reportedBy,
    reportedAt: r.reportedAt.toISOString(),
    fitted,
    notFitted: notFitted(fitted),
    photos: photos.map((p) => ({
      id: p.id,
      contentType: p.contentType,
      size: p.size,
      uploadedAt: p.uploadedAt.toISOString(),
      url: photoUrl(orderId, p.id),
    })),
  };
}
