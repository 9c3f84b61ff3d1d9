import { defaultDataDir } from '../../core';
import type { CliValues } from '../run-cli';

export function dataDirOf(values: CliValues): string {
  return values['data-dir'] ?? defaultDataDir();
}
