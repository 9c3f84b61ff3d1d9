import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store, KeyStatus, SigningKeyRecord } from '../store';
import { SIGNING_ALGORITHMS, type ServerSettings, type SigningAlgorithm } from '../domain';
import { ALGORITHMS, signInput } from './algorithms';
import { jwkThumbprint } from './jwk-thumbprint';
import type { KeyEncryptionKey } from './key-encryption-key';

interface LoadedKey {
  record: SigningKeyRecord;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64url JWS headers by `typ`, built once per key. */
  headers: Map<string, string>;
}

export interface KeyInfo {
  kid: string;
  alg: string;
  status: KeyStatus;
  createdAt: number;
  activateAt: number;
  retiredAt: number | undefined;
  /** When a retired key leaves JWKS and is deleted. */
  removeAt: number | undefined;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function isSigningAlgorithm(alg: string): alg is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * The signing keys, with Duende's automatic key management lifecycle:
 * `next` (published in JWKS, not yet signing, for the propagation time so relying parties that
 * cache JWKS learn it first) → `active` (signs) → `retired` (published for the retention time so
 * tokens it signed still verify) → deleted. `revoked` leaves JWKS at once.
 * State lives in the database. A change made through this ring applies at once; a change another
 * connection commits (an older CLI, the desktop shell, a script) applies from the next request
 * on: signing, verification and JWKS first look whether the keys table changed (`fresh()`).
 */
export class KeyRing {
  private loaded = new Map<string, LoadedKey>();
  private activeByAlg = new Map<SigningAlgorithm, LoadedKey>();
  private jwks = '{"keys":[]}';
  /** The store's external change counter when the keys were last compared. */
  private seenExternal = -1;
  /** The keys table's fingerprint the ring was loaded from. */
  private loadedFingerprint: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly kek: KeyEncryptionKey,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Applies due lifecycle steps, creates missing keys and reloads the in-memory ring. */
  maintain(): void {
    const settings = this.store.settings.get();
    const now = this.clock.now();
    this.store.transaction(() => {
      for (const alg of SIGNING_ALGORITHMS) this.advance(alg, settings, now);
    });
    this.reload(settings);
  }

  /**
   * Starts a rotation for every configured algorithm: a `next` key is published now and signs
   * after the propagation time. `immediate` promotes it at once (for a suspected compromise;
   * tokens signed by the old key still verify while it is retained).
   */
  rotate(options: { immediate: boolean }, actor: string): KeyInfo[] {
    const settings = this.store.settings.get();
    const now = this.clock.now();
    this.store.transaction(() => {
      for (const alg of settings.signingAlgorithms) {
        const keys = this.keysOf(alg);
        let next = keys.find((k) => k.status === 'next');
        if (!next) next = this.create(alg, 'next', now, now + settings.keyManagement.propagationTime * 1000);
        if (options.immediate) this.promote(alg, next, now);
      }
      this.store.audit.write({ at: now, actor, action: options.immediate ? 'keys.rotate_immediately' : 'keys.rotate', details: {} });
    });
    this.reload(settings);
    return this.list();
  }

  /**
   * Withdraws a key at once (suspected compromise): it leaves JWKS, tokens it signed stop
   * verifying, and if it was signing, the next key (or a fresh one) takes over immediately.
   */
  revoke(kid: string, actor: string): boolean {
    const now = this.clock.now();
    const revoked = this.store.transaction(() => {
      const key = this.store.keys.all().find((k) => k.kid === kid);
      if (!key || key.status === 'revoked') return false;
      this.store.keys.setStatus(kid, 'revoked', now);
      this.store.audit.write({ at: now, actor, action: 'keys.revoked', target: kid, details: { alg: key.alg, was: key.status } });
      return true;
    });
    if (revoked) this.maintain();
    return revoked;
  }

