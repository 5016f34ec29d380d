import { describe, expect, it } from 'vitest';
import { paramTemplate } from './param-templates.ts';
import { checkParams, metricsOf, MODEL_KINDS } from './params.ts';

describe('starting parameters per model kind', () => {
  it.each(MODEL_KINDS)('%s: the template is valid for its kind and reads the metric given', (kind) => {
    const params = paramTemplate(kind, 'vibration_rms');
    expect(checkParams(kind, params)).toEqual({ ok: true });
    expect(metricsOf(kind, params)).toEqual(['vibration_rms']);
  });
});
