import express, { type Express } from 'express';
import type { AdminDeps } from './admin-deps';
import { adminErrorHandler, notFound } from './admin-errors';
import { authenticate, hostCheck, loopbackOrigins } from './request-guards';
import { consoleFiles } from './console-files';
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

export interface AdminAppOptions extends Omit<AdminDeps, 'origins' | 'enrolments'> {
  adminPort: number;
  consoleDir: string;
}

/** CSV imports of a large fleet and configuration files are the biggest bodies. */
const BODY_LIMIT = '50mb';

/**
 * The admin listener's app: the JSON API under `/api` and the built console at `/`.
 * Order matters: Host check first (DNS rebinding), then the launch-token exchange, then
 * authentication (API key, or console cookie + Origin + CSRF for changes) for all the rest.
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
  api.use(express.json({ limit: BODY_LIMIT }));
  api.use(consoleSessionRoutes(deps));
  api.use(authenticate({ store: deps.context.store, clock: deps.context.clock, sessions: deps.consoleSessions, origins }));
  for (const routes of [consoleIdentityRoutes, overviewRoutes, clientRoutes, enrolmentRoutes, resourceRoutes, userRoutes, keyRoutes, sessionRoutes, auditRoutes, settingsRoutes, configurationRoutes]) {
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
