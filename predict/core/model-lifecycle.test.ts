import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { legalNext, nextVersion, planTransition, VERSION_STATUSES } from './model-lifecycle.ts';

const versions = [
  { version: 1, status: 'RETIRED' as const },
  { version: 2, status: 'ACTIVE' as const },
  { version: 3, status: 'SHADOW' as const },
  { version: 4, status: 'DRAFT' as const },
];

describe('model version life cycle', () => {
  it('promotes a version and retires the active one in the same plan', () => {
    expect(planTransition(versions, 3, 'ACTIVE')).toEqual([
      { version: 3, from: 'SHADOW', to: 'ACTIVE' },
      { version: 2, from: 'ACTIVE', to: 'RETIRED' },
    ]);
  });

  it('shadows a draft without touching the active version', () => {
    expect(planTransition(versions, 4, 'SHADOW')).toEqual([{ version: 4, from: 'DRAFT', to: 'SHADOW' }]);
  });

  it('rolls back by promoting a retired version', () => {
    expect(planTransition(versions, 1, 'ACTIVE').map((c) => c.version)).toEqual([1, 2]);
  });

  it('refuses illegal steps with a code, and unknown versions as not found', () => {
    const illegal = () => planTransition(versions, 2, 'SHADOW');
    expect(illegal).toThrow(AppError);
    expect(illegal).toThrow(/ACTIVE: it can go to RETIRED, not SHADOW/);
    try {
      illegal();
    } catch (e) {
      expect((e as AppError).code).toBe('PREDICT_ILLEGAL_TRANSITION');
    }
    expect(() => planTransition(versions, 2, 'ACTIVE')).toThrow(/not ACTIVE/);
    expect(() => planTransition(versions, 9, 'ACTIVE')).toThrow(/no version 9/);
  });

  it('never lets a status step to itself, and every status has somewhere to go', () => {
    for (const s of VERSION_STATUSES) {
      expect(legalNext(s)).not.toContain(s);
      expect(legalNext(s).length).toBeGreaterThan(0);
    }
  });

  it('numbers new versions after the highest', () => {
    expect(nextVersion(versions)).toBe(5);
    expect(nextVersion([])).toBe(1);
  });
});