  /**
   * Retires one key on the operator's word. An active key hands over to its algorithm's next
   * key (made now if there is none) and stays published for the retention time, so tokens it
   * signed keep verifying; a next key is withdrawn before it ever signs. False for any other.
   */
  retireKey(kid: string, actor: string): boolean {
    const settings = this.store.settings.get();
    const now = this.clock.now();
    const retired = this.store.transaction(() => {
      const key = this.store.keys.all().find((k) => k.kid === kid);
      if (!key || !isSigningAlgorithm(key.alg)) return false;
      if (key.status === 'active') {
        const next = this.keysOf(key.alg).find((k) => k.status === 'next') ?? this.create(key.alg, 'next', now, now);
        this.promote(key.alg, next, now);
      } else if (key.status === 'next') {
        this.store.keys.remove(kid);
      } else {
        return false;
      }
      this.store.audit.write({ at: now, actor, action: 'keys.retired', target: kid, details: { alg: key.alg, was: key.status } });
      return true;
    });
    if (retired) this.reload(settings);
    return retired;
  }

  list(): KeyInfo[] {
    const retention = this.store.settings.get().keyManagement.retentionTime * 1000;
    return this.store.keys.all().map((r) => ({
      kid: r.kid,
      alg: r.alg,
      status: r.status,
      createdAt: r.createdAt,
      activateAt: r.activateAt,
      retiredAt: r.retiredAt,
      removeAt: r.retiredAt === undefined ? undefined : r.retiredAt + retention,
    }));
  }

