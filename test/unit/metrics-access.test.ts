// Who may read /metrics (common/http/metrics-route.ts, docs/operations.md).
import { describe, expect, it } from 'vitest';
import { metricsAccess } from '../../common/http/metrics-route.ts';

const TOKEN = 'a-metrics-token-of-some-length';

describe('metrics access', () => {
  it('with METRICS_TOKEN: only that bearer token, wherever', () => {
    for (const openWithoutToken of [true, false]) {
      const access = { token: TOKEN, openWithoutToken };
      expect(metricsAccess(`Bearer ${TOKEN}`, access)).toEqual({ ok: true });
      expect(metricsAccess(`bearer   ${TOKEN} `, access)).toEqual({ ok: true });
      for (const header of [
        undefined,
        '',
        'Bearer',
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        `Bearer ${TOKEN.slice(1)}`,
      ])
        expect(metricsAccess(header, access)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('without METRICS_TOKEN: open where allowed (workers, demo), 403 elsewhere', () => {
    expect(metricsAccess(undefined, { token: '', openWithoutToken: true })).toEqual({ ok: true });
    expect(metricsAccess('Bearer anything', { token: '', openWithoutToken: false })).toMatchObject({
      ok: false,
      status: 403,
      code: 'AUTH_FORBIDDEN',
    });
  });
});
