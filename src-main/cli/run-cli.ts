import { parseArgs } from 'node:util';
import { USAGE } from './usage';
import { serveCommand } from './commands/serve';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { keysCommand } from './commands/keys';
import { secretsCommand } from './commands/secrets';
import { usersCommand } from './commands/users';
import { clientsCommand } from './commands/clients';
import { enrolmentTokensCommand } from './commands/enrolment-tokens';
import { consoleUrlCommand } from './commands/console-url';
import { adminKeyCommand } from './commands/admin-key';

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  issuer: { type: 'string' },
  seed: { type: 'string' },
  'new-site': { type: 'boolean' },
  now: { type: 'boolean' },
  expires: { type: 'string' },
  description: { type: 'string' },
  'subject-id': { type: 'string' },
  claims: { type: 'string' },
  template: { type: 'string' },
  name: { type: 'string' },
  scopes: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  group: { type: 'string' },
  tags: { type: 'string' },
  search: { type: 'string' },
  tag: { type: 'string' },
  enabled: { type: 'boolean' },
  disabled: { type: 'boolean' },
  'stale-days': { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  'key-file': { type: 'string' },
  pattern: { type: 'string' },
  'max-uses': { type: 'string' },
  out: { type: 'string' },
  at: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * A key id is a base64url thumbprint and may begin with "-", which an option parser would take
 * for an option: the word after `keys revoke` is always the key id, so it is moved behind `--`.
 */
function protectKeyId(argv: string[]): string[] {
  const [command, action, kid, ...rest] = argv;
  const isOption = kid !== undefined && (kid === '-h' || Object.keys(OPTIONS).some((o) => kid === `--${o}` || kid.startsWith(`--${o}=`)));
  if (command !== 'keys' || action !== 'revoke' || kid === undefined || isOption) return argv;
  return [command, action, ...rest, '--', kid];
}

/** Runs one CLI command; resolves to an exit code, or undefined for `serve` (it runs until a signal). */
export async function runCli(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number | undefined> {
  let parsed;
  try {
    parsed = parseArgs({ args: protectKeyId(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  switch (command) {
    case 'serve':
      return serveCommand(values, io);
    case 'import':
      return importCommand(values, rest, io);
    case 'export':
      return exportCommand(values, rest, io);
    case 'keys':
      return keysCommand(values, rest, io);
    case 'secrets':
      return secretsCommand(values, rest, io);
    case 'users':
      return usersCommand(values, rest, io);
    case 'clients':
      return clientsCommand(values, rest, io);
    case 'enrolment-tokens':
      return enrolmentTokensCommand(values, rest, io);
    case 'console-url':
      return consoleUrlCommand(values, io);
    case 'admin-key':
      return adminKeyCommand(values, rest, io);
    default:
      io.err(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
