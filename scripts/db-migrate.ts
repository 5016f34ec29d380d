// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded PostgreSQL under
// DATA_DIR when DATABASE_URL is unset (the same database `npm start` would use: the running platform's server when
// it is up, never a second one on its data). docs/adr/0003-migrations.md
import { configOrExit } from '../common/cli.ts';
import { isAppError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { migrate } from '../common/migrate.ts';
import { openDatabase } from '../predict/cli/database.ts';

const config = configOrExit();
const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
let db: Awaited<ReturnType<typeof openDatabase>>;
try {
  db = await openDatabase(config, log);
} catch (err) {
  if (!isAppError(err)) throw err;
  console.error(`db:migrate: ${err.message}`);
  process.exit(1);
}
try {
  const applied = await migrate(db.url, log.child({ module: 'migrate' }));
  log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
} catch (err) {
  log.error({ err }, 'migration failed: the database is left at the last migration that succeeded');
  process.exitCode = 1;
} finally {
  await db.stop?.();
}
