// Integration tests need a PostgreSQL: TEST_DATABASE_URL (an admin URL, e.g. the machine's
// postgresql://postgres@127.0.0.1:5432/postgres), or else an embedded one started here in a fresh temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { freePort } from './helpers/ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.TEST_DATABASE_URL);
    return async () => undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  project.provide('adminDatabaseUrl', pg.url);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
