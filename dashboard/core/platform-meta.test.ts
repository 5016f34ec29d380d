import { describe, expect, it } from 'vitest';
import { Role, SlaTier } from '../../prisma/generated/enums.ts';
import { ORDER_STATUSES } from '../../dispatch/core/lifecycle.ts';
import { paramTemplate } from '../../predict/core/models/param-templates.ts';
import { MODEL_KINDS } from '../../predict/core/models/params.ts';
import { platformMeta } from './platform-meta.ts';

describe("the browser's shared constants", () => {
  const meta = platformMeta();

  it('are the order lifecycle: every status, open until completed or cancelled', () => {
    expect(meta.orderStatuses.all).toEqual([...ORDER_STATUSES]);
    expect(meta.orderStatuses.closed).toEqual(['COMPLETED', 'CANCELLED']);
    expect([...meta.orderStatuses.open, ...meta.orderStatuses.closed].sort()).toEqual(
      [...ORDER_STATUSES].sort(),
    );
  });

  it("are the model kinds with the server's starting parameters", () => {
    expect(meta.modelKinds.map((k) => k.kind)).toEqual([...MODEL_KINDS]);
    for (const k of meta.modelKinds) {
      const built = { [k.metricField]: k.metricList ? ['m'] : 'm', ...k.defaults };
      expect(built).toEqual(paramTemplate(k.kind, 'm'));
    }
  });

  it("are the database's roles and SLA tiers", () => {
    expect([...meta.roles.all].sort()).toEqual(Object.values(Role).sort());
    expect(meta.roles.staff).toEqual(['ADMIN', 'DISPATCHER', 'ENGINEER']);
    expect([...meta.slaTiers].sort()).toEqual(Object.values(SlaTier).sort());
  });
});
