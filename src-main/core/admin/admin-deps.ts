import type { IdpContext } from '../context';
import type { SsoLogout } from '../sessions/sso-logout';
import type { LaunchTokens } from './launch-tokens';
import type { ConsoleSessions } from './console-sessions';
import type { EnrolmentJobs } from './enrolment-jobs';
import type { LocalCredential } from './local-credential';
import type { BatchWriter } from './batch-writer';

/** What the admin routes work with. */
export interface AdminDeps {
  context: IdpContext;
  ssoLogout: SsoLogout;
  dataDir: string;
  launchTokens: LaunchTokens;
  consoleSessions: ConsoleSessions;
  enrolments: EnrolmentJobs;
  /** Runs imports and client batches off the event loop (`batch-writer.ts`). */
  batchWriter: BatchWriter;
  /** `http://127.0.0.1:PORT`, `http://localhost:PORT`, `http://[::1]:PORT`. */
  origins: Set<string>;
  onListenerSettingsChanged: (() => void) | undefined;
  /** The CLI's per-run credential (see `local-credential.ts`); absent when nothing wrote one. */
  localCredential?: LocalCredential | undefined;
}
