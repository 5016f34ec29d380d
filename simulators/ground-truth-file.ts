// Writes the ground truth (core/ground-truth.ts) to its file: whole, via a temporary file and a rename, so a
// backtest reading it while the simulator runs never sees half of it.
import { renameSync, writeFileSync } from 'node:fs';
import type { GroundTruthFile } from './core/ground-truth.ts';

export function writeGroundTruth(file: string, doc: GroundTruthFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc, null, 1) + '\n');
  renameSync(tmp, file);
}
