// Starts an embedded PostgreSQL and then dies of an uncaught exception, so a test can check that the server (in a
// process group of its own) does not outlive its parent; with `stay`, keeps running (a platform still up) until
// SIGTERM, then stops its server and exits.
// Usage: node --import tsx test/helpers/embedded-postgres-child.ts <data dir> <port> [stay]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../common/embedded/postgres.ts';

const [dataDir, port, mode] = process.argv.slice(2);
const pg = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
const pid = Number(readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
console.log(JSON.stringify({ pid, dataDir: pg.dataDir, url: pg.url }));
if (mode === 'stay') {
  setInterval(() => undefined, 60_000);
  process.once('SIGTERM', () => void pg.stop().then(() => process.exit(0)));
} else {
  setTimeout(() => {
    throw new Error('the parent crashes');
  }, 100);
}
