// The request validators. Two changes to fastify's defaults:
// - A `date-time` must not be before 1970 (UTC). JavaScript reads "0000-01-01T00:00:00Z" as a date (1 BC), but
//   PostgreSQL has no year 0 and refuses the timestamp the driver writes for it, so such a `from` or `to` (or a
//   window a route derives from a `to` near year 1) reached the database and was answered 500. Nothing this
//   platform records predates 1970. Nor may it be after 9999 (UTC): "9999-12-31T23:59:59-12:00" has the form,
//   but it is in year 10000, which Prisma refuses to write (a carrier's event `at`: 500) and, once stored by
//   another way, reads back as an invalid date.
// - A JSON body is taken as typed. Query strings, path parameters and headers are text, so their values are
//   coerced to the schema's types ("?limit=5" is 5, "?status=A" is ["A"]); a body's are not: fastify's one
//   validator coerced bodies too, so `{"password":["x"]}` signed in with "x" and `{"quantity":"3"}` ordered 3.
//   A coerced number must be finite: Ajv turns "1e309" or "Infinity" into Infinity and, its numbers being strict,
//   then skips `minimum` and `maximum`, so `?limit=1e309` passed `maximum: 500` and reached Prisma as an Infinity
//   `take` (500 on every listing with a limit, and on a path's integer such as a version number).
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifySchema } from 'fastify';

/** 1970-01-01T00:00:00Z: the earliest instant a `date-time` may name. */
export const EARLIEST_DATE_TIME_MS = 0;
/** 9999-12-31T23:59:59.999Z: the latest. */
export const LATEST_DATE_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether a string that already has the date-time form names an instant from 1970 to the end of 9999 (UTC). */
export function dateTimeInRange(s: string): boolean {
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= EARLIEST_DATE_TIME_MS && t <= LATEST_DATE_TIME_MS;
}

type FormatCheck = (s: string) => boolean;

function checkOf(format: unknown): FormatCheck | undefined {
  if (typeof format === 'function') return format as FormatCheck;
  if (format && typeof format === 'object' && 'validate' in format) {
    const v = (format as { validate: unknown }).validate;
    if (typeof v === 'function') return v as FormatCheck;
  }
  return undefined;
}

/** Runs after ajv-formats: `date-time` keeps its RFC 3339 check and gains the 1970 and 9999 bounds. */
export function boundDateTimeFormat(ajv: Ajv): void {
  const rfc3339 = checkOf(ajv.formats['date-time']);
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => (rfc3339 ? rfc3339(s) : true) && dateTimeInRange(s),
  });
}

const TEXT_PART_OPTIONS = { removeAdditional: false, coerceTypes: 'array', useDefaults: true } as const;

function requestAjv(coerceTypes: false | 'array'): Ajv {
  // fastify's defaults (@fastify/ajv-compiler): allErrors off (a DoS guard), no schema kept by $ref use
  const ajv = new Ajv({ ...TEXT_PART_OPTIONS, coerceTypes, allErrors: false, addUsedSchema: false });
  addFormats.default(ajv);
  boundDateTimeFormat(ajv);
  return ajv;
}

/** Where the first number that is not finite is in a coerced query, params or headers object; undefined if none. */
export function findNonFinite(value: unknown, at = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : at || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findNonFinite(value[i], `${at}/${i}`);
      if (bad !== undefined) return bad;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = findNonFinite(v, `${at}/${k}`);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

/** A text part's validator that also refuses a value coerced to Infinity or NaN. */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, ctx?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, ctx)) {
      checked.errors = validate.errors;
      return false;
    }
    // an object part's coerced values are in `data` itself (Ajv writes them back)
    const at = findNonFinite(data);
    if (at === undefined) {
      checked.errors = null;
      return true;
    }
    checked.errors = [
      {
        instancePath: at,
        schemaPath: '#',
        keyword: 'finite',
        params: {},
        message: 'must be a finite number',
      },
    ];
    return false;
  }) as ValidateFunction;
  // fastify passes the parent (for a root coercion) only to a function with Ajv's schemaEnv
  Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
  return checked;
}

/** Bodies validated without coercion; query strings, params and headers with it (see the top of the file). */
export function installRequestValidators(app: FastifyInstance): void {
  const text = requestAjv('array');
  const body = requestAjv(false);
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? body : text;
    // as fastify's compiler: a schema with an $id is compiled once per validator
    const id = (schema as { $id?: unknown }).$id;
    const known = typeof id === 'string' ? ajv.getSchema(id) : undefined;
    const validate = known ?? ajv.compile(schema as object);
    return httpPart === 'body' ? validate : finiteOnly(validate);
  });
}
