import { describe, expect, it } from 'vitest';
import { WorkerRoster, parseHeartbeat } from './worker-roster.ts';

const hb = (worker: string, status: 'up' | 'degraded' | 'down' | 'gone' = 'up') => ({
  worker,
  at: 0,
  everyMs: 1_000,
  status,
  backlog: { records: 3, bytes: 300 },
});

describe('worker roster', () => {
  it('is degraded with no worker heard', () => {
    expect(new WorkerRoster().report(0)).toEqual({ status: 'degraded', alive: 0, workers: {} });
  });

  it('lists live workers with their backlog; up while every live one is up', () => {
    const r = new WorkerRoster();
    r.heard(hb('w1'), 0);
    r.heard(hb('w2'), 500);
    const rep = r.report(1_000);
    expect(rep.status).toBe('up');
    expect(rep.alive).toBe(2);
    expect(rep.workers.w1).toEqual({ status: 'up', lastSeenMs: 1_000, backlog: { records: 3, bytes: 300 } });
  });

  it('counts a worker silent after three missed heartbeats, and degraded when none is left', () => {
    const r = new WorkerRoster();
    r.heard(hb('w1'), 0);
    expect(r.report(3_000).status).toBe('up');
    const rep = r.report(3_001);
    expect(rep).toMatchObject({ status: 'degraded', alive: 0, workers: { w1: { status: 'silent' } } });
  });

  it('takes a last will (gone) at once, and is degraded while a live worker is degraded', () => {
    const r = new WorkerRoster();
    r.heard(hb('w1'), 0);
    r.heard(hb('w2', 'degraded'), 0);
    expect(r.report(10).status).toBe('degraded');
    r.heard(hb('w2', 'up'), 20);
    r.heard(hb('w1', 'gone'), 30);
    const rep = r.report(40);
    expect(rep).toMatchObject({ status: 'up', alive: 1, workers: { w1: { status: 'gone' } } });
    expect(r.aliveCount(40)).toBe(1);
  });

  it('forgets a worker gone for ten minutes', () => {
    const r = new WorkerRoster();
    r.heard(hb('w1'), 0);
    expect(Object.keys(r.report(10 * 60_000 + 1).workers)).toEqual([]);
  });

  it('parses heartbeats and refuses anything else', () => {
    expect(parseHeartbeat(JSON.stringify(hb('w1')))?.worker).toBe('w1');
    expect(parseHeartbeat('nope')).toBeUndefined();
    expect(parseHeartbeat(JSON.stringify({ ...hb('w1'), status: 'weird' }))).toBeUndefined();
    expect(parseHeartbeat(JSON.stringify({ ...hb('w1'), everyMs: 0 }))).toBeUndefined();
    expect(parseHeartbeat('null')).toBeUndefined();
  });
});
