import type { CliValues, CommandIo } from '../run-cli';
import { withOperations } from './with-store';
import { CliRefusal, UsageError } from '../cli-errors';
import { isTerminal, promptHidden, type TerminalInput } from '../hidden-prompt';

/** The password from a pipe: the first line of standard input. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * The password never comes from the command line or its history. On a terminal it is asked
 * for, unechoed, twice: a typo nobody sees would otherwise lock the account's owner out.
 * Otherwise (a script's pipe) it is the first line of standard input.
 */
async function newPassword(username: string, stdin: TerminalInput, io: CommandIo): Promise<string> {
  if (!isTerminal(stdin)) return readPassword(stdin);
  const first = await promptHidden(`password for ${username}: `, stdin, io.err);
  const again = await promptHidden('the same password again: ', stdin, io.err);
  if (first !== again) throw new CliRefusal('the two passwords differ: nothing was changed; try again');
  return first;
}

/**
 * `users add USERNAME [--subject-id ID] [--claims JSON]`, `users passwd USERNAME`,
 * `users disable|enable|unlock USERNAME`, `users revoke-consent USERNAME CLIENT_ID`.
 */
export async function usersCommand(values: CliValues, args: string[], io: CommandIo, stdin: TerminalInput = process.stdin): Promise<number> {
  const [action, username, clientId] = args;
  if (!action) throw new UsageError('users needs a subcommand');
  if (!['add', 'passwd', 'disable', 'enable', 'unlock', 'revoke-consent'].includes(action)) throw new UsageError(`unknown users subcommand "${action}"`);
  if (!username) throw new UsageError(`users ${action} needs a USERNAME`);
  if (action === 'revoke-consent' && !clientId) throw new UsageError('users revoke-consent needs a USERNAME and a CLIENT_ID');
  let claims: Record<string, unknown> | undefined;
  if (values.claims !== undefined) {
    try {
      claims = JSON.parse(values.claims) as Record<string, unknown>;
    } catch {
      io.err('--claims must be a JSON object, e.g. \'{"name":"Alice Smith","email":"alice@site.local"}\'\n');
      return 2;
    }
  }
  const password = action === 'add' || action === 'passwd' ? await newPassword(username, stdin, io) : '';
  return withOperations(values, io, async (ops) => {
    if (action === 'add') {
      const { subjectId } = await ops.run('users.add', { username, password, subjectId: values['subject-id'], claims });
      io.out(`added ${username} (subjectId ${subjectId})\n`);
    } else if (action === 'passwd') {
      await ops.run('users.passwd', { username, password });
      io.out(`password of ${username} changed\n`);
    } else if (action === 'unlock') {
      await ops.run('users.unlock', { username });
      io.out(`${username} unlocked\n`);
    } else if (action === 'revoke-consent') {
      const revoked = await ops.run('users.revoke-consent', { username, clientId: clientId as string });
      io.out(revoked ? `consent of ${username} for ${clientId} revoked\n` : `${username} had no remembered consent for ${clientId}\n`);
    } else {
      await ops.run('users.set-enabled', { username, enabled: action === 'enable' });
      io.out(`${username} ${action}d\n`);
    }
    return 0;
  });
}
