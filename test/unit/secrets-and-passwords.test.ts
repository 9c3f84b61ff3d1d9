import { describe, expect, it } from 'vitest';
import { generateSecret, hashPassword, hashSecret, secretMatches, verifyPassword, toStoredSecret } from '../../src-main/core/domain/credentials';

describe('client secrets', () => {
  it('are 256-bit, unique, stored as SHA-256 and compared exactly', () => {
    const a = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
    const stored = hashSecret(a);
    expect(secretMatches(a, stored)).toBe(true);
    expect(secretMatches(a + 'x', stored)).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
  });
  it('a configured expiration becomes a timestamp', () => {
    expect(toStoredSecret({ value: 'v', expiration: '2027-01-01T00:00:00Z' }).expiresAt).toBe(Date.UTC(2027, 0, 1));
  });
});

describe('passwords', () => {
  it('are hashed with scrypt and a random salt, and verify', async () => {
    const h1 = await hashPassword('correct horse');
    const h2 = await hashPassword('correct horse');
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword('correct horse', h1)).toBe(true);
    expect(await verifyPassword('correct horsf', h1)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});
