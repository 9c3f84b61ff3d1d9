import { parseArgs } from 'node:util';
import { USAGE, commandUsage } from './usage';
import { CliRefusal, UsageError } from './cli-errors';
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

const COMMANDS: Record<string, (values: CliValues, args: string[], io: CommandIo) => Promise<number | undefined> | number> = {
  serve: (values, _args, io) => serveCommand(values, io),
  import: importCommand,
  export: exportCommand,
  keys: keysCommand,
  secrets: secretsCommand,
  users: (values, args, io) => usersCommand(values, args, io),
  clients: clientsCommand,
  'enrolment-tokens': enrolmentTokensCommand,
  'console-url': (values, _args, io) => consoleUrlCommand(values, io),
  'admin-key': adminKeyCommand,
};

/** Node's parser text (an unbalanced quote, advice about `--`) as one line naming the option. */
function parseProblem(err: unknown): string {
  const { code, message } = err as { code?: string; message: string };
  const option = /'(-[^' ,]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = Object.keys(OPTIONS).filter((o) => o.startsWith(option.replace(/^-+/, '')) || option.replace(/^-+/, '').startsWith(o));
    return `unknown option ${option}${near.length ? ` (did you mean ${near.map((o) => `--${o}`).join(' or ')}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `${option} takes no value`;
    if (message.includes('ambiguous')) return `${option} needs a value; write ${option}=VALUE for a value that begins with "-"`;
    return `${option} needs a value`;
  }
  return message.split('\n')[0] as string;
}

/** The command named in argv even when parsing failed: the first word that is a command. */
const commandIn = (argv: string[]) => argv.find((word) => Object.hasOwn(COMMANDS, word));

function usageProblem(io: CommandIo, problem: string, command: string | undefined): 2 {
  io.err(`${problem}\n\n${(command && commandUsage(command)) ?? 'offline-idp --help lists the commands\n'}`);
  return 2;
}

/** Runs one CLI command; resolves to an exit code, or undefined for `serve` (it runs until a signal). */
export async function runCli(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number | undefined> {
  let parsed;
  try {
    parsed = parseArgs({ args: protectKeyId(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return usageProblem(io, parseProblem(err), commandIn(argv));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== 'help' && !Object.hasOwn(COMMANDS, command)) return usageProblem(io, `unknown command "${command}"`, undefined);
  if (values.help || command === undefined || command === 'help') {
    io.out((command && command !== 'help' && commandUsage(command)) || USAGE);
    return 0;
  }
  try {
    return await (COMMANDS[command] as (typeof COMMANDS)[string])(values, rest, io);
  } catch (err) {
    if (err instanceof UsageError) return usageProblem(io, err.message, command);
    if (err instanceof CliRefusal) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
