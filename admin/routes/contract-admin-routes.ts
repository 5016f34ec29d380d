// A tenant's service contracts, for the platform administrator (ADMIN) only, beside its sites (docs/operations.md):
// list, create, edit and delete. Every asset is registered under a contract of its tenant (POST /api/assets), so a
// new tenant needs one before its first asset. A contract sets the SLA tier and response time the planners use and
// what it covers of a job's cost (billing). Each change is in the audit log with before/after
// (GET /api/admin/audit). A contract is addressed under its tenant: another tenant's contract is a 404.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { auditActor } from '../../common/audit-log.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import {
  cleanSkus,
  EXCLUDED_SKUS_MAX,
  RESPONSE_HOURS_MAX,
  SKU_PATTERN,
  SLA_TIERS,
  type ContractFields,
} from '../core/contract-admin.ts';
import { cleanText } from '../core/tenant-admin.ts';
import type { PrismaContractAdmin } from '../adapters/contract-admin.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Tier = Type.Union([Type.Literal(SLA_TIERS[0]), Type.Literal(SLA_TIERS[1])], {
  description:
    "CRITICAL or STANDARD: the planners' weight of a missed SLA (the parts planner's miss penalty)",
});
const ResponseHours = Type.Integer({
  minimum: 1,
  maximum: RESPONSE_HOURS_MAX,
  description: `the SLA: hours from a failure to the technician on site, 1 to ${RESPONSE_HOURS_MAX}`,
});
const When = (what: string) =>
  N(Type.String({ format: 'date-time', description: `${what}; null: open-ended` }));
const Covers = (what: string) => Type.Boolean({ description: `whether the contract pays for ${what}` });
const Skus = Type.Array(Type.String({ pattern: SKU_PATTERN, maxLength: 64 }), {
  maxItems: EXCLUDED_SKUS_MAX,
  description: 'SKUs of the parts catalogue the contract does not cover (wear parts, consumables)',
});

const ContractSchema = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  name: Type.String(),
  tier: Tier,
  responseHours: Type.Integer(),
  startsAt: N(Type.String()),
  endsAt: N(Type.String()),
  coversParts: Type.Boolean(),
  coversLabour: Type.Boolean(),
  coversTravel: Type.Boolean(),
  coversShipping: Type.Boolean(),
  excludedSkus: Type.Array(Type.String()),
  assets: Type.Integer({ description: 'assets under the contract (decommissioned ones included)' }),
});

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const fields = {
  name: Name,
  tier: Tier,
  responseHours: ResponseHours,
  startsAt: When('in force from then (inclusive)'),
  endsAt: When('in force until then (exclusive)'),
  coversParts: Covers('parts'),
  coversLabour: Covers('labour'),
  coversTravel: Covers('travel'),
  coversShipping: Covers('shipping'),
  excludedSkus: Skus,
};

const Id = Type.String({ minLength: 1, maxLength: 100 });
const TenantParams = Type.Object({ tenantId: Id });
const ContractParams = Type.Object({ tenantId: Id, contractId: Id });
const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

type Body = Partial<Omit<ContractFields, 'startsAt' | 'endsAt'>> & {
  startsAt?: string | null;
  endsAt?: string | null;
};

/** The body as the adapter takes it: names trimmed, dates parsed, SKUs cleaned; absent fields left out. */
function input(b: Body): Partial<ContractFields> {
  const date = (s: string | null) => (s === null ? null : new Date(s));
  const out: Partial<ContractFields> = {};
  if (b.name !== undefined) out.name = cleanText(b.name);
  if (b.tier !== undefined) out.tier = b.tier;
  if (b.responseHours !== undefined) out.responseHours = b.responseHours;
  if (b.startsAt !== undefined) out.startsAt = date(b.startsAt);
  if (b.endsAt !== undefined) out.endsAt = date(b.endsAt);
  for (const k of ['coversParts', 'coversLabour', 'coversTravel', 'coversShipping'] as const)
    if (b[k] !== undefined) out[k] = b[k];
  if (b.excludedSkus !== undefined) out.excludedSkus = cleanSkus(b.excludedSkus);
  return out;
}

