// The constants the browser would otherwise repeat, from their one server definition: order statuses (which are
// open, which closed), model kinds with their starting parameters, user roles and SLA tiers. Served by
// GET /api/meta (dashboard/routes/meta-route.ts). Pure.
import { ROLES, STAFF_ROLES } from '../../common/http/access.ts';
import { isClosed, ORDER_STATUSES } from '../../dispatch/core/lifecycle.ts';
import { TIERS } from '../../dispatch/core/parts-planner/plan-summary.ts';
import { PARAM_TEMPLATES, type ParamTemplate } from '../../predict/core/models/param-templates.ts';
import { MODEL_KINDS, type EditableKind } from '../../predict/core/models/params.ts';

export interface PlatformMeta {
  orderStatuses: { all: string[]; open: string[]; closed: string[] };
  modelKinds: Array<{ kind: EditableKind } & ParamTemplate>;
  roles: { all: string[]; staff: string[] };
  slaTiers: string[];
}

export function platformMeta(): PlatformMeta {
  return {
    orderStatuses: {
      all: [...ORDER_STATUSES],
      open: ORDER_STATUSES.filter((s) => !isClosed(s)),
      closed: ORDER_STATUSES.filter((s) => isClosed(s)),
    },
    modelKinds: MODEL_KINDS.map((kind) => ({ kind, ...PARAM_TEMPLATES[kind] })),
    roles: { all: [...ROLES], staff: [...STAFF_ROLES] },
    slaTiers: [...TIERS],
  };
}
