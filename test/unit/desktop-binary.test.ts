import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import config from '../../electron-builder';
import { findElectronBinary } from '../../scripts/electron-binary';
import { electronOnlyPackages, lockedElectronVersion } from '../../scripts/electron-lock';
import { tempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/** A project folder whose node_modules/electron is in one of the states npm leaves it in. */
function project(electron: 'dropped' | 'no-binary' | 'installed'): string {
  const dir = tempDir('idp-electron-');
  dirs.push(dir);
  const pkgDir = join(dir.path, 'node_modules', 'electron');
  if (electron === 'dropped') return dir.path;
  mkdirSync(join(pkgDir, 'dist'), { recursive: true });
  writeFileSync(join(pkgDir, 'package.json'), '{"name":"electron","version":"38.8.6"}');
  if (electron === 'installed') {
    writeFileSync(join(pkgDir, 'path.txt'), 'electron');
    writeFileSync(join(pkgDir, 'dist', 'electron'), '');
  }
  return dir.path;
}

describe('electron is optional: npm install succeeds where its binary cannot be downloaded', () => {
  it('is an optional dependency, not a dev dependency npm would roll the whole install back for', () => {
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['electron']);
    expect(pkg.devDependencies.electron).toBeUndefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  it('electron-builder gets the locked release without an installed package, the one npm installs', () => {
    const version = lockedElectronVersion(ROOT);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(config.electronVersion).toBe(version);
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(version);
  });

  it('keeps Electron\'s npm package and its downloader out of the app, and nothing production needs', () => {
    const excluded = electronOnlyPackages(ROOT);
    expect(excluded).toEqual(expect.arrayContaining(['electron', '@electron/get', 'extract-zip', 'got']));
    for (const name of [...Object.keys(pkg.dependencies), 'bindings', 'prebuild-install', 'debug', 'semver']) expect(excluded, name).not.toContain(name);
    for (const name of excluded) expect(config.files).toContain(`!**/node_modules/${name}{,/**/*}`);
  });
});

describe('npm start without the Electron binary', () => {
  it('finds the binary where the electron package says it is', () => {
    const root = project('installed');
    expect(findElectronBinary(root)).toEqual({ found: true, path: join(root, 'node_modules/electron/dist/electron') });
  });

  it('says to run npm install again where npm dropped the package, and offers npm run serve', () => {
    const found = findElectronBinary(project('dropped'));
    expect(found.found).toBe(false);
    if (!found.found) expect(found.message).toMatch(/run `npm install` again[\s\S]*`npm run serve`/);
  });

  it('says to run the package\'s installer where the download was skipped', () => {
    const found = findElectronBinary(project('no-binary'));
    expect(found.found).toBe(false);
    if (!found.found) expect(found.message).toContain('`node node_modules/electron/install.js`');
  });

  it('prints that message and exits 1, not electron-vite\'s "Electron uninstall" stack', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/start-desktop.ts')], {
      cwd: project('dropped'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toMatch(/^npm start needs the Electron desktop binary, which is not installed/);
    expect(r.stderr).not.toMatch(/uninstall|at .*\.js:\d+/);
    expect(r.status).toBe(1);
  });
});
