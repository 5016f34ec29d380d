// createDb drops pg's once-per-process warning about queries queued on one connection (Prisma's relation reads in a
// transaction, common/db.ts) and no other warning.
import { describe, expect, it } from 'vitest';
import { createDb } from '../../common/db.ts';

describe('database client warnings', () => {
  it("drops only pg's queued-query deprecation", async () => {
    const db = createDb('postgresql://nobody@127.0.0.1:1/none');
    const seen: string[] = [];
    const listen = (w: Error) => seen.push(w.message);
    process.on('warning', listen);
    try {
      process.emitWarning(
        'Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0.',
        'DeprecationWarning',
      );
      process.emitWarning('something else is deprecated', 'DeprecationWarning');
      process.emitWarning(new Error('an Error object warning'));
      await new Promise((r) => setImmediate(r));
      expect(seen).toEqual(['something else is deprecated', 'an Error object warning']);
    } finally {
      process.off('warning', listen);
      await db.$disconnect();
    }
  });
});
