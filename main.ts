// `npm start`: the whole platform in one process. Configuration: README "Configuration" (all optional).
import { configOrExit, onStopSignal } from './common/cli.ts';
import { isAppError } from './common/errors.ts';
import { createLogger } from './common/logger.ts';
import { startPlatform } from './platform.ts';

const config = configOrExit();

const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
try {
  const platform = await startPlatform(config, { log });
  if (config.demo) {
    log.info(
      `Dashboard: ${platform.url.replace('127.0.0.1', 'localhost')}  (demo accounts in README: dispatcher@preempt.demo / dispatcher-demo)`,
    );
    log.info(`Devices' MQTT broker: ${platform.mqttUrl.replace('127.0.0.1', 'localhost')}`);
  }
  onStopSignal(async (signal) => {
    log.info({ signal }, 'shutting down: flushing ingest, closing connections');
    await platform.close();
    process.exit(0);
  });
} catch (err) {
  if (isAppError(err)) {
    log.fatal({ code: err.code }, err.message);
    console.error(`preempt: ${err.message}`);
    process.exit(1);
  }
  log.fatal({ err }, 'start-up failed');
  process.exit(1);
}
