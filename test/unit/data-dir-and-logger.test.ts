import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src-main/core/config';
import { createLogger } from '../../src-main/core/logger';

describe('default data dir', () => {
  it('matches Electron\'s userData folder on each platform', () => {
    expect(defaultDataDir({}, 'linux', '/home/op')).toBe('/home/op/.config/offline-idp');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/op')).toBe('/x/offline-idp');
    expect(defaultDataDir({}, 'darwin', '/Users/op')).toBe('/Users/op/Library/Application Support/offline-idp');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'win32', 'C:\\Users\\op')).toMatch(/offline-idp$/);
  });
});

describe('logger', () => {
  it('writes JSON lines and redacts credential-named fields at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.warn('auth failed', { clientId: 'a', client_secret: 's3cret', nested: { access_token: 'tok', password: 'pw' } });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'warn', msg: 'auth failed', clientId: 'a', client_secret: '[redacted]', nested: { access_token: '[redacted]', password: '[redacted]' } });
    expect(lines[0]).not.toMatch(/s3cret|tok"|pw"/);
  });
  it('drops messages below its level', () => {
    const lines: string[] = [];
    createLogger({ level: 'warn', write: (l) => lines.push(l) }).info('quiet');
    expect(lines).toEqual([]);
  });
});
