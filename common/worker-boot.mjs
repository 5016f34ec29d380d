// Starts a worker thread written in TypeScript (predict's imports and trainings, the parts planner): registers
// tsx's loader in this thread (a worker does not inherit the parent's module hooks, under `tsx` or vitest alike),
// then loads `workerData.entry`.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
