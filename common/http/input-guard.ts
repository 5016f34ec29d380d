// A global guard at the edge: a NUL character in the URL (path or query) or anywhere in a JSON body is answered
// 400 VALIDATION_NUL_CHARACTER before any route sees it (the login included).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { findNul, urlHasNul } from './nul-bytes.ts';

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
  });
}
