// Environment for the Prisma CLI (migrate diff needs a reachable PostgreSQL: set DATABASE_URL) on a machine without engine downloads (docs/adr/0003-migrations.md).
export const prismaEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
  PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
};
