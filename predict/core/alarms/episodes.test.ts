import { describe, expect, it } from 'vitest';
import { countOutcome, rocAuc, scoreAlarms } from './episodes.ts';
import { chooseOptions } from './model.ts';

const H = 3_600_000;
const o = { horizonMs: 24 * H, minLeadMs: 2 * H, episodeGapMs: 24 * H };

describe('countOutcome', () => {
  it('groups alarms less than the gap apart into episodes and judges each by its start', () => {
    // Episode 1 starts 10 h before the failure at 100 h: true; episode 2 (200 h) is followed by nothing.
    const alarms = [90 * H, 91 * H, 95 * H, 200 * H, 210 * H];
    const r = countOutcome(alarms, [100 * H], o);
    expect(r).toMatchObject({ failures: 1, caught: 1, episodes: 2, falseEpisodes: 1 });
    expect(r.leadsMs).toEqual([10 * H]);
  });
  it('needs the minimum lead to catch a failure', () => {
    const r = countOutcome([99 * H], [100 * H], o);
    expect(r.caught).toBe(0);
    expect(r.falseEpisodes).toBe(0); // the episode was right, only too late
  });
  it('an episode starting more than a horizon ahead is false, yet later alarms in it may catch', () => {
    const r = countOutcome([60 * H, 70 * H, 80 * H], [100 * H], o);
    expect(r).toMatchObject({ episodes: 1, falseEpisodes: 1, caught: 1 });
    expect(r.leadsMs).toEqual([20 * H]);
  });
  it('alarms 24 h or more apart are separate episodes', () => {
    expect(countOutcome([0, 24 * H], [], o).episodes).toBe(2);
    expect(countOutcome([0, 23 * H], [], o).episodes).toBe(1);
  });
});

describe('scoreAlarms', () => {
  it('scores per mode and overall', () => {
    const s = scoreAlarms(
      [
        { asset: 'a', failureMode: 'm1', at: 90 * H },
        { asset: 'b', failureMode: 'm1', at: 90 * H },
        { asset: 'a', failureMode: 'm2', at: 10 * H },
      ],
      [
        { asset: 'a', failureMode: 'm1', at: 100 * H },
        { asset: 'a', failureMode: 'm2', at: 100 * H },
      ],
      2,
      o,
    );
    expect(s).toMatchObject({ failures: 2, caught: 1, recall: 0.5, episodes: 3, falseEpisodes: 2 });
    expect(s.falseEpisodesPerAssetYear).toBe(1);
    expect(s.episodePrecision).toBeCloseTo(0.333, 3);
    expect(s.byMode.m1).toMatchObject({ recall: 1, falseEpisodes: 1, episodePrecision: 0.5 });
    expect(s.byMode.m2).toMatchObject({ recall: 0, falseEpisodes: 1 });
    expect(s.rateWithheld).toBeNull();
  });

  it('withholds the false episodes per asset-year for too little asset-time or no failure', () => {
    const alarm = [{ asset: 'a', failureMode: 'm1', at: 10 * H }];
    const short = scoreAlarms(alarm, [{ asset: 'a', failureMode: 'm1', at: 20 * H }], 38 / 8766, o);
    expect(short.falseEpisodesPerAssetYear).toBeNull();
    expect(short.rateWithheld).toMatch(/too little data/);
    const none = scoreAlarms(alarm, [], 2, o);
    expect([none.falseEpisodes, none.falseEpisodesPerAssetYear]).toEqual([1, null]);
    expect(none.rateWithheld).toMatch(/no failure/);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0.5 for ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 0])).toBe(0.5);
  });
});

describe('chooseOptions', () => {
  it('picks per mode the options that catch most within the false-episode budget', () => {
    const modes = [
      [
        { caught: 0, falseEpisodes: 0 },
        { caught: 5, falseEpisodes: 1 },
        { caught: 6, falseEpisodes: 3 },
      ],
      [
        { caught: 0, falseEpisodes: 0 },
        { caught: 4, falseEpisodes: 2 },
      ],
    ];
    expect(chooseOptions(modes, 3)).toEqual([1, 1]);
    expect(chooseOptions(modes, 1)).toEqual([1, 0]);
    expect(chooseOptions(modes, 0)).toEqual([0, 0]);
  });
});
