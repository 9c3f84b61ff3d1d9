import type { ConfigurationFileInput } from '../../src-main/core/domain';

export const WEB_SECRET = 'web-app-secret-0123456789abcdefghijklmnopqrstuvw';
export const ALICE = { username: 'alice', password: 'alice-password-1', subjectId: 'u-alice' };
export const RP = 'http://rp.test';

/**
 * Interactive clients of a small site: a confidential web app, a public SPA, a native app with a
 * loopback redirect, a consent-requiring app, and a legacy implicit client.
 */
export function signinSeed(extra: { backChannelLogoutUri?: string } = {}): ConfigurationFileInput {
  return {
    identityResources: [
      { name: 'openid', userClaims: ['sub'] },
      { name: 'profile', userClaims: ['name', 'given_name', 'family_name', 'preferred_username'], displayName: 'Your name' },
      { name: 'email', userClaims: ['email', 'email_verified'] },
    ],
    apiScopes: [{ name: 'inventory.read', displayName: 'Read the inventory' }],
    apiResources: [{ name: 'inventory-api', scopes: ['inventory.read'] }],
    users: [
      { ...ALICE, claims: { name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', email: 'alice@site.local', email_verified: true } },
      { subjectId: 'u-bob', username: 'bob', password: 'bob-password-12', claims: { name: 'Bob' } },
    ],
    clients: [
      {
        clientId: 'web',
        clientName: 'Stock web app',
        secrets: [{ value: WEB_SECRET }],
        allowedGrantTypes: ['authorization_code', 'refresh_token'],
        allowedScopes: ['openid', 'profile', 'email', 'inventory.read', 'offline_access'],
        allowOfflineAccess: true,
        redirectUris: [`${RP}/callback`],
        postLogoutRedirectUris: [`${RP}/signed-out`],
        frontChannelLogoutUri: `${RP}/frontchannel-logout`,
        coordinateLifetimeWithUserSession: true,
        ...(extra.backChannelLogoutUri ? { backChannelLogoutUri: extra.backChannelLogoutUri } : {}),
      },
      {
        clientId: 'spa',
        clientName: 'Dashboard',
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code', 'refresh_token'],
        allowedScopes: ['openid', 'profile', 'offline_access'],
        allowOfflineAccess: true,
        redirectUris: [`${RP}/spa`],
        allowedCorsOrigins: [RP],
      },
      {
        clientId: 'native',
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        allowedScopes: ['openid'],
        redirectUris: ['http://127.0.0.1/native-callback'],
      },
      {
        clientId: 'consenting',
        clientName: 'Partner portal',
        secrets: [{ value: WEB_SECRET }],
        allowedGrantTypes: ['authorization_code'],
        allowedScopes: ['openid', 'profile', 'email'],
        redirectUris: [`${RP}/consent-cb`],
        requireConsent: true,
      },
      {
        clientId: 'legacy-js',
        requireClientSecret: false,
        allowedGrantTypes: ['implicit'],
        allowedScopes: ['openid', 'profile'],
        redirectUris: [`${RP}/implicit`],
      },
    ],
  };
}
