import { addUser, revokeUserConsent, setUserEnabled, setUserPassword, unlockUser } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withStore } from './with-store';

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
  return withStore(values, io, async (store, clock) => {
    if (action === 'add') {
      const { subjectId } = await addUser(store, { username, password: await readPassword(stdin), subjectId: values['subject-id'], claims }, clock.now(), 'cli');
      io.out(`added ${username} (subjectId ${subjectId})\n`);
    } else if (action === 'passwd') {
      await setUserPassword(store, username, await readPassword(stdin), clock.now(), 'cli');
      io.out(`password of ${username} changed\n`);
    } else if (action === 'unlock') {
      unlockUser(store, username, clock.now(), 'cli');
      io.out(`${username} unlocked\n`);
    } else if (action === 'revoke-consent') {
      const revoked = revokeUserConsent(store, username, clientId as string, clock.now(), 'cli');
      io.out(revoked ? `consent of ${username} for ${clientId} revoked\n` : `${username} had no remembered consent for ${clientId}\n`);
    } else {
      setUserEnabled(store, username, action === 'enable', clock.now(), 'cli');
      io.out(`${username} ${action}d\n`);
    }
    return 0;
  });
}
