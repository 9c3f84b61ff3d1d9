import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src-main/core/protocol/request-params';
import { OAuthError } from '../../src-main/core/protocol/errors';

describe('form parsing (RFC 6749 §3.1, §3.2; RFC 8707 §2)', () => {
  it('decodes + as space and percent escapes as UTF-8', () => {
    const p = parseForm('scope=a+b%20c&name=%C3%A9');
    expect(p.get('scope')).toBe('a b c');
    expect(p.get('name')).toBe('é');
  });
  it('treats empty values as absent', () => {
    const p = parseForm('scope=&grant_type=x');
    expect(p.has('scope')).toBe(false);
    expect(p.get('grant_type')).toBe('x');
  });
  it('refuses any repeated parameter except resource', () => {
    expect(() => parseForm('a=1&a=2')).toThrow(OAuthError);
    expect(parseForm('resource=x&resource=y').all('resource')).toEqual(['x', 'y']);
  });
  it('refuses escapes that are not UTF-8', () => {
    expect(() => parseForm('a=%FF')).toThrow(/UTF-8/);
    expect(() => parseForm('a=%E2%82')).toThrow(/UTF-8/);
  });
  it('a restricted view hides undeclared parameters', () => {
    const p = parseForm('scope=s&client_secret=x&resource=r').only(new Set(['scope', 'resource']));
    expect(p.has('client_secret')).toBe(false);
    expect(p.get('scope')).toBe('s');
  });
});
