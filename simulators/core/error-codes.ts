// The equipment's error codes in the simulated fleet (sent on `t/{tenant}/a/{asset}/events`): most gradual failures
// announce themselves with their failure mode's code over the last part of their development; sudden ones do not;
// and every running machine now and then raises a code that precedes nothing (a sensor glitch, a stray alarm).
// Drawn from a random stream of their own, so the readings and failures of a seed stay what they were.

export interface SimCode {
  assetId: string;
  /** Device time, epoch milliseconds (as readings). */
  ts: number;
  code: string;
  severity: 'warning' | 'error';
}

export interface CodeOptions {
  /** Share of gradual failures that raise their code before they happen. */
  precursorShare: number;
  /** From this fraction of the development on (0..1), the code is raised… */
  precursorFrom: number;
  /** …this many times per simulated hour (Poisson). */
  precursorPerHour: number;
  /** Codes that precede nothing, per running asset per simulated day (Poisson). */
  spuriousPerDay: number;
}

export const CODE_DEFAULTS: CodeOptions = {
  precursorShare: 0.7,
  precursorFrom: 0.6,
  precursorPerHour: 1 / 3,
  spuriousPerDay: 1 / 20,
};

/** A failure mode's error code: `bearing` → `E-BEARING`, `compressor-bearing` → `E-COMPRESSOR_BEARING`. */
export const codeOf = (modeKey: string): string => `E-${modeKey.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

/** The code of no failure: a stray warning any machine may raise. */
export const STRAY_CODE = 'W-SENSOR';

/** Probability of at least one event of a Poisson process of `rate` per unit over `dt` units. */
export const atLeastOne = (rate: number, dt: number): number => 1 - Math.exp(-rate * Math.max(0, dt));

/**
 * The codes one running asset raises over a step of `dtHours` simulated hours: its failure's code (when it has a
 * precursor and is far enough along, `progress` 0..1) and a stray one. `modes`: its equipment's failure modes.
 */
export function codesForStep(
  o: CodeOptions,
  rand: () => number,
  step: {
    dtHours: number;
    failure?: { mode: string; precursor: boolean; progress: number };
    modes: string[];
  },
): { code: string; severity: SimCode['severity'] }[] {
  const out: { code: string; severity: SimCode['severity'] }[] = [];
  const f = step.failure;
  if (f?.precursor && f.progress >= o.precursorFrom && rand() < atLeastOne(o.precursorPerHour, step.dtHours))
    out.push({ code: codeOf(f.mode), severity: 'error' });
  if (rand() < atLeastOne(o.spuriousPerDay, step.dtHours / 24)) {
    // a stray code: half the time one of the machine's failure codes (bait for a model), else a sensor warning
    const k = Math.floor(rand() * 2 * step.modes.length);
    out.push({ code: k < step.modes.length ? codeOf(step.modes[k]!) : STRAY_CODE, severity: 'warning' });
  }
  return out;
}
