import { DataDirError, ValidationError, createLogger, readListenerSettings, startIdp, type RunningIdp } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { wholeNumberOption } from '../whole-number-option';
import { readOperatorJson } from '../operator-files';
import { printFieldErrors } from '../field-errors';

export const DEFAULT_PORT = 4800;
export const DEFAULT_ADMIN_PORT = 4801;

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
  const port = wholeNumberOption(values.port, 'port', 0, 65535);
  const adminPort = wholeNumberOption(values['admin-port'], 'admin-port', 0, 65535) ?? DEFAULT_ADMIN_PORT;
  // A missing or unparsable seed is named before anything starts (the import itself checks the fields).
  if (values.seed !== undefined) readOperatorJson(values.seed, 'a configuration file (JSON) to import');
  const logger = createLogger({ write: (line) => io.out(line + '\n') });
  // Listen for SIGINT/SIGTERM before anything starts: a process with no listener dies of the
  // signal at once (the kernel's default action), so a supervisor's SIGTERM sent just after the
  // "ready" line would otherwise cut the stop short. A signal during the start is kept and
  // acted on once the start has finished.
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    stopListening();
    signalled(signal);
  };
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let idp: RunningIdp;
  try {
    const saved = readListenerSettings(dataDir);
    idp = await startIdp({
      dataDir,
      newSite: values['new-site'],
      host: values.host ?? saved?.host,
      port: port ?? saved?.port ?? DEFAULT_PORT,
      adminPort,
      issuer: values.issuer ?? (values.host === undefined && values.port === undefined ? saved?.issuer : undefined),
      seedFile: values.seed,
      logger,
      onListenerSettingsChanged: () => logger.warn('listener settings saved: restart `serve` to apply them'),
    });
  } catch (err) {
    stopListening();
    // startIdp closed whatever it had opened: returning lets the process exit, so a supervisor sees the failure.
    if (err instanceof ValidationError && values.seed !== undefined) {
      return printFieldErrors(io, `cannot start: ${values.seed}: nothing was imported; fix these fields:`, err.errors, '(document)');
    }
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

  const signal = await stopRequested;
  logger.info('stopping', { signal });
  await idp.close().catch((err: unknown) => logger.error('error while stopping', { error: err }));
  logger.info('stopped');
  return 0;
}
