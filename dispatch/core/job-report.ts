// The technician's report of a completed job as the order detail shows it (issue 17): the removed part's serial,
// the parts fitted reconciled with what was staged, his note and his photos. What a customer may see of it: the
// removed serial and the parts fitted with their quantities and when; not the reconciliation with the staging
// (the desk's workflow), the technician's free-text note, who reported it, or the photos (served to the desk and
// the technician only). Pure.

export interface FittedPartDetail {
  sku: string;
  name: string;
  qty: number;
  /** How many were staged for the job (null for customers). */
  staged: number | null;
}

export interface JobPhotoDetail {
  id: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  /** GET it with the bearer token: the image. */
  url: string;
}

export interface JobReportDetail {
  removedSerial: string;
  /** null for customers. */
  note: string | null;
  /** A part fitted that was not staged (or more than staged): the desk looks into it. False for customers. */
  flagged: boolean;
  /** The technician's e-mail ("technician" for customers). */
  reportedBy: string;
  reportedAt: string;
  fitted: FittedPartDetail[];
  /** Staged units not fitted: back to stock as an UNUSED return (empty for customers). */
  notFitted: { sku: string; qty: number }[];
  /** Empty for customers. */
  photos: JobPhotoDetail[];
}

/** The staged units that were not fitted, per part. */
export const notFitted = (fitted: readonly { sku: string; qty: number; staged: number | null }[]) =>
  fitted.filter((f) => (f.staged ?? 0) > f.qty).map((f) => ({ sku: f.sku, qty: (f.staged ?? 0) - f.qty }));

export const photoUrl = (orderId: string, photoId: string) =>
  `/api/orders/${encodeURIComponent(orderId)}/photos/${encodeURIComponent(photoId)}`;

export function reportForCustomer(r: JobReportDetail): JobReportDetail {
  return {
    removedSerial: r.removedSerial,
    note: null,
    flagged: false,
    reportedBy: 'technician',
    reportedAt: r.reportedAt,
    fitted: r.fitted.filter((f) => f.qty > 0).map((f) => ({ ...f, staged: null })),
    notFitted: [],
    photos: [],
  };
}
