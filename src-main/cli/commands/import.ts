import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { openOperations } from '../operations/operations';

/** Imports a configuration file in one transaction; on any error nothing changes and the exit code is 1. */
export async function importCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [file] = args;
  if (file === undefined) {
    io.err('usage: import FILE\n');
    return 2;
  }
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    io.err(`${file}: cannot read a JSON document: ${(err as Error).message}\n`);
    return 1;
  }
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
    io.err(`${file}: nothing was imported; fix these fields:\n`);
    for (const e of err.errors) io.err(`  ${e.path || '(document)'}: ${e.message}\n`);
    return 1;
  } finally {
    ops.close();
  }
}
