// Dispatch as a fastify plugin: planning rounds on new orders and on a schedule; orders and the network over HTTP;
// dispatcher actions and field progress (routes/order-routes.ts) and returns (routes/return-routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { AppError } from '../common/errors.ts';
import { bearer } from '../common/http/auth.ts';
import { canSeeTenant, tenantScope } from '../common/http/access.ts';
import { orderFor } from '../common/http/customer-view.ts';
import { PrismaFlaggedOrders } from './adapters/flagged-orders.ts';
import { PrismaNetworkStore } from './adapters/network-store.ts';
import { PrismaOrderActions } from './adapters/order-actions.ts';
import { OrderChoices } from './adapters/order-choices.ts';
import { OrderView } from './adapters/order-view.ts';
import { OrderDetailReader } from './adapters/order-detail.ts';
import { ServiceHistory } from './adapters/service-history.ts';
import { PrismaReturnStore } from './adapters/return-store.ts';
import { PrismaDispositionStore } from './adapters/disposition-store.ts';
import { PrismaCarrierEvents } from './adapters/carrier-events.ts';
import { PrismaBillingStore } from './adapters/billing-store.ts';
import { ORDER_STATUSES } from './core/lifecycle.ts';
import { DEFAULT_POLICY } from './core/policy.ts';
import { DispatchService } from './dispatch-service.ts';
import { OrderDesk } from './order-desk.ts';
import { RiskClearedRelease } from './risk-cleared-release.ts';
import { orderRoutes } from './routes/order-routes.ts';
import { returnRoutes } from './routes/return-routes.ts';
import { dispositionRoutes } from './routes/disposition-routes.ts';
import { carrierRoutes } from './routes/carrier-routes.ts';
import { billingRoutes } from './routes/billing-routes.ts';
import { watchShipmentProblems } from './shipment-problems.ts';
import { watchForecastAdvances } from './forecast-replans.ts';
import { orderDetailRoutes } from './routes/order-detail-routes.ts';
import { serviceHistoryRoutes } from './routes/service-history-routes.ts';
import { technicianRoutes } from './routes/technician-routes.ts';
import { TechnicianJobs } from './adapters/technician-jobs.ts';
import { PrismaJobPhotos } from './adapters/job-photos.ts';
import { scheduleRoutes } from './routes/schedule-routes.ts';
import { ScheduleReader } from './adapters/schedule-reader.ts';
import { OrderSchema } from './routes/schemas.ts';
import { PrismaPartsReviewStore } from './adapters/parts-review-store.ts';
import { PrismaPartsDemandHistory } from './adapters/parts-demand-history.ts';
import { PrismaPartsPlanStore } from './adapters/parts-plan-store.ts';
import { workerCompute } from './adapters/parts-plan-worker.ts';
import { PartsPlanning } from './parts-planning.ts';
import { partsRoutes } from './routes/parts-routes.ts';
import { networkRoute } from './routes/network-route.ts';

export { OrderSchema };

const oneStatus = `(?:${ORDER_STATUSES.join('|')})`;

