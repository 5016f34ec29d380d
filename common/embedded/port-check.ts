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

export const mqttPortInUse = (port: number) =>
  new AppError(
    'STARTUP_PORT_IN_USE',
    `MQTT port ${port} is already in use (another broker?). Set MQTT_URL to use that broker (e.g. MQTT_URL=mqtt://127.0.0.1:${port}), or MQTT_PORT to another port for the embedded one.`,
  );

export const httpPortInUse = (port: number) =>
  new AppError('STARTUP_PORT_IN_USE', `HTTP port ${port} is already in use. Set PORT to another port.`);
