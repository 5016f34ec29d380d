// Runs one planner commit (PrismaNetworkStore.commit) in a process of its own, so a test can kill it mid-transaction.
// Usage: node --import tsx test/helpers/commit-in-child.ts <database url> <assignment json>
import { createDb } from '../../common/db.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';

const [url, assignment] = process.argv.slice(2);
console.error('child: start', new Date().toISOString());
const db = createDb(url!);
await new PrismaNetworkStore(db).commit(JSON.parse(assignment!), {
  now: new Date(),
  policy: DEFAULT_POLICY,
  actor: 'planner (child)',
});
await db.$disconnect();
