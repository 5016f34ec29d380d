import { describe, expect, it } from 'vitest';
import { emailSubject, emailText, etaText, notificationPayload, type OrderFacts } from './message.ts';

const order: OrderFacts = {
  id: 'o1',
  number: 42,
  tenantId: 't-acme',
  assetId: 'a1',
  assetName: 'Chiller 3',
  siteName: 'Acme North',
  failureMode: 'Bearing wear',
  status: 'PLANNED',
  etaAt: new Date('2026-12-04T16:40:00Z'),
  technician: 'Dana Reyes',
};

describe('notification content', () => {
  it('gives the ETA with its date', () => {
    expect(etaText(new Date('2026-12-04T16:40:00Z'))).toBe('Fri 4 Dec 2026, 16:40 UTC');
  });

  it('says order, asset, event, ETA and technician, and nothing about the tenant', () => {
    const p = notificationPayload('order.planned', new Date('2026-12-03T10:00:00Z'), order);
    expect(p.order).toMatchObject({
      id: 'o1',
      number: 42,
      eta: 'Fri 4 Dec 2026, 16:40 UTC',
      technician: 'Dana Reyes',
    });
    expect(JSON.stringify(p)).not.toContain('t-acme');
    expect(emailSubject(p)).toBe('Order #42 planned: Chiller 3');
    const text = emailText(p);
    expect(text).toContain('Technician expected: Fri 4 Dec 2026, 16:40 UTC');
    expect(text).toContain('Technician: Dana Reyes');
    expect(text).toContain('Order id: o1');
  });
});
