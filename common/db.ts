// The database client: Prisma over node-postgres through the driver adapter (no engine binaries).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.ts';

export type Db = PrismaClient;
export { Prisma } from '../prisma/generated/client.ts';
export type * from '../prisma/generated/client.ts';

export function createDb(url: string, opts: { max?: number } = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: opts.max ?? 10 }) });
}
