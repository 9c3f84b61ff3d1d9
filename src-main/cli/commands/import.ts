import { ValidationError } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { openOperations } from '../operations/operations';
import { UsageError } from '../cli-errors';
import { readOperatorJson } from '../operator-files';
import { printFieldErrors } from '../field-errors';

/** Imports a configuration file in one transaction; on any error nothing changes and the exit code is 1. */
export async function importCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [file] = args;
  if (file === undefined) throw new UsageError('import needs the FILE to import');
  const document = readOperatorJson(file, 'a configuration file (JSON) to import');
  const ops = await openOperations(dataDirOf(values), io.err);
  try {
    const summary = await ops.run('configuration.import', { document });
    for (const w of summary.warnings) io.err(`warning: ${w}\n`);
    io.out(
      `imported ${summary.clients} clients, ${summary.apiScopes} API scopes, ${summary.apiResources} API resources, ` +
        `${summary.identityResources} identity resources, ${summary.users} users${summary.settings ? ', settings' : ''}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return printFieldErrors(io, `${file}: nothing was imported; fix these fields:`, err.errors, '(document)');
  } finally {
    ops.close();
  }
}
