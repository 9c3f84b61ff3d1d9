import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../domain';

interface AlgorithmSpec {
  hash: 'sha256' | 'sha384' | 'sha512';
  generate: () => { privateKey: KeyObject; publicKey: KeyObject };
  signOptions: (key: KeyObject) => Parameters<typeof sign>[2];
}

const ec = (curve: string, hash: AlgorithmSpec['hash']): AlgorithmSpec => ({
  hash,
  generate: () => generateKeyPairSync('ec', { namedCurve: curve }),
  // JWS wants the raw r||s signature (RFC 7518 §3.4), not DER.
  signOptions: (key) => ({ key, dsaEncoding: 'ieee-p1363' }),
});
// RSA 2048 as Duende's key management default (RFC 7518 §3.3 minimum).
const rsa = (hash: AlgorithmSpec['hash']): AlgorithmSpec => ({
  hash,
  generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  signOptions: (key) => key,
});
const pss = (hash: AlgorithmSpec['hash'], saltLength: number): AlgorithmSpec => ({
  hash,
  generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  // RFC 7518 §3.5: salt as long as the hash.
  signOptions: (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
});

export const ALGORITHMS: Record<SigningAlgorithm, AlgorithmSpec> = {
  ES256: ec('P-256', 'sha256'),
  ES384: ec('P-384', 'sha384'),
  ES512: ec('P-521', 'sha512'),
  RS256: rsa('sha256'),
  RS384: rsa('sha384'),
  RS512: rsa('sha512'),
  PS256: pss('sha256', 32),
  PS384: pss('sha384', 48),
  PS512: pss('sha512', 64),
};

/** Signs a JWS signing input with node:crypto, about twice as fast as WebCrypto for ES256. */
export function signInput(alg: SigningAlgorithm, key: KeyObject, input: string): string {
  const spec = ALGORITHMS[alg];
  return sign(spec.hash, Buffer.from(input, 'utf8'), spec.signOptions(key)).toString('base64url');
}
