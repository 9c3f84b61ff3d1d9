import { createHash } from 'node:crypto';

/** Required members per key type, already in lexicographic order (RFC 7638 §3.2). */
const REQUIRED: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/** RFC 7638 JWK SHA-256 thumbprint, base64url: the key id of every signing key. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members = REQUIRED[String(jwk.kty)];
  if (!members) throw new Error(`no thumbprint for kty ${String(jwk.kty)}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
