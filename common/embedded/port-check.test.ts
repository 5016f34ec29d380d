import { describe, expect, it } from 'vitest';
import { embeddedMqttPort } from './port-check.ts';

const taken =
  (...ports: number[]) =>
  (p: number) =>
    Promise.resolve(ports.includes(p));

describe('embeddedMqttPort', () => {
  it('keeps a free port, given or default', async () => {
    expect(await embeddedMqttPort({ port: 1883, given: false }, taken())).toEqual({
      port: 1883,
      moved: false,
    });
    expect(await embeddedMqttPort({ port: 1883, given: true }, taken(1884))).toEqual({
      port: 1883,
      moved: false,
    });
  });

  it('moves the default port past a broker the machine runs, to the next free one', async () => {
    expect(await embeddedMqttPort({ port: 1883, given: false }, taken(1883))).toEqual({
      port: 1884,
      moved: true,
    });
    expect(await embeddedMqttPort({ port: 1883, given: false }, taken(1883, 1884, 1885))).toEqual({
      port: 1886,
      moved: true,
    });
  });

  it('lets the system pick when the 16 ports after the default are all taken', async () => {
    const all = Array.from({ length: 17 }, (_, i) => 1883 + i);
    expect(await embeddedMqttPort({ port: 1883, given: false }, taken(...all))).toEqual({
      port: 0,
      moved: true,
    });
    expect(await embeddedMqttPort({ port: 65535, given: false }, taken(65535))).toEqual({
      port: 0,
      moved: true,
    });
  });

  it('refuses a taken port that MQTT_PORT set, naming what to set', async () => {
    await expect(embeddedMqttPort({ port: 1884, given: true }, taken(1884))).rejects.toMatchObject({
      code: 'STARTUP_PORT_IN_USE',
      message: expect.stringContaining('MQTT port 1884 is already in use'),
    });
  });
});
