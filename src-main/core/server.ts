import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock';
import { createLogger, type Logger } from './logger';
import type { KeyEncryptionKey } from './keys';
import { openDataDir } from './open-data-dir';
import { OpenedResources } from './opened-resources';
import { AccessTokenService, TokenInspector } from './tokens';
import { IdTokenService } from './tokens/id-token';
import { AuthorizationCodes } from './tokens/authorization-codes';
import { RefreshTokens } from './tokens/refresh-tokens';
import { DeviceCodes } from './tokens/device-codes';
import { SessionService } from './sessions/sso-sessions';
import { LoginThrottle } from './runtime/login-throttle';
import { BackChannelLogout } from './sessions/back-channel-logout';
import { SsoLogout } from './sessions/sso-logout';
import { ClientCatalog } from './runtime/client-catalog';
import { createResourceCatalog } from './runtime/resource-catalog';
import { Snapshot } from './runtime/snapshot';
import { UsageRecorder } from './runtime/usage-recorder';
import { RepeatedEvents } from './runtime/repeated-events';
import { importConfiguration, type ImportSummary } from './operations/configuration-import';
import type { IdpContext } from './context';
import { endpointUrls } from './config/endpoint-paths';
import { createProtocolApp } from './protocol/app';
import { createAdminApp } from './admin/api';
import { LaunchTokens } from './admin/launch-tokens';
import { ConsoleSessions } from './admin/console-sessions';
import { findConsoleDir } from './admin/console-files';
import { removeAdminAddress, writeAdminAddress } from './admin/admin-address-file';
import { LocalCredential } from './admin/local-credential';
import { holdWriterLock } from './hold-writer-lock';
import { BatchWriter } from './admin/batch-writer';
import { DATABASE_FILE } from './config';

export interface IdpOptions {
  /** Folder for the database and the key-encryption key; created 0700 if missing. */
  dataDir: string;
  /**
   * Makes a new site in a folder that holds a key-encryption key but no database (`serve
   * --new-site`, or the desktop shell right after it sealed a new key); never over a database.
   * Without it a new site is made only in a folder that holds nothing of one.
   */
  newSite?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to http://HOST:PORT once the port is known. */
  issuer?: string;
  /** A configuration file imported before the listener opens. */
  seedFile?: string;
  clock?: Clock;
  logger?: Logger;
  /** Replaces the file-held key-encryption key (the desktop shell passes the OS keychain's). */
  keyEncryptionKey?: KeyEncryptionKey;
  /** How often key lifecycle steps are applied and expired grants purged. */
  maintenanceIntervalMs?: number;
  /** How often batched usage counters are written. */
  usageFlushIntervalMs?: number;
  /** Waits between back-channel logout retries; one attempt more than delays. */
  backChannelRetryDelaysMs?: readonly number[];
  /** Port of the admin listener (console and `/api`), always on 127.0.0.1; 0 picks a free port. */
  adminPort?: number;
  /** The built console (`out/renderer`); found next to the code when not given. */
  consoleDir?: string;
  /** Called after the operator saved new protocol listener settings, which apply on restart. */
  onListenerSettingsChanged?: () => void;
}

export interface RunningIdp {
  issuer: string;
  protocolUrl: string;
  context: IdpContext;
  backChannel: BackChannelLogout;
  seedSummary: ImportSummary | undefined;
  /** The thread that writes imports and client batches (`admin/batch-writer.ts`). */
  batchWriter: BatchWriter;
  /** The admin listener's origin, `http://127.0.0.1:PORT`. */
  adminUrl: string;
  /** A console URL with a fresh single-use launch token (valid 10 minutes). */
  createLaunchUrl(): string;
  /** Live figures for a status line or tray: tokens issued and failures in the last full minute. */
  status(): { tokensLastMinute: number; failuresLastMinute: number };
  /** Stops accepting, lets requests in flight finish, flushes counters, closes the database. */
  close(): Promise<void>;
}

