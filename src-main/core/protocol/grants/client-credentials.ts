import { validateApiAccess } from '../scope-validation';
import type { GrantHandler } from './grant-handler';

/** RFC 6749 §4.4: a confidential client asks for a token for itself. No refresh token (§4.4.3). */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  permittedBy: ['client_credentials'],
  parameters: new Set(['scope', 'resource']),
  handle({ ctx, client, params }) {
    const { scopes, audiences } = validateApiAccess(client, ctx.resources.get(), ctx.issuer, params.get('scope'), params.all('resource'));
    const { accessToken, expiresIn } = ctx.accessTokens.issue({ client, subject: client.clientId, scopes, audiences });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
  },
};
