import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { APP_VERSION_CHANNEL } from '../../src-main/electron/ipc-channels';

/** Checks of the bundles `npm run build` makes (the test run builds them first). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function read(file: string): string {
  const path = join(ROOT, file);
  if (!existsSync(path)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return readFileSync(path, 'utf8');
}

/** Every module specifier a bundle loads, following its own chunks. */
function importedModules(entry: string): Set<string> {
  const modules = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = read(file);
    for (const [, specifier] of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      if (specifier?.startsWith('.')) visit(join(dirname(file), specifier));
      else if (specifier) modules.add(specifier);
    }
  };
  visit(entry);
  return modules;
}

describe('built preload (out/preload/index.cjs)', () => {
  it('is one CommonJS script that requires nothing but electron, as a sandboxed preload must', () => {
    const source = read('out/preload/index.cjs');
    expect(() => new vm.Script(source, { filename: 'index.cjs' })).not.toThrow();
    expect(source).not.toMatch(/^\s*(import|export)\b/m);
    const required = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes named functions only: offlineIdp.appVersion over its one fixed channel', async () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const invoke = vi.fn(async () => '0.1.0');
    const electron = { contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) }, ipcRenderer: { invoke } };
    const module = { exports: {} };
    vm.runInNewContext(read('out/preload/index.cjs'), { require: () => electron, module, exports: module.exports });
    expect([...exposed.keys()]).toEqual(['offlineIdp']);
    const api = exposed.get('offlineIdp') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['appVersion']);
    expect(await (api.appVersion as (...args: unknown[]) => Promise<string>)('evil-channel', 'payload')).toBe('0.1.0');
    expect(invoke.mock.calls).toEqual([[APP_VERSION_CHANNEL]]);
  });
});

describe('built main-process bundles (out/main)', () => {
  it('keep the core out of the Electron main process', () => {
    const shell = importedModules('out/main/index.js');
    expect(shell.has('electron')).toBe(true);
    for (const core of ['better-sqlite3', 'express', 'jose']) expect(shell.has(core), core).toBe(false);
  });

  it('run the core in a utility process entry that never loads electron, like the CLI', () => {
    const core = importedModules('out/main/core-process.js');
    expect(core.has('better-sqlite3')).toBe(true);
    expect(core.has('electron')).toBe(false);
    expect(importedModules('out/main/cli.js').has('electron')).toBe(false);
  });

  it('are where main.ts looks for them', () => {
    const main = read('out/main/index.js');
    expect(main).toContain('"core-process.js"');
    expect(main).toContain('"../preload/index.cjs"');
    expect(existsSync(resolve(ROOT, 'out/main', '../preload/index.cjs'))).toBe(true);
  });
});
