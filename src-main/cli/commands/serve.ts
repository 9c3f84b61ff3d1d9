import { DataDirError, createLogger, readListenerSettings, startIdp, type RunningIdp } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

export const DEFAULT_PORT = 4800;
export const DEFAULT_ADMIN_PORT = 4801;

function portOption(value: string | undefined, fallback: number, name: string, io: CommandIo): number | undefined {
  const port = value === undefined ? fallback : Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  io.err(`--${name} must be a whole number from 0 to 65535\n`);
  return undefined;
}

/** One line: the cause, and what to do where the cause is a port. */
function startFailure(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, '; ');
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'EADDRINUSE') return `${message}: another program (another serve?) listens there; stop it, or choose --port / --admin-port`;
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') return `${message}: choose a port above 1023 and an address of this machine (--host, --port)`;
  return message;
}

/**
 * Runs the IdP. Ready when discovery answers: the "ready" log line is written only after the
 * listeners are open and keys are loaded; then the single-use console URL is printed.
 * SIGINT/SIGTERM stop accepting, let requests in flight finish, flush counters, close the
 * database, and exit 0. A start that fails (a refused data folder, a port in use, a full disk)
 * prints one line saying why and what to do on stderr and exits 1. Host, port and issuer come
 * from the flags, else from the listener settings saved in the console, else the defaults.
 * `--new-site` makes a new site beside a key-encryption key left without its database.
 */
export async function serveCommand(values: CliValues, io: CommandIo): Promise<number | undefined> {
  const dataDir = dataDirOf(values);
  const logger = createLogger({ write: (line) => io.out(line + '\n') });
  let idp: RunningIdp;
  try {
    const saved = readListenerSettings(dataDir);
    const port = portOption(values.port, saved?.port ?? DEFAULT_PORT, 'port', io);
    const adminPort = portOption(values['admin-port'], DEFAULT_ADMIN_PORT, 'admin-port', io);
    if (port === undefined || adminPort === undefined) return 2;
    idp = await startIdp({
      dataDir,
      newSite: values['new-site'],
      host: values.host ?? saved?.host,
      port,
      adminPort,
      issuer: values.issuer ?? (values.host === undefined && values.port === undefined ? saved?.issuer : undefined),
      seedFile: values.seed,
      logger,
      onListenerSettingsChanged: () => logger.warn('listener settings saved: restart `serve` to apply them'),
    });
  } catch (err) {
    // startIdp closed whatever it had opened: returning lets the process exit, so a supervisor sees the failure.
    if (!(err instanceof DataDirError)) logger.error('start failed', { error: err });
    io.err(`cannot start: ${startFailure(err)}\n`);
    return 1;
  }
  if (idp.seedSummary) {
    const { warnings, ...counts } = idp.seedSummary;
    logger.info('seed imported', counts);
    for (const w of warnings) logger.warn('seed', { warning: w });
  }
  logger.info('ready', { issuer: idp.issuer, protocolUrl: idp.protocolUrl, discovery: idp.context.endpoints.discovery, adminUrl: idp.adminUrl, dataDir });
  const consoleUrl = idp.createLaunchUrl();
  logger.info('console', { url: consoleUrl, note: 'open it in a browser on this machine; it works once, for 10 minutes; `npm run cli -- console-url` prints a new one' });
  io.err(`\n  Console: ${consoleUrl}\n\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger.info('stopping', { signal });
      idp.close().then(resolve, (err: unknown) => {
        logger.error('error while stopping', { error: err });
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  logger.info('stopped');
  return 0;
}
