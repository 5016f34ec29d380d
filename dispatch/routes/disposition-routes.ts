// After the repair: the disposition of a returned defective unit (proposed by the platform, confirmed or
// overridden by the depot), the end of a refurbishment, the RTV document, stock by condition and the
// sustainability figures (docs/reverse-logistics.md).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import { tenantScope } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { PrismaDispositionStore } from '../adapters/disposition-store.ts';
import { DISPOSITIONS } from '../core/disposition.ts';
import { renderRtvDocument } from '../core/rtv-document.ts';
import { documentRoute } from './document-route.ts';
import { IdParams, refusals } from './schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DispositionEnum = Type.Union(
  [
    Type.Literal('RESTOCK'),
    Type.Literal('REFURBISH'),
    Type.Literal('RETURN_TO_VENDOR'),
    Type.Literal('RECYCLE'),
    Type.Literal('SCRAP'),
  ],
  { description: DISPOSITIONS.join(', ') },
);

const ProposalSchema = Type.Object({
  disposition: DispositionEnum,
  reason: Type.String(),
  repairCost: Nullable(Type.Number()),
  turnaroundDays: Nullable(Type.Integer()),
  inWarranty: Nullable(Type.Boolean()),
});

const AdviceSchema = Type.Object({
  returnId: Type.String(),
  rma: Type.String(),
  finding: Nullable(Type.String()),
  part: Type.Object({ sku: Type.String(), name: Type.String() }),
  factors: Type.Object({
    unitCost: Type.Number(),
    repairable: Type.Boolean(),
    repairCost: Type.Number(),
    refurbYield: Type.Number(),
    warrantyMonths: Type.Integer(),
    co2eKgPerUnit: Type.Number(),
  }),
  ageMonths: Nullable(Type.Number()),
  proposal: ProposalSchema,
  decided: Nullable(
    Type.Object({
      disposition: DispositionEnum,
      proposed: DispositionEnum,
      proposalReason: Type.String(),
      overrideReason: Nullable(Type.String()),
      qty: Type.Integer(),
      repairCost: Nullable(Type.Number()),
      turnaroundDays: Nullable(Type.Integer()),
      to: Nullable(Type.String()),
      co2eAvoidedKg: Type.Number(),
      decidedBy: Type.String(),
      decidedAt: Type.String(),
      restockedAt: Nullable(Type.String()),
      rtv: Nullable(Type.String()),
    }),
  ),
});

const Figures = {
  units: Type.Integer(),
  restocked: Type.Integer(),
  refurbished: Type.Integer(),
  returnedToVendor: Type.Integer(),
  recycled: Type.Integer(),
  scrapped: Type.Integer(),
  reusedShare: Nullable(Type.Number()),
  co2eAvoidedKg: Type.Number(),
};

const MAX_RANGE_MS = 366 * 86_400_000 * 5;

