import { createLogger, startIdp } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

export const DEFAULT_PORT = 4800;

/**
 * Runs the IdP. Ready when discovery answers: the "ready" log line is written only after the
 * listener is open and keys are loaded. SIGINT/SIGTERM stop accepting, let requests in flight
 * finish, flush counters, close the database, and exit 0.
 */
export async function serveCommand(values: CliValues, io: CommandIo): Promise<number | undefined> {
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err('--port must be a whole number from 0 to 65535\n');
    return 2;
  }
  const logger = createLogger({ write: (line) => io.out(line + '\n') });
  const dataDir = dataDirOf(values);
  const idp = await startIdp({ dataDir, host: values.host, port, issuer: values.issuer, seedFile: values.seed, logger });
  if (idp.seedSummary) {
    const { warnings, ...counts } = idp.seedSummary;
    logger.info('seed imported', counts);
    for (const w of warnings) logger.warn('seed', { warning: w });
  }
  logger.info('ready', { issuer: idp.issuer, protocolUrl: idp.protocolUrl, discovery: idp.context.endpoints.discovery, dataDir });

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
