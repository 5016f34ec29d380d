// The committed migrations and prisma/schema.prisma must describe the same database: both are applied to
// fresh databases and their catalogs (tables, columns, types, defaults, indexes, constraints, enums) compared.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../common/migrate.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { prismaEnv } from '../../scripts/prisma-env.mjs';

async function catalog(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => JSON.stringify(r));
    return [
      ...(await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`)),
      ...(await q(
        `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
      )),
      ...(await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`)),
      ...(await q(
        `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`,
      )),
    ];
  } finally {
    await c.end();
  }
}

describe('database migrations', () => {
  let fromMigrations: TestDatabase;
  let fromSchema: TestDatabase;

  beforeAll(async () => {
    fromMigrations = await freshDatabase();
    fromSchema = await freshDatabase({ migrate: false });
  });
  afterAll(async () => {
    await fromMigrations?.drop();
    await fromSchema?.drop();
  });

  it('applies every committed migration once and records it as Prisma does', async () => {
    expect(await migrate(fromMigrations.url)).toEqual([]); // already applied by freshDatabase
    const c = new pg.Client({ connectionString: fromMigrations.url });
    await c.connect();
    const rows = (
      await c.query('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name')
    ).rows;
    await c.end();
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
  });

  it('agree with prisma/schema.prisma (CI fails when a migration is missing)', async () => {
    const sql = execFileSync(
      'npx',
      [
        '--no-install',
        'prisma',
        'migrate',
        'diff',
        '--from-empty',
        '--to-schema-datamodel',
        'prisma/schema.prisma',
        '--script',
      ],
      {
        encoding: 'utf8',
        env: { ...prismaEnv, DATABASE_URL: fromSchema.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const c = new pg.Client({ connectionString: fromSchema.url });
    await c.connect();
    await c.query(sql);
    await c.end();
    const [a, b] = await Promise.all([catalog(fromMigrations.url), catalog(fromSchema.url)]);
    const onlyInMigrations = a.filter((x) => !b.includes(x));
    const onlyInSchema = b.filter((x) => !a.includes(x));
    expect(
      { onlyInMigrations, onlyInSchema },
      'run `npm run db:migration -- <name>` after changing prisma/schema.prisma',
    ).toEqual({ onlyInMigrations: [], onlyInSchema: [] });
  });
});
