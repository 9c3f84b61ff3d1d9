import { listInitialAccessTokens } from '../../core';
import { CLIENT_TEMPLATES, type ClientTemplate } from '../../core/domain';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations, withStore } from './with-store';
import { iso, words } from '../format';
import { UsageError } from '../cli-errors';
import { wholeNumberOption } from '../whole-number-option';

/**
 * `enrolment-tokens create --template T --scopes "a b" --max-uses N --expires ISO [--group G] [--tags "a b"] [--description D]`
 * prints an initial access token once; devices register themselves with it (RFC 7591).
 * `enrolment-tokens list`, `enrolment-tokens revoke ID`.
 */
export async function enrolmentTokensCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, id] = args;
  if (!['create', 'list', 'revoke'].includes(action ?? '')) throw new UsageError(action ? `unknown enrolment-tokens subcommand "${action}"` : 'enrolment-tokens needs a subcommand');
  if (action === 'revoke' && !id) throw new UsageError('enrolment-tokens revoke needs the token ID (enrolment-tokens list shows them)');
  const maxUses = wholeNumberOption(values['max-uses'], 'max-uses', 1, 100_000);
  const expiresAt = values.expires === undefined ? undefined : Date.parse(values.expires);
  if (action === 'create') {
    if (!(CLIENT_TEMPLATES as readonly string[]).includes(values.template ?? '')) throw new UsageError(`enrolment-tokens create needs --template, one of ${CLIENT_TEMPLATES.join(', ')}`);
    if (maxUses === undefined) throw new UsageError('enrolment-tokens create needs --max-uses N (1 to 100000)');
    if (expiresAt === undefined || Number.isNaN(expiresAt)) throw new UsageError('enrolment-tokens create needs --expires, an ISO 8601 date-time such as 2027-01-31T00:00:00Z');
  }
  if (action === 'list') {
    return withStore(values, io, (store) => {
      for (const t of listInitialAccessTokens(store)) {
        io.out(`${t.id}  ${t.template}  uses ${t.uses}/${t.maxUses}  expires ${iso(t.expiresAt)}  group ${t.group ?? '-'}  ${t.description ?? ''}`.trimEnd() + '\n');
      }
      return 0;
    });
  }
  return withOperations(values, io, async (ops) => {
    if (action === 'revoke') {
      if (!(await ops.run('enrolment-tokens.revoke', { id: id as string }))) {
        io.err(`no enrolment token "${id}"\n`);
        return 1;
      }
      io.out(`revoked ${id}\n`);
      return 0;
    }
    const { id: newId, token } = await ops.run('enrolment-tokens.create', {
      template: values.template as ClientTemplate,
      scopes: words(values.scopes),
      group: values.group,
      tags: words(values.tags),
      maxUses: maxUses as number,
      expiresAt: expiresAt as number,
      description: values.description,
    });
    io.out(`${token}\n`);
    io.err(`enrolment token ${newId} created; the token above is shown only this once\n`);
    return 0;
  });
}
