import type { FieldError } from '../core/domain';
import type { CommandIo } from './run-cli';

/** A refusal's header ("FILE: nothing was imported; fix these fields:") and one line per bad field. */
export function printFieldErrors(io: CommandIo, header: string, errors: readonly FieldError[], unnamed: string): 1 {
  io.err(`${header}\n${errors.map((e) => `  ${e.path || unnamed}: ${e.message}`).join('\n')}\n`);
  return 1;
}
