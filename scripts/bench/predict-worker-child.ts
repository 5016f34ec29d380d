// One predict worker process of `npm run bench:predict-workers`: joins the group under the bench's namespace,
// waits for the bench's go, replays the readings stream from its start, and prints its counters as JSON lines.
import { connect } from 'nats';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPredictWorker } from '../../predict/worker/start-worker.ts';

const [databaseUrl, natsUrl, namespace, id, partitions] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const log = createLogger({ level: 'warn' });
const nc = await connect({ servers: natsUrl });
const go = new Promise<void>((resolve) => {
  nc.subscribe(`bench${namespace}.go`, { max: 1, callback: () => resolve() });
});
await nc.flush();
const config = {
  ...loadConfig({}),
  natsUrl,
  predictPartitions: Number(partitions),
  predictWorkerId: id,
  predictRebuildHours: Number(process.env.PREDICT_REBUILD_HOURS ?? 0),
};
const running = await startPredictWorker(config, databaseUrl, log, { namespace, replayFrom: 1, gate: go });
const print = setInterval(() => {
  const span = running.worker.span;
  console.log(
    JSON.stringify({
      id,
      partitions: running.worker.partitions().length,
      readings: running.worker.readings,
      evaluations: running.service.evaluations,
      rebuilt: running.worker.rebuilt,
      takeSeconds: running.worker.takeMs / 1000,
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      busySeconds: span ? (span.lastAt - span.firstAt) / 1000 : 0,
      busyCpuSeconds: span ? span.lastCpu - span.firstCpu : 0,
    }),
  );
}, 250);
process.on('SIGTERM', () => {
  clearInterval(print);
  void running
    .stop()
    .then(() => nc.close())
    .finally(() => process.exit(0));
});
