import { listInitialAccessTokens } from '../../core';
import { CLIENT_TEMPLATES, type ClientTemplate } from '../../core/domain';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations, withStore } from './with-store';
import { iso, words } from '../format';


/**
 * `enrolment-tokens create --template T --scopes "a b" --max-uses N --expires ISO [--group G] [--tags "a b"] [--description D]`
 * prints an initial access token once; devices register themselves with it (RFC 7591).
 * `enrolment-tokens list`, `enrolment-tokens revoke ID`.
 */
export async function enrolmentTokensCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, id] = args;
  const creating = action === 'create' && (CLIENT_TEMPLATES as readonly string[]).includes(values.template ?? '') && values['max-uses'] && values.expires;
  if (action !== 'list' && !(action === 'revoke' && id) && !creating) {
    io.err(
      'usage: enrolment-tokens create --template T --scopes "a b" --max-uses N --expires ISO-DATE [--group G] [--tags "a b"] [--description D]\n' +
        '       enrolment-tokens list | enrolment-tokens revoke ID\n',
    );
    return 2;
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
      maxUses: Number(values['max-uses']),
      expiresAt: Date.parse(values.expires as string),
      description: values.description,
    });
    io.out(`${token}\n`);
    io.err(`enrolment token ${newId} created; the token above is shown only this once\n`);
    return 0;
  });
}
