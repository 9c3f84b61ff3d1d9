import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliRefusal } from './cli-errors';

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** A relative path is read from the current folder, which `npm run cli` moves to the checkout: say which. */
const where = (file: string) => (resolve(file) === file ? '' : ` (looked for ${resolve(file)})`);

/** Reads a file the operator named; `what` says what it should hold ("the CSV of devices"). */
export function readOperatorFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    switch (codeOf(err)) {
      case 'ENOENT':
        throw new CliRefusal(`${file}: no such file${where(file)}; give the path of ${what}`);
      case 'EACCES':
      case 'EPERM':
        throw new CliRefusal(`${file}: this user may not read it; give ${what} read permission or copy it somewhere readable`);
      case 'EISDIR':
        throw new CliRefusal(`${file} is a folder; give the path of ${what} inside it`);
      default:
        throw new CliRefusal(`${file}: cannot read ${what}: ${(err as Error).message}`);
    }
  }
}

/** Reads and parses a JSON file the operator named. */
export function readOperatorJson(file: string, what: string): unknown {
  const text = readOperatorFile(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliRefusal(`${file}: is not JSON (${(err as Error).message}); give the path of ${what}`);
  }
}

/** Writes a file the operator named (mode 0600: it may be sensitive). */
export function writeOperatorFile(file: string, text: string): void {
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch (err) {
    const folder = dirname(resolve(file));
    switch (codeOf(err)) {
      case 'ENOENT':
        throw new CliRefusal(`${file}: the folder ${folder} does not exist; create it or choose another path`);
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        throw new CliRefusal(`${file}: this user cannot write there; choose a path in a folder you can write`);
      case 'EISDIR':
        throw new CliRefusal(`${file} is a folder; give a file name, e.g. ${file.replace(/\/*$/, '')}/configuration.json`);
      default:
        throw new CliRefusal(`${file}: cannot write it: ${(err as Error).message}`);
    }
  }
}