export const dispositionRoutes: FastifyPluginAsyncTypebox<{
  store: PrismaDispositionStore;
  clock: Clock;
}> = async (app, { store, clock }) => {
  const staff = app.requireRole('ADMIN', 'DISPATCHER', 'ENGINEER');
  const dispatcher = app.requireRole('ADMIN', 'DISPATCHER');
  const tags = ['returns'];
  const read = { 401: errorSchema, 403: errorSchema, 404: errorSchema };
  const unit = {
    ageMonths: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1200, description: 'months since the unit was fitted' }),
    ),
    cycles: Type.Optional(Type.Integer({ minimum: 0, description: 'operating cycles, when known' })),
    maxCycles: Type.Optional(
      Type.Integer({ minimum: 1, description: 'cycles from which the part is worn out' }),
    ),
  };

  app.get(
    '/api/returns/:id/disposition',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "The platform's proposed disposition of a returned unit, and the decision once made",
        security: bearer,
        params: IdParams,
        querystring: Type.Object(unit),
        response: { 200: AdviceSchema, ...read },
      },
    },
    async (req) => {
      const { raw: _, ...a } = await store.advice(req.params.id, req.query);
      return a;
    },
  );

  app.post(
    '/api/returns/:id/disposition',
    {
      onRequest: dispatcher,
      schema: {
        tags,
        summary: 'Confirm or override the disposition of a returned defective unit',
        description:
          'Without `disposition` the proposal is confirmed; a different one needs a `reason`. RESTOCK (no fault ' +
          'found, retested) puts the unit into serviceable stock as refurbished at once; REFURBISH keeps it in ' +
          'repair until POST /api/returns/{id}/repaired. 409 DISPATCH_ILLEGAL_TRANSITION without a finding, twice, ' +
          'RTV out of warranty, or RESTOCK of a confirmed failure.',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          disposition: Type.Optional(DispositionEnum),
          reason: Type.Optional(Type.String({ maxLength: 500 })),
          toLocation: Type.Optional(
            Type.String({
              maxLength: 64,
              description: 'stock location code for RESTOCK/REFURBISH (default: where the part came from)',
            }),
          ),
          repairCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
          turnaroundDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          ...unit,
        }),
        response: { 200: AdviceSchema, ...refusals },
      },
    },
    async (req) => store.decide(req.params.id, req.body, { now: clock.now(), actor: req.user.email }),
  );

  app.post(
    '/api/returns/:id/repaired',
    {
      onRequest: dispatcher,
      schema: {
        tags,
        summary: 'A refurbished unit leaves the repair bench',
        description:
          'passed: true puts it into serviceable stock (refurbished) at its destination; false recycles it.',
        security: bearer,
        params: IdParams,
        body: Type.Object({ passed: Type.Boolean() }),
        response: { 200: AdviceSchema, ...refusals },
      },
    },
    async (req) =>
      store.completeRepair(req.params.id, req.body.passed, { now: clock.now(), actor: req.user.email }),
  );

  documentRoute(app, {
    url: '/api/returns/:id/rtv-document',
    tags,
    summary: 'The printable return-to-vendor document (HTML) of a unit sent back under warranty',
    onRequest: staff,
    render: async (id) => {
      const doc = await store.rtv(id);
      return doc ? renderRtvDocument(doc) : null;
    },
    notFound: 'no return-to-vendor record for this return',
  });

  const FactorsSchema = Type.Object({
    sku: Type.String(),
    stored: Type.Object({
      repairCost: Nullable(Type.Number()),
      refurbYield: Nullable(Type.Number()),
      warrantyMonths: Nullable(Type.Integer()),
      co2eKgPerUnit: Nullable(Type.Number()),
    }),
    used: AdviceSchema.properties.factors,
  });
  const SkuParams = Type.Object({ sku: Type.String({ maxLength: 64 }) });

  app.get(
    '/api/parts/:sku/factors',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "A part's reverse-logistics factors: as stored (null: the default) and as used",
        security: bearer,
        params: SkuParams,
        response: { 200: FactorsSchema, ...read },
      },
    },
    async (req) => store.partFactors(req.params.sku),
  );

  app.put(
    '/api/parts/:sku/factors',
    {
      onRequest: app.requireRole('ADMIN'),
      schema: {
        tags,
        summary: "Set a part's repair cost, refurbishment yield, warranty and CO2e per unit (reset: default)",
        security: bearer,
        params: SkuParams,
        body: Type.Object(
          {
            repairCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
            refurbYield: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            warrantyMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
            co2eKgPerUnit: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })),
            reset: Type.Optional(
              Type.Array(
                Type.Union([
                  Type.Literal('repairCost'),
                  Type.Literal('refurbYield'),
                  Type.Literal('warrantyMonths'),
                  Type.Literal('co2eKgPerUnit'),
                ]),
                { maxItems: 4, description: 'factors to set back to their default' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: FactorsSchema, ...refusals },
      },
    },
    async (req) => {
      const { reset = [], ...set } = req.body;
      return store.setPartFactors(req.params.sku, {
        ...set,
        ...Object.fromEntries(reset.map((k) => [k, null])),
      });
    },
  );

  app.get(
    '/api/stock',
    {
      onRequest: staff,
      schema: {
        tags: ['dispatch'],
        summary: 'Stock by condition at each location: new, refurbished, reserved, defective, in repair',
        description:
          'Only serviceable stock (new + refurbished) is planned and reserved; defective units and units in ' +
          'repair are counted from the returns at the location.',
        security: bearer,
        querystring: Type.Object({ location: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: Type.Array(
            Type.Object({
              location: Type.String(),
              kind: Type.String(),
              sku: Type.String(),
              new: Type.Integer(),
              refurbished: Type.Integer(),
              available: Type.Integer(),
              reserved: Type.Integer(),
              defective: Type.Integer(),
              inRepair: Type.Integer(),
            }),
          ),
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (req) => store.stockByCondition(req.query),
  );

  app.get(
    '/api/sustainability',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['returns'],
        summary: 'Reuse, recycling and CO2e avoided over returned defective units, per tenant',
        description:
          'Over dispositions decided in [from, to) (default: the last 365 days). A customer sees their own ' +
          'tenant only; staff see the network total and each tenant.',
        security: bearer,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            total: Type.Object(Figures),
            tenants: Type.Array(Type.Object({ tenantId: Type.String(), ...Figures })),
          }),
          400: errorSchema,
          401: errorSchema,
        },
      },
    },
    async (req) => {
      const to = req.query.to ? new Date(req.query.to) : clock.now();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 365 * 86_400_000);
      if (!(from.getTime() < to.getTime()))
        throw new AppError('VALIDATION_FAILED', '`from` must be before `to`');
      if (to.getTime() - from.getTime() > MAX_RANGE_MS)
        throw new AppError('VALIDATION_FAILED', 'at most five years at a time');
      const tenantId = tenantScope(req.user);
      const s = await store.sustainability({ from, to, ...(tenantId ? { tenantId } : {}) });
      return { from: from.toISOString(), to: to.toISOString(), ...s };
    },
  );
};
