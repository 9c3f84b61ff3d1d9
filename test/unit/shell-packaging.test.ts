import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import config from '../../electron-builder';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  main: string;
};

/** electron-builder's own schema check, as `npm run dist` runs it before packaging. */
async function validate(configuration: unknown): Promise<void> {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
  const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(c: unknown, logger: { isEnabled: boolean }): Promise<void>;
  };
  await validateConfiguration(configuration, { isEnabled: false });
}

function png(file: string): PNG {
  return PNG.sync.read(readFileSync(join(ROOT, file)));
}

describe('packaging config (electron-builder.ts)', () => {
  it('passes electron-builder\'s schema, which rejects a misspelt option', async () => {
    await validate(config);
    await expect(validate({ ...config, linux: { ...config.linux, tagret: ['deb'] } })).rejects.toThrow(/Invalid configuration object/);
  });

  it('names every installer: Linux AppImage and deb, Windows NSIS, macOS dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.productName).toBe('Offline IdP');
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'resources' });
  });

  it('unpacks better-sqlite3 from the archive and rebuilds it for Electron', () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(pkg.scripts['rebuild:electron']).toBe('electron-builder install-app-deps');
  });

  it('publishes nothing and has no auto-update: the sites are air-gapped', () => {
    expect(config.publish).toBeNull();
    expect(Object.keys(pkg.dependencies)).not.toContain('electron-updater');
  });

  it('turns off the Electron fuses an IdP does not need (run as node, NODE_OPTIONS, inspector, loose app loading)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('packs the bundles and the images the app loads at run time, which exist', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'resources/icon.png', 'resources/tray/**/*']));
    expect(pkg.main).toBe('out/main/index.js');
    const icon = png('resources/icon.png');
    expect(icon.width).toBeGreaterThanOrEqual(512);
    expect(icon.height).toBe(icon.width);
    for (const name of ['tray', 'tray-down', 'trayTemplate', 'tray-downTemplate']) {
      expect(png(`resources/tray/${name}.png`).width, name).toBe(16);
      expect(png(`resources/tray/${name}@2x.png`).width, name).toBe(32);
    }
  });
});

describe('npm scripts', () => {
  it('start the desktop app, build every bundle, and package installers', () => {
    // The launcher checks for the optional Electron binary, then runs `electron-vite preview`.
    expect(pkg.scripts.start).toBe('tsx scripts/start-desktop.ts');
    expect(pkg.scripts.build).toBe('electron-vite build');
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder');
  });

  it('download nothing at install time', () => {
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(existsSync(join(ROOT, 'electron-builder.yml'))).toBe(false);
  });
});
