import type { CliValues, CommandIo } from '../run-cli';
import { withOperations } from './with-store';

/** The password comes from standard input (first line), never from the command line or its history. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * `users add USERNAME [--subject-id ID] [--claims JSON]`, `users passwd USERNAME`,
 * `users disable|enable|unlock USERNAME`, `users revoke-consent USERNAME CLIENT_ID`.
 */
export async function usersCommand(values: CliValues, args: string[], io: CommandIo, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const [action, username, clientId] = args;
  if (!action || !username || !['add', 'passwd', 'disable', 'enable', 'unlock', 'revoke-consent'].includes(action) || (action === 'revoke-consent' && !clientId)) {
    io.err(
      'usage: users add USERNAME [--subject-id ID] [--claims JSON] | users passwd USERNAME | users disable|enable|unlock USERNAME | users revoke-consent USERNAME CLIENT_ID\n(add and passwd read the password from standard input)\n',
    );
    return 2;
  }
  let claims: Record<string, unknown> | undefined;
  if (values.claims !== undefined) {
    try {
      claims = JSON.parse(values.claims) as Record<string, unknown>;
    } catch {
      io.err('--claims must be a JSON object, e.g. \'{"name":"Alice Smith","email":"alice@site.local"}\'\n');
      return 2;
    }
  }
  const password = action === 'add' || action === 'passwd' ? await readPassword(stdin) : '';
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
