// What a job photo may be: a JPEG, PNG or WebP image, recognised by its first bytes (the declared content type
// must agree), at most the configured size, and a few per job.
import { AppError } from '../../common/errors.ts';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Photos one job keeps at most. */
export const MAX_PHOTOS_PER_JOB = 8;

/** The image type the bytes carry, by their signature; undefined when none of the accepted ones. */
export function sniffImage(b: Uint8Array): PhotoType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x))
    return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The photo's content type, or TECHNICIAN_PHOTO_TYPE / TECHNICIAN_PHOTO_TOO_LARGE naming what is wrong. */
export function checkPhoto(declared: string, bytes: Uint8Array, maxBytes: number): PhotoType {
  if (bytes.length > maxBytes)
    throw new AppError('TECHNICIAN_PHOTO_TOO_LARGE', `a photo is at most ${maxBytes} bytes`);
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'the photo is empty');
  const type = sniffImage(bytes);
  const claimed = declared.split(';')[0]!.trim().toLowerCase();
  if (!type || type !== claimed)
    throw new AppError(
      'TECHNICIAN_PHOTO_TYPE',
      `a photo is a ${PHOTO_TYPES.join(', ')} image whose content matches its type (got ${claimed || 'none'})`,
    );
  return type;
}
