import { exportConfiguration, openDataDir, silentLogger } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { writeOperatorFile } from '../operator-files';

/** Writes the configuration as JSON; it never holds a secret, password hash or private key. */
export function exportCommand(values: CliValues, args: string[], io: CommandIo): number {
  const { store } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    const text = JSON.stringify(exportConfiguration(store), null, 2) + '\n';
    const [file] = args;
    if (file === undefined) io.out(text);
    else writeOperatorFile(file, text);
    return 0;
  } finally {
    store.close();
  }
}
