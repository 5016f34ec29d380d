// Backtests run on the platform's thread, so only a few at once: the next is refused with a code (429 at the route).
import { describe, expect, it } from 'vitest';
import type { Db } from '../../common/db.ts';
import { systemClock } from '../../common/clock.ts';
import { createLogger } from '../../common/logger.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import type { ModelRegistry } from '../../predict/adapters/model-registry.ts';
import { Backtests } from '../../predict/backtests.ts';

describe('Backtests', () => {
  it('refuses a run past the number allowed at once, before reading anything', async () => {
    const registry = {
      version: () => Promise.reject(new Error('not reached')),
    } as unknown as ModelRegistry;
    const deps = {
      db: {} as Db,
      store: {} as TelemetryStore,
      clock: systemClock,
      log: createLogger({ level: 'silent' }),
      dataDir: '/nonexistent',
    };
    const none = new Backtests(deps, registry, 0);
    await expect(none.start('m', 1, { source: 'telemetry' }, 'erin@example.com')).rejects.toMatchObject({
      code: 'PREDICT_BACKTEST_BUSY',
      message: '0 backtests are running (at most 0 at once): try again when one is done',
    });
    // below the limit the run goes on to its version (here: the registry's refusal)
    const one = new Backtests(deps, registry, 1);
    await expect(one.start('m', 1, { source: 'telemetry' }, 'erin@example.com')).rejects.toThrow(
      'not reached',
    );
  });
});
