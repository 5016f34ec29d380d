import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, SETTINGS, loadConfig } from '../../common/config.ts';

describe('configuration', () => {
  it('starts with no configuration at all: embedded services and demo mode', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      mqttPort: 1883,
      databaseUrl: undefined,
      mqttUrl: undefined,
      influxUrl: undefined,
      demo: true,
    });
  });

  it('leaves a risk-cleared order to the dispatcher unless told to release it (docs/adr/0008)', () => {
    expect(loadConfig({})).toMatchObject({ riskClearedPolicy: 'confirm', riskClearedGraceMinutes: 60 });
    expect(loadConfig({ RISK_CLEARED_POLICY: 'release', RISK_CLEARED_GRACE_MINUTES: '15' })).toMatchObject({
      riskClearedPolicy: 'release',
      riskClearedGraceMinutes: 15,
    });
  });

  it('turns the demo off by default when a real database is configured', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/preempt' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/preempt', DEMO: 'true' }).demo).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', 'PORT="eighty" is not valid: expected a TCP port 0-65535.'],
    ['PORT', '70000', 'PORT="70000" is not valid: expected a TCP port 0-65535.'],
    [
      'DATABASE_URL',
      'mysql://x',
      'DATABASE_URL="mysql://x" is not valid: expected a postgres:// or postgresql:// URL, or empty.',
    ],
    [
      'MQTT_URL',
      'not a url',
      'MQTT_URL="not a url" is not valid: expected an mqtt://, mqtts://, ws:// or wss:// URL, or empty.',
    ],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL="loud" is not valid: expected fatal, error, warn, info, debug or trace.',
    ],
    ['AUTH_SECRET', 'short', 'AUTH_SECRET="short" is not valid: expected empty or at least 32 characters.'],
    [
      'RISK_CLEARED_POLICY',
      'cancel',
      'RISK_CLEARED_POLICY="cancel" is not valid: expected release or confirm.',
    ],
    [
      'RISK_CLEARED_GRACE_MINUTES',
      '-5',
      'RISK_CLEARED_GRACE_MINUTES="-5" is not valid: expected minutes 0-10080.',
    ],
  ])('refuses %s=%s with one line naming the variable and what it accepts', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
  });

  it("trusts no proxy unless TRUST_PROXY names it: a hop count or the proxies' addresses", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' loopback, 10.0.0.0/8 ,fd00::/8,192.0.2.1' }).trustProxy).toBe(
      'loopback,10.0.0.0/8,fd00::/8,192.0.2.1',
    );
    for (const bad of [
      'true',
      '0',
      '11',
      '10.0.0.0/33',
      '10.0.0.1/8/1',
      'proxy.local',
      'fd00::/129',
      '10.0.0/8',
    ]) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/^TRUST_PROXY=.* is not valid/);
    }
    expect(loadConfig({}).loginLimitPerIp).toBe(100);
    expect(() => loadConfig({ LOGIN_LIMIT_PER_IP: '5' })).toThrow(/LOGIN_LIMIT_PER_IP="5" is not valid/);
  });

  it('takes as CONSIGNMENT_CARRIER only a carrier of CARRIER_SECRETS', () => {
    const secrets = 'fastfreight=0123456789abcdef0123,parcelco=0123456789abcdef0123';
    expect(loadConfig({}).consignmentCarrier).toBeUndefined();
    expect(loadConfig({ CARRIER_SECRETS: secrets, CONSIGNMENT_CARRIER: 'parcelco' }).consignmentCarrier).toBe(
      'parcelco',
    );
    expect(() => loadConfig({ CARRIER_SECRETS: secrets, CONSIGNMENT_CARRIER: 'dhl' })).toThrow(
      new ConfigError('CONSIGNMENT_CARRIER="dhl" is not a carrier of CARRIER_SECRETS.'),
    );
    expect(() => loadConfig({ CONSIGNMENT_CARRIER: 'Fast Freight' })).toThrow(
      /CONSIGNMENT_CARRIER=.* is not valid/,
    );
  });

  it('needs a token with InfluxDB', () => {
    expect(() => loadConfig({ INFLUX_URL: 'http://influx:8086' })).toThrow(/INFLUX_TOKEN is required/);
  });

  it('documents every variable in .env.example and the README', () => {
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    for (const s of Object.values(SETTINGS)) {
      expect(example).toContain(`\n${s.env}=`);
      expect(readme).toContain(`\`${s.env}\``);
    }
  });

  it('stops `npm start` with exit code 78 and one clear line on a wrong value', () => {
    let out = '';
    let code = 0;
    try {
      execFileSync('npx', ['--no-install', 'tsx', 'main.ts'], {
        env: { ...process.env, PORT: 'abc' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      code = e.status;
      out = e.stderr.toString();
    }
    expect(code).toBe(78);
    expect(out).toContain(
      'preempt: configuration error: PORT="abc" is not valid: expected a TCP port 0-65535.',
    );
  });

  it('stops `npm start` before starting anything when the MQTT port MQTT_PORT sets is taken, saying what to set', async () => {
    const held = net.createServer();
    await new Promise<void>((r) => held.listen(0, '0.0.0.0', () => r()));
    const port = (held.address() as net.AddressInfo).port;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-port-'));
    try {
      const run = spawnSync('npx', ['--no-install', 'tsx', 'main.ts'], {
        env: { ...process.env, MQTT_URL: '', DATABASE_URL: '', MQTT_PORT: String(port), DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        `preempt: MQTT port ${port} is already in use (another broker?). Set MQTT_URL to use that broker (e.g. MQTT_URL=mqtt://127.0.0.1:${port}), or MQTT_PORT to another port for the embedded one.`,
      );
      expect(readdirSync(dataDir)).toEqual([]); // no database was started
    } finally {
      held.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
