import { describe, expect, it } from 'vitest';
import { deskStepPermission, stepOf, waitingFor } from './field-steps.ts';

const code = (p: ReturnType<typeof deskStepPermission>) => (p.ok ? 'ok' : p.error.code);

describe('who reports which field step', () => {
  it('leaves the part movements to the desk', () => {
    expect(code(deskStepPermission('DISPATCHER', 'PARTS_STAGED'))).toBe('ok');
    expect(code(deskStepPermission('ADMIN', 'PARTS_IN_TRANSIT'))).toBe('ok');
    expect(code(deskStepPermission('TECHNICIAN', 'PARTS_STAGED'))).toBe('AUTH_FORBIDDEN');
  });

  it("refuses a dispatcher the technician's steps; an administrator overrides only with a reason", () => {
    for (const s of ['TECHNICIAN_EN_ROUTE', 'ON_SITE', 'COMPLETED'] as const) {
      expect(code(deskStepPermission('DISPATCHER', s, 'because'))).toBe(
        'DISPATCH_FIELD_STEP_TECHNICIAN_ONLY',
      );
      expect(code(deskStepPermission('ADMIN', s))).toBe('VALIDATION_FAILED');
      expect(code(deskStepPermission('ADMIN', s, '  '))).toBe('VALIDATION_FAILED');
      expect(deskStepPermission('ADMIN', s, ' phone is flat ')).toEqual({
        ok: true,
        override: 'phone is flat',
      });
    }
  });

  it('names the step the technician can take, or what he waits for', () => {
    expect(stepOf('TECHNICIAN_EN_ROUTE')).toBe('en-route');
    expect(stepOf('ON_SITE')).toBe('on-site');
    expect(stepOf('COMPLETED')).toBe('complete');
    expect(stepOf('PARTS_STAGED')).toBeNull();
    expect(stepOf(null)).toBeNull();
    expect(waitingFor('PLANNED', false, null)).toMatch(/accepted/);
    expect(waitingFor('PARTS_IN_TRANSIT', true, 'PARTS_STAGED')).toMatch(/on its way/);
    // shipped from elsewhere: on its way; from the pickup's own shelf it is there already, the desk stages it
    expect(waitingFor('PLANNED', true, 'PARTS_IN_TRANSIT')).toMatch(/on its way/);
    expect(waitingFor('PLANNED', true, 'PARTS_STAGED')).toBe(
      'the part is at the pickup; the desk has not marked it staged yet',
    );
    expect(waitingFor('PARTS_STAGED', true, 'TECHNICIAN_EN_ROUTE')).toBeNull();
    expect(waitingFor('COMPLETED', true, null)).toBeNull();
  });
});
