import { describe, expect, it } from 'vitest';
import { parseDevices, selectDevices, simulatorBroker, type DeviceCredentials } from './devices.ts';

const device = (assetId: string, tenant: string, equipment: string): DeviceCredentials => ({
  assetId,
  tenant,
  equipment,
  username: assetId,
  password: `pw-${assetId}`,
});

// as the demo seed orders them: tenants round-robin, then models
const all = [
  device('a-ch-1', 'acme', 'chiller-ch300'),
  device('g-ch-1', 'globex', 'chiller-ch300'),
  device('a-px-1', 'acme', 'pump-px50'),
  device('g-px-1', 'globex', 'pump-px50'),
  device('a-ch-2', 'acme', 'chiller-ch300'),
  device('g-ch-2', 'globex', 'chiller-ch300'),
  device('aero-tf-01', 'aero', 'turbofan-cmapss'),
];

describe('parseDevices', () => {
  it('reads the devices file the demo seed writes, keeping only the credentials', () => {
    const text = JSON.stringify([{ ...all[0], telemetryTopic: 't/acme/a/a-ch-1/telemetry' }]);
    expect(parseDevices(text, 'd.json')).toEqual([all[0]]);
  });

  it('says in one line what is wrong with the file', () => {
    expect(() => parseDevices('{', 'd.json')).toThrow('d.json is not JSON');
    expect(() => parseDevices('[]', 'd.json')).toThrow(/d\.json: expected a non-empty list/);
    expect(() => parseDevices(JSON.stringify([all[0], { assetId: 'x', tenant: 't' }]), 'd.json')).toThrow(
      'd.json: device #2 has no equipment, username, password',
    );
  });
});

describe('selectDevices', () => {
  it('takes the first N of the chosen equipment models, in the file order', () => {
    const ids = (sel: Parameters<typeof selectDevices>[1]) =>
      selectDevices(all, sel, 'd.json').map((d) => d.assetId);
    expect(ids({ equipment: ['chiller-ch300', 'pump-px50'], assets: 3 })).toEqual([
      'a-ch-1',
      'g-ch-1',
      'a-px-1',
    ]);
    expect(ids({ equipment: ['chiller-ch300', 'pump-px50'] })).toHaveLength(6);
    expect(ids({ tenants: ['globex'] })).toEqual(['g-ch-1', 'g-px-1', 'g-ch-2']);
    expect(ids({ perModel: { 'chiller-ch300': 1 } })).toEqual(['a-ch-1', 'g-ch-1']);
    expect(ids({ perModel: { 'chiller-ch300': 2, 'pump-px50': 1 }, tenants: ['acme'] })).toEqual([
      'a-ch-1',
      'a-px-1',
      'a-ch-2',
    ]);
  });

  it('explains what to do when the file has too few devices', () => {
    expect(() =>
      selectDevices(all, { equipment: ['chiller-ch300', 'pump-px50'], assets: 200 }, 'd.json'),
    ).toThrow(
      /^--assets 200: d\.json has only 6 devices of chiller-ch300, pump-px50 \(7 devices: 4 chiller-ch300, 2 pump-px50, 1 turbofan-cmapss\)\. .*start the platform with DEMO_ASSETS=200/,
    );
    expect(() => selectDevices(all, { perModel: { 'pump-px50': 2 } }, 'd.json')).toThrow(
      /--models pump-px50=2: tenant acme has only 1 devices of pump-px50/,
    );
    expect(() => selectDevices(all, { equipment: ['imaging-ct9'] }, 'd.json')).toThrow(
      /d\.json has no devices of imaging-ct9/,
    );
  });
});

describe('simulatorBroker: the broker a simulator run talks to', () => {
  const base = { mqttUrl: undefined, mqttPort: 1883, portGiven: false, announced: undefined };

  it("is the demo platform's own when neither MQTT_URL nor MQTT_PORT is given", () => {
    // the README's MQTT_PORT=1884 npm start, then npm run simulate -- --replay …: it went to 1883, another broker
    expect(simulatorBroker({ ...base, announced: 'mqtt://127.0.0.1:1884\n' })).toEqual({
      url: 'mqtt://127.0.0.1:1884',
      from: 'platform',
    });
    expect(simulatorBroker(base)).toEqual({ url: 'mqtt://127.0.0.1:1883', from: 'default' });
    expect(simulatorBroker({ ...base, announced: 'garbage' })).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      from: 'default',
    });
  });

  it('is what the user names, before anything announced', () => {
    const announced = 'mqtt://127.0.0.1:1884';
    expect(simulatorBroker({ ...base, announced, mqttUrl: 'mqtts://broker:8883' })).toEqual({
      url: 'mqtts://broker:8883',
      from: 'MQTT_URL',
    });
    expect(simulatorBroker({ ...base, announced, mqttPort: 1990, portGiven: true })).toEqual({
      url: 'mqtt://127.0.0.1:1990',
      from: 'MQTT_PORT',
    });
  });
});
