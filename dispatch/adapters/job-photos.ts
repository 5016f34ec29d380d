// Job photos in PostgreSQL (bytea, docs/technician.md, ADR 15): added by the job's technician while
// he is on site, in one transaction with a line in the order's timeline; read back by him and the desk.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { MAX_PHOTOS_PER_JOB, type PhotoType } from '../core/job-photo.ts';

export interface NewPhoto {
  contentType: PhotoType;
  data: Uint8Array<ArrayBuffer>;
}

export interface StoredPhoto {
  id: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

export class PrismaJobPhotos {
  constructor(private readonly db: Db) {}

  async add(
    orderId: string,
    technicianId: string,
    photos: NewPhoto[],
    at: { actor: string; now: Date },
  ): Promise<StoredPhoto[]> {
    return this.db.$transaction(async (tx) => {
      const [o] = await tx.$queryRaw<{ technicianId: string | null; status: string; number: number }[]>`
        SELECT "technicianId", status::text AS status, number FROM "ServiceOrder" WHERE id = ${orderId} FOR UPDATE`;
      if (!o || o.technicianId !== technicianId) throw new AppError('NOT_FOUND', 'no such job');
      if (o.status !== 'ON_SITE')
        throw new AppError('DISPATCH_ILLEGAL_TRANSITION', `order #${o.number}: photos are added on site`);
      const kept = await tx.jobPhoto.count({ where: { orderId } });
      if (kept + photos.length > MAX_PHOTOS_PER_JOB)
        throw new AppError(
          'TECHNICIAN_PHOTO_LIMIT',
          `a job keeps at most ${MAX_PHOTOS_PER_JOB} photos (${kept} so far)`,
        );
      const rows = await tx.jobPhoto.createManyAndReturn({
        data: photos.map((p) => ({
          orderId,
          contentType: p.contentType,
          size: p.data.length,
          data: p.data,
          uploadedBy: at.actor,
          uploadedAt: at.now,
        })),
        select: { id: true, contentType: true, size: true, uploadedAt: true },
      });
      await tx.orderEvent.create({
        data: {
          orderId,
          status: 'ON_SITE',
          action: 'photo',
          actor: at.actor,
          at: at.now,
          note: `${photos.length} photo${photos.length === 1 ? '' : 's'} added`,
        },
      });
      return rows.map((r) => ({ ...r, uploadedAt: r.uploadedAt.toISOString() }));
    });
  }

  /** The photo with its order's technician, or undefined. */
  async get(orderId: string, photoId: string) {
    return this.db.jobPhoto.findFirst({
      where: { id: photoId, orderId },
      select: { contentType: true, data: true, order: { select: { technicianId: true } } },
    });
  }
}
