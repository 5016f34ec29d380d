import { describe, expect, it } from 'vitest';
import { planSimulation, type RawOptions } from './cli-options.ts';

const defaults = {
  devicesFile: '/data/demo-devices.json',
  mqttUrl: 'mqtt://127.0.0.1:1883',
  intervalMs: 2000,
  seed: 7,
};
const plan = (raw: RawOptions) => {
  const r = planSimulation(raw, defaults);
  if (!r.ok) throw new Error(r.error);
  return r.plan;
};
const error = (raw: RawOptions) => {
  const r = planSimulation(raw, defaults);
  return r.ok ? undefined : r.error;
};

describe('planSimulation', () => {
  it('runs the simulated fleet with the defaults', () => {
    expect(plan({})).toEqual({
      devicesFile: '/data/demo-devices.json',
      groundTruthFile: '/data/ground-truth.json',
      mqttUrl: 'mqtt://127.0.0.1:1883',
      selection: { equipment: ['chiller-ch300', 'pump-px50', 'imaging-ct9'] },
      intervalMs: 2000,
      speed: 1,
      seed: 7,
      fleet: {
        degradingShare: 0.15,
        degradationsPerDay: 0.05 * 0.8,
        suddenPerYear: 0.05 * 0.2 * 365,
        missingRate: 0.01,
        duplicateRate: 0.005,
        clockSkewMs: 2000,
        historyMinutes: 0,
      },
      faultsPerSecond: 0,
      progressMs: 5000,
    });
  });

  it('reads the issue example and every fleet option', () => {
    const p = plan({
      assets: '200',
      interval: '1s',
      speed: '60',
      seed: '7',
      'mqtt-url': 'mqtt://broker:1884',
      models: 'pump-px50=3,chiller-ch300=1',
      tenants: 'acme,globex',
      'failure-rate': '1',
      'sudden-share': '0.5',
      degrading: '0',
      missing: '0',
      duplicates: '0.1',
      'clock-skew': '30s',
      history: '2h',
      faults: '5',
      duration: '1m',
      progress: '0',
      devices: 'devices.json',
    });
    expect(p).toMatchObject({
      intervalMs: 1000,
      speed: 60,
      mqttUrl: 'mqtt://broker:1884',
      groundTruthFile: 'ground-truth.json',
      selection: {
        assets: 200,
        tenants: ['acme', 'globex'],
        perModel: { 'pump-px50': 3, 'chiller-ch300': 1 },
      },
      fleet: {
        degradingShare: 0,
        degradationsPerDay: 0.5,
        suddenPerYear: 182.5,
        duplicateRate: 0.1,
        clockSkewMs: 30_000,
        historyMinutes: 120,
      },
      faultsPerSecond: 5,
      durationMs: 60_000,
      progressMs: 0,
    });
  });

  it('replays C-MAPSS data: one cycle per interval unless --cycle says otherwise', () => {
    expect(plan({ replay: 'train_FD001.txt', interval: '500ms' })).toMatchObject({
      selection: { equipment: ['turbofan-cmapss'] },
      replay: { file: 'train_FD001.txt', model: 'turbofan-cmapss', cycleMs: 500, gapCycles: 5 },
    });
    expect(plan({ replay: 'f', cycle: '1h', speed: '3600', units: '10', 'replay-gap': '2' }).replay).toEqual({
      file: 'f',
      model: 'turbofan-cmapss',
      units: 10,
      cycleMs: 1000,
      gapCycles: 2,
    });
    expect(plan({ replay: 'f' }).fleet).toBeUndefined();
  });

  it('says in one line what is wrong', () => {
    const cases: [RawOptions, string][] = [
      [{ interval: '5x' }, '--interval "5x": expected a duration such as 500ms, 1s, 2m (100ms to 10m)'],
      [{ interval: '10ms' }, '--interval 10ms: expected 100ms to 10m'],
      [{ speed: '0' }, '--speed "0": expected a number above 0, at most 1000000'],
      [{ speed: 'fast' }, '--speed "fast": expected a number above 0, at most 1000000'],
      [{ assets: '1.5' }, '--assets "1.5": expected a whole number 1-100000'],
      [{ assets: '0' }, '--assets "0": expected a whole number 1-100000'],
      [{ seed: '-1' }, '--seed "-1": expected a whole number 0-2147483647'],
      [{ 'failure-rate': 'often' }, '--failure-rate "often": expected a number 0-1000'],
      [{ 'sudden-share': '2' }, '--sudden-share "2": expected a number 0-1'],
      [{ missing: '0.9' }, '--missing "0.9": expected a number 0-0.5'],
      [{ 'clock-skew': '6m' }, '--clock-skew 6m: expected 0 or 1ms to 5m'],
      [{ history: '30s' }, '--history 30s: expected 0 or 1m to 167h'],
      [{ models: 'pump-px50' }, '--models: "pump-px50" is not valid (expected a comma-separated list)'],
      [{ models: 'toaster=2' }, '--models: "toaster" is not a simulated equipment model'],
      [{ models: 'turbofan-cmapss=2' }, '--models: "turbofan-cmapss" is not a simulated equipment model'],
      [{ tenants: 'acme,' }, '--tenants: "" is not valid (expected a comma-separated list)'],
      [{ faults: '1e9' }, '--faults "1e9": expected bad messages per second, 0-1000'],
      [{ duration: '500ms' }, '--duration 500ms: expected 1s to 365d'],
      [{ 'mqtt-url': 'http://x' }, '--mqtt-url http://x: expected an mqtt://, mqtts://, ws:// or wss:// URL'],
      [{ 'mqtt-url': 'nope' }, '--mqtt-url "nope": expected a URL such as mqtt://127.0.0.1:1883'],
      [{ cycle: '1s' }, '--cycle applies only with --replay <file>'],
      [{ replay: 'f', models: 'pump-px50=1' }, '--models applies to the simulated fleet, not to --replay'],
      [{ replay: 'f', 'replay-model': 'toaster' }, '--replay-model toaster: no such equipment model'],
      [
        { replay: 'f', 'replay-model': 'pump-px50' },
        '--replay-model pump-px50: it has 3 metrics; a C-MAPSS cycle has 24 values',
      ],
      [
        { replay: 'f', cycle: '1s', speed: '10000' },
        '--cycle 1s at --speed 10000 is under a millisecond per cycle',
      ],
    ];
    for (const [raw, message] of cases) {
      const e = error(raw);
      expect(e, JSON.stringify(raw)).toContain(message);
      expect(e).not.toContain('\n');
    }
  });
});
