// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded PostgreSQL under
// DATA_DIR when DATABASE_URL is unset (the same database `npm start` would use). docs/adr/0003-migrations.md
import { configOrExit } from '../common/cli.ts';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { createLogger } from '../common/logger.ts';
import { migrate } from '../common/migrate.ts';

const config = configOrExit();
const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
const pg = config.databaseUrl
  ? undefined
  : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
try {
  const applied = await migrate(config.databaseUrl ?? pg!.url, log.child({ module: 'migrate' }));
  log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
} catch (err) {
  log.error({ err }, 'migration failed: the database is left at the last migration that succeeded');
  process.exitCode = 1;
} finally {
  await pg?.stop();
}
