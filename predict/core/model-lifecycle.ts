// The life of a model version: DRAFT (edited, backtested) → SHADOW (predicts alongside the active version,
// opens no orders) → ACTIVE (its predictions open orders) → RETIRED. One version of a model is active at a time:
// promoting one retires the one before, in the same transaction. A retired version can be brought back (rollback)
// by promoting it or shadowing it again; parameters never change: an edit is a new version.
import { AppError } from '../../common/errors.ts';

export const VERSION_STATUSES = ['DRAFT', 'SHADOW', 'ACTIVE', 'RETIRED'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

const LEGAL: Record<VersionStatus, readonly VersionStatus[]> = {
  DRAFT: ['SHADOW', 'ACTIVE', 'RETIRED'],
  SHADOW: ['DRAFT', 'ACTIVE', 'RETIRED'],
  ACTIVE: ['RETIRED'],
  RETIRED: ['SHADOW', 'ACTIVE'],
};

export const legalNext = (from: VersionStatus): readonly VersionStatus[] => LEGAL[from];

export interface StatusChange {
  version: number;
  from: VersionStatus;
  to: VersionStatus;
}

/**
 * The changes that move `version` to `to`: itself, and for a promotion every other active version of the model
 * to RETIRED. Throws PREDICT_ILLEGAL_TRANSITION for a step the life cycle does not allow.
 */
export function planTransition(
  versions: readonly { version: number; status: VersionStatus }[],
  version: number,
  to: VersionStatus,
): StatusChange[] {
  const v = versions.find((x) => x.version === version);
  if (!v) throw new AppError('NOT_FOUND', `no version ${version} of this model`);
  if (!LEGAL[v.status].includes(to))
    throw new AppError(
      'PREDICT_ILLEGAL_TRANSITION',
      `version ${version} is ${v.status}: it can go to ${LEGAL[v.status].join(', ') || 'nothing'}, not ${to}`,
      { from: v.status, to, allowed: LEGAL[v.status] },
    );
  const changes: StatusChange[] = [{ version, from: v.status, to }];
  if (to === 'ACTIVE')
    for (const other of versions)
      if (other.version !== version && other.status === 'ACTIVE')
        changes.push({ version: other.version, from: 'ACTIVE', to: 'RETIRED' });
  return changes;
}

/** The number of the next version of a model. */
export const nextVersion = (versions: readonly { version: number }[]): number =>
  versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