export const dispatchPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const log = deps.log.child({ module: 'dispatch' });
  const orders = new OrderView(deps.db);
  const service = new DispatchService({
    network: new PrismaNetworkStore(deps.db),
    orders,
    bus: deps.bus,
    clock: deps.clock,
    log,
    policy: DEFAULT_POLICY,
  });
  deps.health.register('dispatch', () => ({
    status: 'up',
    detail: { rounds: service.rounds, lastRound: service.lastRound },
  }));
  app.addHook('onReady', async () => {
    service.start();
    void service.plan();
  });
  app.addHook('onClose', async () => service.stop());

  const returns = new PrismaReturnStore(deps.db);
  const desk = new OrderDesk({
    actions: new PrismaOrderActions(deps.db),
    returns,
    bus: deps.bus,
    clock: deps.clock,
    policy: DEFAULT_POLICY,
  });
  const release = new RiskClearedRelease({
    policy: { mode: deps.config.riskClearedPolicy, graceMinutes: deps.config.riskClearedGraceMinutes },
    orders: new PrismaFlaggedOrders(deps.db),
    desk,
    clock: deps.clock,
    log,
  });
  app.addHook('onReady', async () => release.start());
  app.addHook('onClose', () => release.stop());
  await app.register(orderRoutes, {
    desk,
    orders,
    choices: new OrderChoices(deps.db, DEFAULT_POLICY),
    clock: deps.clock,
  });
  await app.register(returnRoutes, { desk, returns });
  await app.register(dispositionRoutes, { store: new PrismaDispositionStore(deps.db), clock: deps.clock });
  await app.register(billingRoutes, {
    store: new PrismaBillingStore(deps.db, DEFAULT_POLICY),
    clock: deps.clock,
  });
  const carriers = new PrismaCarrierEvents(deps.db, deps.config.consignmentCarrier);
  const choices = new OrderChoices(deps.db, DEFAULT_POLICY);
  const problems = watchShipmentProblems({
    bus: deps.bus,
    carriers,
    clock: deps.clock,
    log,
    restager: {
      stagings: async (id, now) => (await choices.get(id, now)).stagings,
      restage: (id, to, actor) => desk.restage(id, to, actor),
    },
    sweepEveryMs: deps.config.carrierOverdueSweepSeconds * 1000,
  });
  app.addHook('onClose', async () => problems.stop());
  const network = new PrismaNetworkStore(deps.db);
  watchForecastAdvances({
    bus: deps.bus,
    clock: deps.clock,
    log,
    state: (id) => network.forecastState(id),
    choices: (id, now) => choices.get(id, now),
    reassign: (id, technician, actor) => desk.reassign(id, technician, actor),
    restage: (id, to, actor) => desk.restage(id, to, actor),
    markLate: (id, reason, late, now) => network.markLate(id, reason, late, now),
    plan: () => void service.plan(),
  });
  await app.register(carrierRoutes, {
    carriers,
    secrets: deps.config.carrierSecrets,
    bus: deps.bus,
    clock: deps.clock,
  });
  await app.register(orderDetailRoutes, {
    detail: new OrderDetailReader({ db: deps.db, orders, store: deps.store, clock: deps.clock }),
  });
  await app.register(serviceHistoryRoutes, { db: deps.db, history: new ServiceHistory(deps.db) });
  await app.register(technicianRoutes, {
    jobs: new TechnicianJobs(deps.db),
    photos: new PrismaJobPhotos(deps.db),
    desk,
    clock: deps.clock,
    photoMaxBytes: deps.config.photoMaxBytes,
  });
  await app.register(scheduleRoutes, {
    schedule: new ScheduleReader(deps.db, DEFAULT_POLICY),
    clock: deps.clock,
  });

  const partsPlans = new PrismaPartsPlanStore(deps.db);
  const parts = new PartsPlanning({
    reviews: new PrismaPartsReviewStore(deps.db),
    history: new PrismaPartsDemandHistory(deps.db),
    plans: partsPlans,
    clock: deps.clock,
    log: log.child({ part: 'parts-planning' }),
    reviewAt: deps.config.partsReviewAt,
    autoApply: deps.config.partsAutoApply,
    planMs: deps.config.partsPlanMs,
    compute: workerCompute,
  });
  deps.health.register('parts-planning', () => ({
    status: 'up',
    detail: { reviews: parts.reviewsRun, lastReview: parts.lastReviewAt },
  }));
  app.addHook('onReady', async () => parts.start());
  app.addHook('onClose', async () => parts.stop());
  await app.register(partsRoutes, { planning: parts, plans: partsPlans, clock: deps.clock });

  app.get(
    '/api/orders',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['dispatch'],
        summary: 'Service orders visible to the caller (a customer sees their own tenant), by due-by',
        security: bearer,
        querystring: Type.Object({
          status: Type.Optional(
            Type.String({
              pattern: `^${oneStatus}(?:,${oneStatus})*$`,
              maxLength: 200,
              description: `comma-separated statuses, of ${ORDER_STATUSES.join(', ')}`,
            }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: Type.Array(OrderSchema) },
      },
    },
    async (req) =>
      (
        await orders.list({
          tenantId: tenantScope(req.user),
          status: req.query.status?.split(','),
          limit: req.query.limit,
        })
      ).map((o) => orderFor(req.user, o)),
  );

  app.get(
    '/api/orders/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['dispatch'],
        summary: 'One service order',
        security: bearer,
        params: Type.Object({ id: Type.String() }),
        response: { 200: OrderSchema },
      },
    },
    async (req) => {
      const order = await orders.get(req.params.id);
      if (!order || !canSeeTenant(req.user, order.tenantId)) throw new AppError('NOT_FOUND', 'no such order');
      return orderFor(req.user, order);
    },
  );

  await app.register(networkRoute, { db: deps.db });

  app.post(
    '/api/dispatch/plan',
    {
      onRequest: app.requireRole('ADMIN', 'DISPATCHER'),
      schema: {
        tags: ['dispatch'],
        summary: 'Run a planning round now',
        security: bearer,
        response: { 200: Type.Object({ rounds: Type.Integer() }) },
      },
    },
    async () => {
      await service.plan();
      return { rounds: service.rounds };
    },
  );
};
