import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const dir = tempDir('idp-package-');
afterAll(() => dir.remove());

/**
 * electron-builder packs production and optional dependencies; electron is an optional one, so
 * this packs the app for real (`--dir`, Linux) and reads app.asar. The only stand-ins: an empty
 * file as the Electron executable (so nothing is downloaded), hence no fuses to flip in it, and
 * no rebuild of better-sqlite3 for Electron's ABI (that needs Electron's headers from the network).
 */
function packApp(): Promise<string> {
  const electronDist = join(dir.path, 'electron-dist');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(join(electronDist, 'electron'), '', { mode: 0o755 });
  const output = join(dir.path, 'dist');
  const configFile = join(dir.path, 'electron-builder.check.ts');
  writeFileSync(
    configFile,
    `import config from ${JSON.stringify(join(ROOT, 'electron-builder.ts'))};
const { electronFuses: _fuses, ...rest } = config;
export default { ...rest, npmRebuild: false, electronDist: ${JSON.stringify(electronDist)}, directories: { ...config.directories, output: ${JSON.stringify(output)} } };
`,
  );
  const cli = join(require.resolve('electron-builder/package.json'), '../cli.js');
  const child = spawn(process.execPath, [cli, '--linux', 'dir', '--config', configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(join(output, 'linux-unpacked/resources/app.asar')) : reject(new Error(`electron-builder exited ${code}:\n${log}`)))),
  );
}

describe('the packaged desktop app', () => {
  it('holds the production dependencies and the bundles, and not Electron\'s npm package or its downloader', async () => {
    const asar = join(require.resolve('@electron/asar/package.json'), '..');
    const { listPackage } = require(asar) as { listPackage(archive: string): string[] };
    const files = listPackage(await packApp());
    const modules = new Set(files.map((f) => /^[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(f)?.[1]?.replace('\\', '/')).filter(Boolean));
    for (const name of ['better-sqlite3', 'bindings', 'express', 'jose', 'zod', 'fflate', 'qrcode']) expect(modules, name).toContain(name);
    for (const name of ['electron', '@electron/get', 'extract-zip', 'got']) expect(modules, name).not.toContain(name);
    expect(files.some((f) => f.replaceAll('\\', '/') === '/out/main/index.js')).toBe(true);
  });
});