/** The dashboard's per-minute counts are kept a week. */
const USAGE_MINUTES_KEPT = 7 * 24 * 60;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function normaliseIssuer(issuer: string): string {
  // RFC 8414 §2: https (or http on a closed network), no query, no fragment.
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('--issuer must be an http(s) URL');
  if (url.search || url.hash) throw new Error('--issuer must not have a query or fragment');
  return issuer.replace(/\/+$/, '');
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets requests in flight finish (idle keep-alive connections are dropped). */
async function closeListeners(listeners: readonly Server[]): Promise<void> {
  await Promise.all(
    listeners.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        }),
    ),
  );
}

/**
 * Starts the IdP. Each resource is registered as it opens, so a failure at any step (a port in
 * use, a full disk, a data folder refused) closes what was opened, in reverse, and rejects:
 * nothing stays listening half-started. `close()` runs the same list on stop.
 */
export async function startIdp(options: IdpOptions): Promise<RunningIdp> {
  const host = options.host ?? '127.0.0.1';
  if (WILDCARD_HOSTS.has(host) && !options.issuer) {
    throw new Error(`--issuer is required when listening on ${host}: tokens must name an address devices can reach`);
  }
  if (options.issuer) normaliseIssuer(options.issuer);
  const logger = options.logger ?? createLogger();
  const opened = new OpenedResources();
  const listeners: Server[] = [];

  try {
    const { store, keyRing, clock } = openDataDir(options.dataDir, {
      site: options.newSite ? 'new' : 'existing-or-new',
      clock: options.clock,
      logger,
      keyEncryptionKey: options.keyEncryptionKey,
    });
    opened.add('database', () => store.close());
    // One writer per data folder: from here on this process is the only one that writes it (the
    // CLI sends its changes to the admin API), so a statement never waits for a lock.
    const writerLock = await holdWriterLock(options.dataDir, logger);
    opened.add('writer lock', () => {
      store.close(); // everything that writes has stopped by now (closed in reverse order)
      writerLock.release();
    });
    store.setBusyTimeout(0);
    // Closed after the listeners (requests in flight may be waiting for it), before the store.
    const batchWriter = new BatchWriter(join(options.dataDir, DATABASE_FILE), logger);
    opened.add('batch writer', () => batchWriter.close());
    const seedSummary = options.seedFile
      ? await importConfiguration(store, JSON.parse(readFileSync(options.seedFile, 'utf8')) as unknown, clock.now(), 'seed')
      : undefined;
    keyRing.maintain();

    // Registered before the listeners so that they close after them: requests in flight still
    // count usage and may start back-channel logouts. The back channel is made once the issuer is known.
    let backChannel: BackChannelLogout | undefined;
    opened.add('back-channel logouts', () => backChannel?.idle());
    const usage = new UsageRecorder(store, clock, logger);
    opened.add('usage counters', () => usage.flush());
    const repeatedEvents = new RepeatedEvents(store, clock, logger);
    opened.add('aggregated audit counts', () => repeatedEvents.flush());
    opened.add('listeners', () => closeListeners(listeners));

    const server: Server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 });
    await listen(server, options.port ?? 0, host);
    listeners.push(server);
    const port = (server.address() as AddressInfo).port;
    const protocolUrl = `http://${hostForUrl(host)}:${port}`;
    const issuer = normaliseIssuer(options.issuer ?? protocolUrl);

    const settings = new Snapshot(store.changes, () => store.settings.get());
    const clients = new ClientCatalog(store);
    const context: IdpContext = {
      issuer,
      endpoints: endpointUrls(issuer),
      clock,
      logger,
      store,
      keyRing,
      clients,
      resources: createResourceCatalog(store),
      settings,
      usage,
      repeatedEvents,
      accessTokens: new AccessTokenService(keyRing, store, clock, issuer, () => settings.get()),
      idTokens: new IdTokenService(keyRing, clock, issuer),
      codes: new AuthorizationCodes(store, clock),
      refreshTokens: new RefreshTokens(store, clock),
      deviceCodes: new DeviceCodes(store, clock),
      tokenInspector: new TokenInspector(keyRing, store, clients, clock, issuer),
      sessions: new SessionService(store, clock, () => settings.get()),
      loginThrottle: new LoginThrottle(store, clock, () => settings.get()),
      corsOrigins: new Snapshot(store.changes, () => new Set(store.clients.allowedCorsOrigins())),
    };
    backChannel = new BackChannelLogout(keyRing, clock, issuer, logger, options.backChannelRetryDelaysMs ?? [1_000, 5_000, 30_000]);
    const ssoLogout = new SsoLogout(context, backChannel);
    server.on('request', createProtocolApp(context, ssoLogout));

    // The admin listener is loopback-only by construction: no option binds it elsewhere.
    const adminServer: Server = createServer({ requestTimeout: 120_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 });
    try {
      await listen(adminServer, options.adminPort ?? 0, '127.0.0.1');
    } catch (err) {
      throw new Error(`the admin listener cannot open 127.0.0.1:${options.adminPort ?? 0}: ${(err as Error).message}`, { cause: err });
    }
    listeners.push(adminServer);
    const adminPort = (adminServer.address() as AddressInfo).port;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const launchTokens = new LaunchTokens(store, clock);
    // Before the address: whoever finds the address finds the CLI's credential too.
    const localCredential = LocalCredential.create(options.dataDir);
    opened.add('CLI credential file', () => localCredential.remove());
    writeAdminAddress(options.dataDir, adminUrl);
    opened.add('admin address file', () => removeAdminAddress(options.dataDir));
    adminServer.on(
      'request',
      createAdminApp({
        context,
        ssoLogout,
        dataDir: options.dataDir,
        adminPort,
        launchTokens,
        consoleSessions: new ConsoleSessions(clock),
        consoleDir: options.consoleDir ?? findConsoleDir(),
        onListenerSettingsChanged: options.onListenerSettingsChanged,
        localCredential,
        batchWriter,
      }),
    );

    const maintenance = setInterval(() => {
      try {
        keyRing.maintain();
        store.grants.removeExpired(clock.now());
        store.sessions.removeExpired(clock.now());
        store.usage.removeMinutesBefore(Math.floor(clock.now() / 60_000) - USAGE_MINUTES_KEPT);
      } catch (err) {
        logger.error('maintenance failed', { error: err });
      }
    }, options.maintenanceIntervalMs ?? 60_000);
    // Every second: with 100k active devices, counters kept longer are promoted to the old
    // generation and its collections cost ~10 % of throughput (measured with npm run bench).
    const flusher = setInterval(() => {
      usage.flush();
      repeatedEvents.flush();
    }, options.usageFlushIntervalMs ?? 1_000);
    maintenance.unref();
    flusher.unref();
    opened.add('timers', () => {
      clearInterval(maintenance);
      clearInterval(flusher);
    });
    const warming = clients.warm().catch((err: unknown) => logger.error('client cache warm-up failed', { error: err }));
    opened.add('client cache warm-up', async () => {
      clients.stop();
      await warming;
    });

    let closing: Promise<void> | undefined;
    const close = () => (closing ??= opened.closeAll());
    const status = () => {
      const lastMinute = Math.floor(clock.now() / 60_000) - 1;
      const m = store.usage.perMinute(lastMinute).find((r) => r.minute === lastMinute);
      return { tokensLastMinute: m?.issued ?? 0, failuresLastMinute: m?.failed ?? 0 };
    };
    const createLaunchUrl = () => `${adminUrl}/#launch=${launchTokens.issue()}`;
    return { issuer, protocolUrl, context, backChannel, seedSummary, batchWriter, adminUrl, createLaunchUrl, status, close };
  } catch (err) {
    // Nothing will answer a connection made meanwhile (the admin listener may have no handler yet).
    for (const s of listeners) s.closeAllConnections();
    await opened.closeAll().catch((closeErr: unknown) => logger.error('closing after a failed start', { error: closeErr }));
    throw err;
  }
}
