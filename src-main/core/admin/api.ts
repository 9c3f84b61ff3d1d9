import express, { type Express } from 'express';
import type { AdminDeps } from './admin-deps';
import { adminErrorHandler, notFound } from './admin-errors';
import { authenticate, hostCheck, loopbackOrigins } from './request-guards';
import { consoleFiles } from './console-files';
import { jsonBody } from './json-body';
import { EnrolmentJobs } from './enrolment-jobs';
import { consoleIdentityRoutes, consoleSessionRoutes } from './routes/console-session';
import { overviewRoutes } from './routes/overview';
import { clientRoutes } from './routes/clients';
import { enrolmentRoutes } from './routes/enrolments';
import { resourceRoutes } from './routes/resources';
import { userRoutes } from './routes/users';
import { keyRoutes } from './routes/keys';
import { sessionRoutes } from './routes/sessions';
import { auditRoutes } from './routes/audit';
import { settingsRoutes } from './routes/settings';
import { configurationRoutes } from './routes/configuration';
import { operationRoutes } from './routes/operations';

export interface AdminAppOptions extends Omit<AdminDeps, 'origins' | 'enrolments'> {
  adminPort: number;
  consoleDir: string;
}

const MB = 1_048_576;
/** Any JSON body of the API: a client with all its settings is a few kB. */
export const JSON_BODY_LIMIT = 1 * MB;
/**
 * Bulk enrolment by CSV (`POST /api/enrolments`, the CSV inside the JSON body). Measured for
 * 100,000 rows (the batch maximum) of id, name, group and tags: 6 MB; with an EC P-256 public
 * key (PEM) on every row: 24 MB; with a JWK: 23 MB. RSA-2048 keys (51 MB for 100,000) fit
 * about 60,000 rows a batch.
 */
export const CSV_BODY_LIMIT = 32 * MB;
/** A site's configuration document (`POST /api/configuration`): 100,000 exported devices are about 21 MB. */
export const CONFIGURATION_BODY_LIMIT = 64 * MB;
/** A batch the CLI prepared (`clients enrol` beside a running server), up to 100,000 clients with their settings. */
export const CLIENT_BATCH_BODY_LIMIT = 128 * MB;
/**
 * Bodies the routes hand, unparsed, to the batch writer thread (`batch-writer.ts`), which
 * parses them: parsing a 150,000-client document on the event loop stalls it 0.15 s.
 */
const BATCH_BODIES: ReadonlySet<string> = new Set(['/configuration', '/operations/configuration.import', '/operations/clients.commit']);
const LARGE_BODIES: ReadonlyMap<string, number> = new Map([
  ['/enrolments', CSV_BODY_LIMIT],
  ['/configuration', CONFIGURATION_BODY_LIMIT],
  ['/operations/configuration.import', CONFIGURATION_BODY_LIMIT],
  ['/operations/clients.commit', CLIENT_BATCH_BODY_LIMIT],
]);

/**
 * The admin listener's app: the JSON API under `/api` and the built console at `/`.
 * Order matters: Host check first (DNS rebinding), then the launch-token exchange, then
 * authentication (API key, or console cookie + Origin + CSRF for changes) for all the rest,
 * and only then the body: a refused request never has a byte of its body buffered.
 */
export function createAdminApp(options: AdminAppOptions): Express {
  const { hosts, origins } = loopbackOrigins(options.adminPort);
  const deps: AdminDeps = { ...options, origins, enrolments: new EnrolmentJobs(options.context.clock, options.context.logger) };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(hostCheck(hosts));

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  api.use(consoleSessionRoutes(deps));
  api.use(authenticate({ store: deps.context.store, clock: deps.context.clock, sessions: deps.consoleSessions, origins, localCredential: deps.localCredential }));
  api.use(
    jsonBody(
      (req) => (req.method === 'POST' && LARGE_BODIES.get(req.path)) || JSON_BODY_LIMIT,
      (req) => req.method === 'POST' && BATCH_BODIES.has(req.path),
    ),
  );
  for (const routes of [consoleIdentityRoutes, overviewRoutes, clientRoutes, enrolmentRoutes, resourceRoutes, userRoutes, keyRoutes, sessionRoutes, auditRoutes, settingsRoutes, configurationRoutes, operationRoutes]) {
    api.use(routes(deps));
  }
  api.use(() => {
    throw notFound('this API route');
  });
  api.use(adminErrorHandler(deps.context.logger));
  app.use('/api', api);
  app.use(consoleFiles(options.consoleDir));
  return app;
}
