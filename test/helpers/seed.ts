import type { ConfigurationFileInput } from '../../src-main/core/domain';

export const SECRETS = {
  scanner: 'scanner-secret-0123456789abcdefghijklmnopqrstuv',
  printer: 'printer-secret-0123456789abcdefghijklmnopqrstuv',
  gateway: 'gateway-secret-0123456789abcdefghijklmnopqrstuv',
  inventoryApi: 'inventory-api-secret-0123456789abcdefghijklmno',
} as const;

/** A small site: two APIs, a JWT device, a reference-token device, a private_key_jwt device. */
export function siteSeed(overrides: { gatewayJwks?: { keys: Array<{ kty: "EC" | "RSA" | "OKP"; [member: string]: unknown }> } } = {}): ConfigurationFileInput {
  return {
    apiScopes: [{ name: 'inventory.read' }, { name: 'inventory.write' }, { name: 'labels.print' }, { name: 'hidden', showInDiscoveryDocument: false }],
    identityResources: [{ name: 'openid', userClaims: ['sub'] }],
    apiResources: [
      { name: 'inventory-api', scopes: ['inventory.read', 'inventory.write'], apiSecrets: [{ value: SECRETS.inventoryApi }] },
      { name: 'label-api', scopes: ['labels.print'] },
    ],
    clients: [
      {
        clientId: 'scanner-0001',
        secrets: [{ value: SECRETS.scanner }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['inventory.read', 'inventory.write', 'labels.print', 'openid'],
        claims: [{ type: 'site', value: 'north' }],
      },
      {
        clientId: 'printer-07',
        secrets: [{ value: SECRETS.printer }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['labels.print'],
        accessTokenType: 'reference',
        accessTokenLifetime: 600,
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      {
        clientId: 'spa',
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        allowedScopes: ['openid'],
        redirectUris: ['http://127.0.0.1:9/cb'],
      },
      ...(overrides.gatewayJwks
        ? [
            {
              clientId: 'plc-gateway',
              tokenEndpointAuthMethod: 'private_key_jwt' as const,
              jwks: overrides.gatewayJwks,
              allowedGrantTypes: ['client_credentials' as const],
              allowedScopes: ['inventory.write'],
            },
          ]
        : []),
    ],
  };
}
