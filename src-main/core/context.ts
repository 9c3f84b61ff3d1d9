import type { Clock } from './clock';
import type { EndpointUrls } from './config/endpoint-paths';
import type { Logger } from './logger';
import type { Store } from './store';
import type { KeyRing } from './keys';
import type { ServerSettings } from './domain';
import type { ClientCatalog } from './runtime/client-catalog';
import type { ResourceIndex } from './runtime/resource-catalog';
import type { Snapshot } from './runtime/snapshot';
import type { UsageRecorder } from './runtime/usage-recorder';
import type { RepeatedEvents } from './runtime/repeated-events';
import type { AccessTokenService, TokenInspector } from './tokens';
import type { IdTokenService } from './tokens/id-token';
import type { AuthorizationCodes } from './tokens/authorization-codes';
import type { RefreshTokens } from './tokens/refresh-tokens';
import type { DeviceCodes } from './tokens/device-codes';
import type { SessionService } from './sessions/sso-sessions';
import type { LoginThrottle } from './runtime/login-throttle';

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
  tokenInspector: TokenInspector;
  sessions: SessionService;
  loginThrottle: LoginThrottle;
  /** Every origin some enabled client allows for CORS. */
  corsOrigins: Snapshot<ReadonlySet<string>>;
}
