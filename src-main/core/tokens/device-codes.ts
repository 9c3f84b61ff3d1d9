import { randomInt } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store, GrantRecord } from '../store';
import type { SessionRecord } from '../store';
import type { CatalogClient } from '../runtime/client-catalog';
import { handleHash, newHandle } from './handles';

export const DEVICE_CODE = 'device_code';
const USER_CODE = 'user_code';

/**
 * RFC 8628 §6.1: user codes from 20 consonants (no vowels, so no words; no 0/O or 1/I to mix
 * up), 8 of them: 20^8 ≈ 2.6e10 codes, shown as XXXX-XXXX and read back case- and
 * dash-insensitively.
 */
const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;
/** Polls up to this early still count as on time: latency jitter must not trigger slow_down. */
const POLL_JITTER_MS = 1000;

export type DeviceStatus = 'pending' | 'approved' | 'denied';

export interface DeviceCodeData {
  userCode: string;
  scopes: string[];
  status: DeviceStatus;
  /** Seconds the device must wait between polls; grows by 5 with a slow_down. */
  interval: number;
  /** The last poll that was on time: the reference for the next one. */
  lastPolledAt?: number;
  /** Whether the interval already grew since that poll. */
  slowedDown?: boolean;
  subject?: string;
  sid?: string;
  authTime?: number;
  amr?: string[];
}

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Accepts "bcdf-ghjk", "BCDF GHJK", "bcdfghjk"; anything else is not a user code. */
export function normaliseUserCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === USER_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export interface PendingDevice {
  hash: Buffer;
  grant: GrantRecord;
  data: DeviceCodeData;
}

/** Device codes (stored hashed, single-use) and the user codes that point at them. */
export class DeviceCodes {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  create(client: CatalogClient, scopes: string[]): { deviceCode: string; userCode: string } {
    const now = this.clock.now();
    const expiresAt = now + client.deviceCodeLifetime * 1000;
    const deviceCode = newHandle();
    const hash = handleHash(DEVICE_CODE, deviceCode);
    return this.store.transaction(() => {
      let userCode: string;
      do {
        userCode = Array.from({ length: USER_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      } while (
        !this.store.grants.insertIfAbsent({
          handleHash: handleHash(USER_CODE, userCode),
          type: USER_CODE,
          clientId: client.clientId,
          subject: undefined,
          data: { deviceCodeHash: hash.toString('hex') },
          createdAt: now,
          expiresAt,
        })
      );
      const data: DeviceCodeData = { userCode, scopes, status: 'pending', interval: client.pollingInterval };
      this.store.grants.insert({ handleHash: hash, type: DEVICE_CODE, clientId: client.clientId, subject: undefined, data: { ...data }, createdAt: now, expiresAt });
      return { deviceCode, userCode };
    });
  }

  /** The pending, unexpired device request a user code points at. */
  findPending(userCode: string): PendingDevice | undefined {
    const pointer = this.store.grants.get(handleHash(USER_CODE, userCode));
    if (!pointer || pointer.type !== USER_CODE) return undefined;
    const hash = Buffer.from(String(pointer.data.deviceCodeHash), 'hex');
    const grant = this.store.grants.get(hash);
    if (!grant || grant.type !== DEVICE_CODE || grant.consumedAt !== undefined || grant.expiresAt <= this.clock.now()) return undefined;
    const data = grant.data as unknown as DeviceCodeData;
    return data.status === 'pending' ? { hash, grant, data } : undefined;
  }

  /** Records the user's decision; the user code stops working at once. */
  decide(device: PendingDevice, decision: { approved: true; session: SessionRecord } | { approved: false }): void {
    const data: DeviceCodeData = decision.approved
      ? { ...device.data, status: 'approved', subject: decision.session.subject, sid: decision.session.sid, authTime: decision.session.authTime, amr: decision.session.amr }
      : { ...device.data, status: 'denied' };
    this.store.transaction(() => {
      this.store.grants.update(device.hash, { ...data }, device.grant.expiresAt);
      this.store.grants.remove(handleHash(USER_CODE, device.data.userCode));
    });
  }

  find(deviceCode: string): { hash: Buffer; grant: GrantRecord; data: DeviceCodeData } | undefined {
    const hash = handleHash(DEVICE_CODE, deviceCode);
    const grant = this.store.grants.get(hash);
    return grant?.type === DEVICE_CODE ? { hash, grant, data: grant.data as unknown as DeviceCodeData } : undefined;
  }

  /**
   * RFC 8628 §3.5 polling discipline. A poll is too fast when it comes less than `interval`
   * (less a second of latency jitter) after the last on-time poll; the first poll never is.
   * A too-fast poll answers slow_down and grows the interval by 5 s, once per run of too-fast
   * polls, and does not move the reference. So a device that honours slow_down is on time after
   * one longer wait, and one that keeps a fixed cadence is still answered every few polls
   * instead of never again (the failure of H2CK/oidc#716, where both moved together).
   * Returns the interval to announce when the poll was too fast.
   */
  recordPoll(device: { hash: Buffer; grant: GrantRecord; data: DeviceCodeData }): number | undefined {
    const now = this.clock.now();
    const { data } = device;
    const tooFast = data.lastPolledAt !== undefined && now - data.lastPolledAt < data.interval * 1000 - POLL_JITTER_MS;
    const next: DeviceCodeData = tooFast
      ? { ...data, interval: data.slowedDown ? data.interval : data.interval + 5, slowedDown: true }
      : { ...data, lastPolledAt: now, slowedDown: false };
    this.store.grants.update(device.hash, { ...next }, device.grant.expiresAt);
    return tooFast ? next.interval : undefined;
  }
}
