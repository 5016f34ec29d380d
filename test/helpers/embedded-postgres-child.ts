// Starts an embedded PostgreSQL and then dies of an uncaught exception, so a test can check that the server (in a
// process group of its own) does not outlive its parent.
// Usage: node --import tsx test/helpers/embedded-postgres-child.ts <data dir> <port>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../common/embedded/postgres.ts';

const [dataDir, port] = process.argv.slice(2);
const pg = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
const pid = Number(readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
console.log(JSON.stringify({ pid, dataDir: pg.dataDir }));
setTimeout(() => {
  throw new Error('the parent crashes');
}, 100);
