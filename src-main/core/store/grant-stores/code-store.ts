import type { GrantsRepository } from '../grants-repository';
import { AUTHORIZATION_CODE } from './kinds';
import type { UserGrant } from './user-grant';

export interface AuthorizationCodeData extends UserGrant {
  redirectUri: string;
  nonce?: string | undefined;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: 'S256' | 'plain' | undefined;
  /** Filled at redemption: ids of the JWT access tokens and the refresh-token family it produced. */
  issuedJti?: string | undefined;
  issuedFamily?: string | undefined;
}

export interface StoredCode {
  handleHash: Buffer;
  clientId: string;
  data: AuthorizationCodeData;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | undefined;
}

/** Authorization codes (RFC 6749 §4.1.2): single-use, keyed by the hash of the code. */
export class CodeStore {
  constructor(private readonly grants: GrantsRepository) {}

  insert(code: Omit<StoredCode, 'consumedAt'>): void {
    this.grants.insert({ ...code, type: AUTHORIZATION_CODE, subject: code.data.subject, sessionId: code.data.sid, data: { ...code.data } });
  }

  find(hash: Buffer): StoredCode | undefined {
    const g = this.grants.get(hash);
    if (g?.type !== AUTHORIZATION_CODE) return undefined;
    return { handleHash: g.handleHash, clientId: g.clientId, data: g.data as unknown as AuthorizationCodeData, createdAt: g.createdAt, expiresAt: g.expiresAt, consumedAt: g.consumedAt };
  }

  /** Marks the code used in one statement; false means it already was (a replay). */
  consume(hash: Buffer, now: number): boolean {
    return this.grants.consume(hash, now);
  }

  /** Records what a redemption issued, so a replay of the code can revoke it (RFC 9700 §4.5). */
  recordIssued(code: StoredCode, issued: { jti: string | undefined; family: string | undefined }): void {
    this.grants.update(code.handleHash, { ...code.data, issuedJti: issued.jti, issuedFamily: issued.family }, code.expiresAt);
  }
}
