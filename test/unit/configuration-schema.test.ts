import { describe, expect, it } from 'vitest';
import { allowedAuthMethods, clientInput, parseConfigurationFile, ValidationError } from '../../src-main/core/domain';

const errorsOf = (doc: unknown) => {
  try {
    parseConfigurationFile(doc);
    return [];
  } catch (e) {
    return (e as ValidationError).errors.map((x) => `${x.path}: ${x.message}`);
  }
};

describe('configuration file schema', () => {
  it('fills Duende\'s defaults', () => {
    const c = clientInput.parse({ clientId: 'd' });
    expect(c).toMatchObject({ enabled: true, requireClientSecret: true, requirePkce: true, allowPlainTextPkce: false, accessTokenType: 'jwt', accessTokenLifetime: 3600, identityTokenLifetime: 300, allowedScopes: [] });
  });
  it('names bad fields by path', () => {
    expect(
      errorsOf({
        clients: [{ clientId: 'ok' }, { clientId: 'has space', allowedGrantTypes: ['client_credentials', 'client_credentials'], allowedCorsOrigins: ['https://a.example/'] }],
        apiScopes: [{ name: 'a"b' }],
        identityResources: [{ name: 'openid', userClaims: [] }],
      }),
    ).toEqual([
      'clients[1].clientId: must be printable ASCII without spaces',
      'clients[1].allowedGrantTypes: must not repeat a value',
      'clients[1].allowedCorsOrigins[0]: must be an origin such as https://app.example (scheme, host, optional port, no path or trailing slash)',
      'apiScopes[0].name: must be a scope token: printable ASCII without spaces, quotes or backslashes',
      'identityResources[0].userClaims: an identity resource needs at least one user claim',
    ]);
  });
  it('applies Duende\'s grant combination rule and the confidential-client rule', () => {
    expect(errorsOf({ clients: [{ clientId: 'a', allowedGrantTypes: ['implicit', 'authorization_code'], redirectUris: ['https://a.example/cb'] }] })).toEqual([
      'clients[0].allowedGrantTypes: "implicit" and "authorization_code" cannot be combined',
    ]);
    expect(errorsOf({ clients: [{ clientId: 'a', requireClientSecret: false, allowedGrantTypes: ['client_credentials'] }] })[0]).toMatch(/confidential/);
  });
  it('accepts only the grant types the server implements, and says to remove any other', () => {
    expect(errorsOf({ clients: [{ clientId: 'a', allowedGrantTypes: ['client_credentials', 'password'] }] })).toEqual([
      'clients[0].allowedGrantTypes[1]: "password" is not a grant type this server implements (client_credentials, authorization_code, refresh_token, urn:ietf:params:oauth:grant-type:device_code, implicit, hybrid): remove it',
    ]);
    expect(errorsOf({ clients: [{ clientId: 'a', allowedGrantTypes: ['client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] }] })).toEqual([]);
  });
  it('a secret is plaintext or sha256, never both', () => {
    expect(errorsOf({ clients: [{ clientId: 'a', secrets: [{ value: 'x', sha256: 'ab'.repeat(32) }] }] })).toEqual(['clients[0].secrets[0]: give exactly one of "value" (plaintext) or "sha256"']);
    expect(errorsOf({ clients: [{ clientId: 'a', secrets: ['plain-string-form'] }] })).toEqual([]);
  });
  it('settings keep propagation shorter than rotation', () => {
    expect(errorsOf({ settings: { keyManagement: { propagationTime: 100, rotationInterval: 50 } } })).toEqual(['settings.keyManagement.propagationTime: must be shorter than rotationInterval']);
    expect(errorsOf({ settings: { accessTokenSigningAlgorithm: 'PS256' } })).toEqual(['settings.accessTokenSigningAlgorithm: must be one of signingAlgorithms']);
  });
});

describe('client authentication methods', () => {
  const base = clientInput.parse({ clientId: 'a' });
  it('an explicit method is enforced exactly', () => {
    expect(allowedAuthMethods({ ...base, tokenEndpointAuthMethod: 'client_secret_post', secrets: [] })).toEqual(['client_secret_post']);
  });
  it('otherwise follows the client\'s kind', () => {
    expect(allowedAuthMethods({ ...base, secrets: [1] })).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(allowedAuthMethods({ ...base, requireClientSecret: false, secrets: [] })).toEqual(['none']);
    expect(allowedAuthMethods({ ...base, jwks: { keys: [{ kty: 'EC' }] }, secrets: [] })).toEqual(['private_key_jwt']);
  });
});
