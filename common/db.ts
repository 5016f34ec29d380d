// The database client: Prisma over node-postgres through the driver adapter (no engine binaries).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.ts';

export type Db = PrismaClient;
export { Prisma } from '../prisma/generated/client.ts';
export type * from '../prisma/generated/client.ts';

export function createDb(url: string, opts: { max?: number } = {}): Db {
  quietPrismaTransactionWarning();
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: opts.max ?? 10 }) });
}

/**
 * Prisma's pg adapter reads a transaction's relations (an `include`) concurrently on the transaction's one
 * connection, and pg ≥ 8.19 prints once per process that pg 9 will refuse that (prisma/orm#29468, #29979: not
 * fixable from application code). pg 8 queues the queries and runs them in order, so nothing is wrong today; the
 * line on stderr (in `npm start`, every CLI and benchmark) only alarms operators. This drops exactly that warning;
 * every other warning is printed as before. package.json keeps pg at ^8 until Prisma serialises those reads.
 */
const PG_QUEUED_QUERY = 'Calling client.query() when the client is already executing a query';
let quieted = false;
function quietPrismaTransactionWarning(): void {
  if (quieted) return;
  quieted = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith(PG_QUEUED_QUERY)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
