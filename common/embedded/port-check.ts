// Start-up checks that the ports the platform will listen on are free, before anything is started, so a taken
// port stops `npm start` at once with a clear line instead of after the database and the demo world are up.
import net from 'node:net';
import { AppError } from '../errors.ts';

export function portInUse(port: number, host = '0.0.0.0'): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/**
 * The port the embedded MQTT broker listens on. MQTT_PORT when it was set (taken: STARTUP_PORT_IN_USE). Left at its
 * default, the conventional 1883, and a broker the machine already runs holds it (a local Mosquitto), the next free
 * port of the 16 after it, else one the system picks: `npm start` runs beside it instead of refusing to start.
 */
export async function embeddedMqttPort(
  o: { port: number; given: boolean },
  inUse: (port: number) => Promise<boolean> = portInUse,
): Promise<{ port: number; moved: boolean }> {
  if (!(await inUse(o.port))) return { port: o.port, moved: false };
  if (o.given) throw mqttPortInUse(o.port);
  for (let p = o.port + 1; p <= Math.min(65535, o.port + 16); p++)
    if (!(await inUse(p))) return { port: p, moved: true };
  return { port: 0, moved: true };
}

export const mqttPortInUse = (port: number) =>
  new AppError(
    'STARTUP_PORT_IN_USE',
    `MQTT port ${port} is already in use (another broker?). Set MQTT_URL to use that broker (e.g. MQTT_URL=mqtt://127.0.0.1:${port}), or MQTT_PORT to another port for the embedded one.`,
  );

export const httpPortInUse = (port: number) =>
  new AppError('STARTUP_PORT_IN_USE', `HTTP port ${port} is already in use. Set PORT to another port.`);
