// Ground truth: when each failure the simulator injects (or replays) really starts and happens. Written to a
// JSON file (DATA_DIR/ground-truth.json by default) so backtests and end-to-end checks can score predictions.

export interface GroundTruth {
  assetId: string;
  /** Equipment model and failure mode (keys of core/catalog.ts). */
  equipment: string;
  failureMode: string;
  /** Gradual wear with a randomised onset and rate, a sudden failure with little warning, or a replayed unit. */
  kind: 'degradation' | 'sudden' | 'replay';
  /**
   * Platform time (the real clock, not a device's skewed one), ISO-8601: when the failure starts developing
   * (replay: the unit's first cycle, as the data set does not say) and when the asset stops.
   */
  onsetAt: string;
  failAt: string;
  /** The error code the asset raised over the last part of the failure's development (none: no precursor). */
  precursorCode?: string;
  /** Replay only: the C-MAPSS unit and the cycle it fails at (its last). */
  unit?: number;
  failCycle?: number;
}

export interface GroundTruthFile {
  source: 'fleet' | 'replay';
  seed: number;
  /** Simulated time runs `speed` times faster than the clock (wear, daily and load cycles); 1 for replay. */
  speed: number;
  startedAt: string;
  /** Set when the run ended: failures after it did not happen. */
  endedAt?: string;
  failures: GroundTruth[];
}