  /** Compact JWS (RFC 7515 §7.1) signed with the active key of `alg`. */
  sign(alg: SigningAlgorithm, typ: string, payload: Record<string, unknown>): string {
    this.fresh();
    const key = this.activeByAlg.get(alg);
    if (!key) throw new Error(`no active ${alg} signing key`);
    let header = key.headers.get(typ);
    if (header === undefined) {
      header = Buffer.from(JSON.stringify({ alg, kid: key.record.kid, typ })).toString('base64url');
      key.headers.set(typ, header);
    }
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${signInput(alg, key.privateKey, input)}`;
  }

  /** The public key that verifies tokens this server signed: active or retired keys only. */
  verificationKey(kid: string): { key: KeyObject; alg: string } | undefined {
    this.fresh();
    const k = this.loaded.get(kid);
    if (!k || (k.record.status !== 'active' && k.record.status !== 'retired')) return undefined;
    return { key: k.publicKey, alg: k.record.alg };
  }

  /** The JWK Set document (RFC 7517 §5), public members only, serialised once per change. */
  jwksDocument(): string {
    this.fresh();
    return this.jwks;
  }

  /**
   * Reloads the ring if another connection changed the keys table. On the token path this costs
   * a comparison: the store's external change counter is read once per event-loop turn and moves
   * only when another connection commits; only then is the keys table's fingerprint read (a few
   * µs), and only if that differs is anything reloaded. A reload also applies what the change made
   * due: a key revoked by a writer that did not hand over (raw SQL, say) gets its successor here,
   * not at the next maintenance tick.
   */
  private fresh(): void {
    const external = this.store.changes.external();
    if (external === this.seenExternal) return;
    this.seenExternal = external;
    if (this.store.keys.fingerprint() === this.loadedFingerprint) return;
    try {
      this.maintain();
    } catch (err) {
      // The lifecycle step could not be written (the other writer still holds the lock):
      // serve what the table holds now, and let the maintenance tick try again.
      this.logger.warn('signing key maintenance after an external change failed', { error: err });
      this.reload(this.store.settings.get());
    }
  }

  private keysOf(alg: string): SigningKeyRecord[] {
    return this.store.keys.all().filter((k) => k.alg === alg);
  }

  private advance(alg: SigningAlgorithm, settings: ServerSettings, now: number): void {
    const { propagationTime, rotationInterval, retentionTime } = settings.keyManagement;
    const keys = this.keysOf(alg);
    const configured = settings.signingAlgorithms.includes(alg);
    let active = keys.find((k) => k.status === 'active');
    const next = keys.find((k) => k.status === 'next');

    for (const k of keys) {
      if ((k.status === 'retired' || k.status === 'revoked') && k.retiredAt !== undefined && now >= k.retiredAt + retentionTime * 1000) {
        this.store.keys.remove(k.kid);
        this.logger.info('signing key removed', { kid: k.kid, alg });
      }
    }
    if (!configured) {
      if (active) this.retire(active, now);
      if (next) this.store.keys.remove(next.kid);
      return;
    }
    if (next && (!active || now >= next.activateAt)) {
      this.promote(alg, next, now);
      active = next;
    } else if (!active) {
      // First start (or a newly configured algorithm): nothing was signed with this algorithm
      // before, so there is no relying-party cache to wait for.
      active = this.create(alg, 'active', now, now);
    } else if (!next && now >= active.activateAt + (rotationInterval - propagationTime) * 1000) {
      this.create(alg, 'next', now, now + propagationTime * 1000);
    }
  }

  private promote(alg: string, next: SigningKeyRecord, now: number): void {
    for (const k of this.keysOf(alg)) if (k.status === 'active') this.retire(k, now);
    // The key signs from now, whatever time it was announced for (an immediate rotation promotes
    // it early): "signs from" must say so, and the next rotation counts from here.
    this.store.keys.activate(next.kid, now);
    this.store.audit.write({ at: now, actor: 'system', action: 'keys.activated', target: next.kid, details: { alg } });
    this.logger.info('signing key activated', { kid: next.kid, alg });
  }

  private retire(key: SigningKeyRecord, now: number): void {
    this.store.keys.setStatus(key.kid, 'retired', now);
    this.logger.info('signing key retired', { kid: key.kid, alg: key.alg });
  }

  private create(alg: SigningAlgorithm, status: KeyStatus, now: number, activateAt: number): SigningKeyRecord {
    const { privateKey, publicKey } = ALGORITHMS[alg].generate();
    const publicJwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const kid = jwkThumbprint(publicJwk);
    const record: SigningKeyRecord = {
      kid,
      alg,
      status,
      publicJwk,
      encryptedPrivateJwk: this.kek.encrypt(Buffer.from(JSON.stringify(privateKey.export({ format: 'jwk' }))), kid),
      createdAt: now,
      activateAt,
      retiredAt: undefined,
    };
    this.store.keys.insert(record);
    this.store.audit.write({ at: now, actor: 'system', action: 'keys.created', target: kid, details: { alg, status } });
    this.logger.info('signing key created', { kid, alg, status });
    return record;
  }

  private reload(settings: ServerSettings): void {
    // Read before the rows: a commit in between makes the next comparison reload again, never miss.
    const fingerprint = this.store.keys.fingerprint();
    const loaded = new Map<string, LoadedKey>();
    for (const record of this.store.keys.all()) {
      const previous = this.loaded.get(record.kid);
      const privateKey =
        previous?.privateKey ??
        createPrivateKey({ key: JSON.parse(this.kek.decrypt(record.encryptedPrivateJwk, record.kid).toString('utf8')) as JsonWebKey, format: 'jwk' });
      const publicKey = previous?.publicKey ?? createPublicKey({ key: record.publicJwk as JsonWebKey, format: 'jwk' });
      loaded.set(record.kid, { record, privateKey, publicKey, headers: previous?.headers ?? new Map() });
    }
    const active = new Map<SigningAlgorithm, LoadedKey>();
    const published: Record<string, unknown>[] = [];
    for (const k of loaded.values()) {
      const alg = k.record.alg;
      if (!isSigningAlgorithm(alg)) continue;
      if (k.record.status === 'active' && settings.signingAlgorithms.includes(alg)) active.set(alg, k);
      if (k.record.status !== 'revoked') {
        const jwk: Record<string, unknown> = {};
        for (const m of PUBLIC_MEMBERS) if (k.record.publicJwk[m] !== undefined) jwk[m] = k.record.publicJwk[m];
        published.push({ ...jwk, kid: k.record.kid, alg, use: 'sig' });
      }
    }
    this.loaded = loaded;
    this.activeByAlg = active;
    this.jwks = JSON.stringify({ keys: published });
    this.loadedFingerprint = fingerprint;
  }
}
