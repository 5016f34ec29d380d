// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the schema as last migrated
// (prisma/migrations/schema.snapshot.prisma) to prisma/schema.prisma. Works offline (docs/adr/0003-migrations.md).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { prismaEnv } from './prisma-env.mjs';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower case letters, digits and _)');
  process.exit(1);
}
const snapshot = 'prisma/migrations/schema.snapshot.prisma';
const from = existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
const sql = execFileSync(
  'npx',
  [
    '--no-install',
    'prisma',
    'migrate',
    'diff',
    ...from,
    '--to-schema-datamodel',
    'prisma/schema.prisma',
    '--script',
  ],
  { env: prismaEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.error('The schema has not changed since the last migration: nothing written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `prisma/migrations/${stamp}_${name}`;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/migration.sql`, sql);
copyFileSync('prisma/schema.prisma', snapshot);
console.log(`wrote ${dir}/migration.sql`);
