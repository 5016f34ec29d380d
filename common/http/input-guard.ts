// A global guard at the edge: a NUL character in the URL (path or query) or anywhere in a JSON body is answered
// 400 VALIDATION_NUL_CHARACTER before any route sees it (the login included); a lone UTF-16 surrogate in a JSON
// body (`"\ud800"`, not text) 400 VALIDATION_FAILED. A URL cannot carry one: its %-escapes are UTF-8 bytes.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { findLoneSurrogate, findNul, urlHasNul } from './nul-bytes.ts';

export function installInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (urlHasNul(req.url))
      throw new AppError(
        'VALIDATION_NUL_CHARACTER',
        'the URL holds a NUL character (%00), which no field accepts',
      );
  });
  app.addHook('preValidation', async (req) => {
    const at = req.body === undefined ? undefined : findNul(req.body);
    if (at !== undefined)
      throw new AppError('VALIDATION_NUL_CHARACTER', `the body holds a NUL character (\\u0000) at ${at}`);
    const lone = req.body === undefined ? undefined : findLoneSurrogate(req.body);
    if (lone !== undefined)
      throw new AppError(
        'VALIDATION_FAILED',
        `the body holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape) at ${lone}, which is not text`,
      );
  });
}
