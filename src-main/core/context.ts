import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Store } from './store';
import type { KeyRing } from './keys';
import type { ServerSettings } from './domain';
import type { ClientCatalog } from './services/client-catalog';
import type { ResourceIndex } from './services/resource-catalog';
import type { Snapshot } from './services/snapshot';
import type { UsageRecorder } from './services/usage-recorder';
import type { RepeatedEvents } from './services/repeated-events';
import type { AccessTokenService, TokenInspector } from './tokens';
import type { IdTokenService } from './tokens/id-token';
import type { AuthorizationCodes } from './tokens/authorization-codes';
import type { RefreshTokens } from './tokens/refresh-tokens';
import type { DeviceCodes } from './tokens/device-codes';
import type { SessionService } from './services/sessions';
import type { LoginThrottle } from './services/login-throttle';

/** Absolute URLs of the protocol endpoints, derived once from the issuer. */
export interface EndpointUrls {
  discovery: string;
  authorizationServerMetadata: string;
  jwks: string;
  token: string;
  introspection: string;
  revocation: string;
  authorization: string;
  userinfo: string;
  endSession: string;
  deviceAuthorization: string;
  deviceVerification: string;
  registration: string;
}

export const ENDPOINT_PATHS = {
  discovery: '/.well-known/openid-configuration',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/.well-known/jwks.json',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  authorization: '/connect/authorize',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  deviceAuthorization: '/connect/deviceauthorization',
  deviceVerification: '/device',
  registration: '/connect/register',
} as const satisfies Record<keyof EndpointUrls, string>;

export function endpointUrls(issuer: string): EndpointUrls {
  const entries = Object.entries(ENDPOINT_PATHS).map(([k, path]) => [k, issuer + path]);
  return Object.fromEntries(entries) as unknown as EndpointUrls;
}

/** Everything a protocol endpoint may use, built once by `startIdp`. */
export interface IdpContext {
  issuer: string;
  endpoints: EndpointUrls;
  clock: Clock;
  logger: Logger;
  store: Store;
  keyRing: KeyRing;
  clients: ClientCatalog;
  resources: Snapshot<ResourceIndex>;
  settings: Snapshot<ServerSettings>;
  usage: UsageRecorder;
  /** Throttled sign-ins and failed client authentications, aggregated before they reach the audit log. */
  repeatedEvents: RepeatedEvents;
  accessTokens: AccessTokenService;
  idTokens: IdTokenService;
  codes: AuthorizationCodes;
  refreshTokens: RefreshTokens;
  deviceCodes: DeviceCodes;
  tokens: TokenInspector;
  sessions: SessionService;
  loginThrottle: LoginThrottle;
  /** Every origin some enabled client allows for CORS. */
  corsOrigins: Snapshot<ReadonlySet<string>>;
}
