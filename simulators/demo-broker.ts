// DATA_DIR/demo-broker-url: the broker a demo platform of this DATA_DIR runs, for `npm run simulate`, whose
// devices (DATA_DIR/demo-devices.json) are that platform's: which broker a run uses is simulatorBroker's choice
// (core/devices.ts).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const brokerFile = (dataDir: string) => path.join(dataDir, 'demo-broker-url');

/** Announces the platform's broker (without credentials) until `forget` (the platform's shutdown). */
export function announceDemoBroker(dataDir: string, url: string): { forget: () => void } {
  writeFileSync(brokerFile(dataDir), `${url.replace(/\/\/[^@/]*@/, '//')}\n`);
  return { forget: () => rmSync(brokerFile(dataDir), { force: true }) };
}

export function announcedDemoBroker(dataDir: string): string | undefined {
  return existsSync(brokerFile(dataDir)) ? readFileSync(brokerFile(dataDir), 'utf8').trim() : undefined;
}
