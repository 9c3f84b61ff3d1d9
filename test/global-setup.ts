import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the bundles once before any test: the console tests load the built renderer from the
 * admin listener exactly as an operator's browser does, and the shell tests inspect the built
 * preload. A build failure fails the run.
 *
 * OFFLINE_IDP_TEST_REUSE_BUILD=1 keeps an existing `out/` (for running single files while
 * editing core code; several runs at once would otherwise rebuild `out/` under each other).
 */
export default function setup(): void {
  if (process.env.OFFLINE_IDP_TEST_REUSE_BUILD === '1' && existsSync(`${ROOT}out/renderer/index.html`)) return;
  const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`electron-vite build failed before the tests:\n${r.stdout}\n${r.stderr}`);
}
