import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

/**
 * Where the built console is: beside the bundled main code (`out/main` → `out/renderer`) or,
 * when run from source (`npm run serve`, tests), in the project's `out/renderer`.
 */
export function findConsoleDir(): string {
  const here = import.meta.dirname;
  const candidates = [resolve(here, '../renderer'), resolve(here, '../../../out/renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[1] as string);
}

/** The same policy as the protocol pages, plus `connect-src 'self'` for the API. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Serves the console: hashed assets cached for good, index.html never cached. */
export function consoleFiles(dir: string): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      setHeaders: (res, path) => res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable'),
    }),
  );
  router.get('/', (_req, res) => {
    res.status(503).type('text/plain').send(`The console is not built: run \`npm run build\` (looked in ${dir}).`);
  });
  return router;
}
