import type { IdpContext } from '../../context';
import type { ConsentScope } from '../views/consent-page';

const PLAIN_WORDS: Record<string, string> = {
  openid: 'Know who you are (your user id)',
  profile: 'See your name and basic profile',
  email: 'See your email address',
  phone: 'See your phone number',
  address: 'See your postal address',
  offline_access: 'Stay signed in and act for you while you are away',
};

/** Scopes in the words a person reads on the consent and device pages. */
export function describeScopes(ctx: IdpContext, scopes: readonly string[]): ConsentScope[] {
  const index = ctx.resources.get();
  return scopes.map((name) => {
    const r = index.identityResources.get(name) ?? index.apiScopes.get(name);
    return {
      name,
      displayName: r?.displayName ?? PLAIN_WORDS[name] ?? name,
      description: r?.description,
      required: name === 'openid' || (r?.required ?? false),
      emphasize: name === 'offline_access' || (r?.emphasize ?? false),
    };
  });
}
