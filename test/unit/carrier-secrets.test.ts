import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../common/config.ts';

describe('CARRIER_SECRETS', () => {
  it('reads carrier=secret pairs; empty means no carrier may post', () => {
    expect(loadConfig({}).carrierSecrets).toEqual({});
    expect(
      loadConfig({ CARRIER_SECRETS: 'fastfreight=0123456789abcdef, parcel-co = fedcba9876543210xx' })
        .carrierSecrets,
    ).toEqual({ fastfreight: '0123456789abcdef', 'parcel-co': 'fedcba9876543210xx' });
  });

  it('refuses short secrets and malformed pairs', () => {
    for (const bad of ['fastfreight=short', 'no-secret', '=0123456789abcdef', 'Bad Name=0123456789abcdef'])
      expect(() => loadConfig({ CARRIER_SECRETS: bad })).toThrow(ConfigError);
  });
});
