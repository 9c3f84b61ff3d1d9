import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What package-lock.json says about Electron, which is an optional dependency: its install
 * script downloads the desktop binary from GitHub, and where that fails npm drops the package
 * (and only it) instead of rolling back the whole install. The build tools therefore cannot
 * rely on `node_modules/electron` being there; the lockfile always names the release.
 */

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function lockPackages(projectRoot: string): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockEntry> };
  if (!lock.packages) throw new Error('package-lock.json has no "packages" map (lockfileVersion 2 or later is needed)');
  return lock.packages;
}

/** The exact Electron release the project is built and packaged for. */
export function lockedElectronVersion(projectRoot: string): string {
  const version = lockPackages(projectRoot)['node_modules/electron']?.version;
  if (!version) throw new Error('package-lock.json does not pin electron: run `npm install --package-lock-only`');
  return version;
}

/** Node's lookup as npm lays packages out: `from`'s own node_modules, then each ancestor's. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

/** Every package path reachable from `starts` through dependencies and optional dependencies. */
function reachable(packages: Record<string, LockEntry>, starts: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = packages[path]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const target = resolveIn(packages, path, name);
      if (target !== undefined) queue.push(target);
    }
  }
  return seen;
}

function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * Names of the packages only Electron's installer needs (electron itself, @electron/get, got …),
 * none of which the app's production dependencies use in any version. electron-builder packs
 * optional dependencies with production ones, so these are excluded from the app by name
 * (it lays modules out anew, so a path from this lockfile would not match its copy).
 */
export function electronOnlyPackages(projectRoot: string): string[] {
  const packages = lockPackages(projectRoot);
  const production = reachable(packages, Object.keys(packages['']?.dependencies ?? {}).map((name) => `node_modules/${name}`));
  const productionNames = new Set([...production].map(packageName));
  const electron = reachable(packages, ['node_modules/electron']);
  return [...new Set([...electron].map(packageName))].filter((name) => !productionNames.has(name)).sort();
}