/** A new contract: name, tier and response time required, the rest defaulted. */
const ContractBody = Type.Object(
  {
    name: fields.name,
    tier: fields.tier,
    responseHours: fields.responseHours,
    startsAt: Type.Optional(fields.startsAt),
    endsAt: Type.Optional(fields.endsAt),
    coversParts: Type.Optional(fields.coversParts),
    coversLabour: Type.Optional(fields.coversLabour),
    coversTravel: Type.Optional(fields.coversTravel),
    coversShipping: Type.Optional(fields.coversShipping),
    excludedSkus: Type.Optional(fields.excludedSkus),
  },
  { additionalProperties: false },
);

export const contractAdminRoutes: FastifyPluginAsyncTypebox<{ admin: PrismaContractAdmin }> = async (
  app,
  { admin },
) => {
  const guard = app.requireRole('ADMIN');
  const tags = ['admin'];

  app.get(
    '/api/admin/tenants/:tenantId/contracts',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "A tenant's service contracts with their SLA, coverage and number of assets",
        security: bearer,
        params: TenantParams,
        response: { 200: Type.Array(ContractSchema), ...refusals },
      },
    },
    async (req) => admin.contracts(req.params.tenantId),
  );

  app.post(
    '/api/admin/tenants/:tenantId/contracts',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Create a service contract of the tenant (its assets are registered under one)',
        description:
          'name, tier and responseHours are required; the coverage defaults to everything, in force open-ended, ' +
          'no SKU excluded. Names are unique within a tenant whatever their case (409 ADMIN_CONTRACT_NAME_TAKEN); ' +
          'endsAt must be after startsAt and excluded SKUs parts of the catalogue (400 VALIDATION_FAILED).',
        security: bearer,
        params: TenantParams,
        body: ContractBody,
        response: { 201: ContractSchema, ...refusals },
      },
    },
    async (req, reply) => {
      const c = input(req.body);
      const row = await admin.createContract(auditActor(req.user), req.params.tenantId, {
        name: c.name!,
        tier: c.tier!,
        responseHours: c.responseHours!,
        startsAt: c.startsAt ?? null,
        endsAt: c.endsAt ?? null,
        coversParts: c.coversParts ?? true,
        coversLabour: c.coversLabour ?? true,
        coversTravel: c.coversTravel ?? true,
        coversShipping: c.coversShipping ?? true,
        excludedSkus: c.excludedSkus ?? [],
      });
      return reply.status(201).send(row);
    },
  );

  app.patch(
    '/api/admin/tenants/:tenantId/contracts/:contractId',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Edit a service contract: any of its fields',
        description:
          'Applies to every asset under it from the next plan and bill on. To retire a contract its assets use, ' +
          'end it (endsAt): deleting it is refused while an asset has it.',
        security: bearer,
        params: ContractParams,
        // any of the create body's fields, at least one
        body: Type.Partial(ContractBody, { additionalProperties: false, minProperties: 1 }),
        response: { 200: ContractSchema, ...refusals },
      },
    },
    async (req) =>
      admin.updateContract(auditActor(req.user), req.params.tenantId, req.params.contractId, input(req.body)),
  );

  app.delete(
    '/api/admin/tenants/:tenantId/contracts/:contractId',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Delete a service contract no asset uses',
        description:
          'A contract with assets, decommissioned ones included (their history and bills keep it), stays: ' +
          '409 ADMIN_CONTRACT_IN_USE; end it with endsAt instead.',
        security: bearer,
        params: ContractParams,
        response: { 204: Type.Null(), ...refusals },
      },
    },
    async (req, reply) => {
      await admin.removeContract(auditActor(req.user), req.params.tenantId, req.params.contractId);
      return reply.status(204).send(null);
    },
  );
};
