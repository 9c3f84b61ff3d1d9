import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; message: string };

const WITHOUT_IT =
  'Without the desktop app, `npm run serve` runs the same IdP and prints a console URL to open in a browser on this machine: it is the same console.';

/**
 * Where the Electron binary `npm start` runs is, or why it is missing and how to get it. electron
 * is an optional dependency: npm drops the package where its install script cannot download the
 * binary (from github.com, not the npm registry), and ELECTRON_SKIP_BINARY_DOWNLOAD=1 keeps the
 * package without the binary. The layout (`path.txt` naming a file under `dist/`) is the one the
 * electron package's own index.js and electron-vite read.
 */
export function findElectronBinary(projectRoot: string): ElectronBinary {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) {
    return {
      found: false,
      message:
        'npm start needs the Electron desktop binary, which is not installed: npm skips it when the download from github.com fails.\n' +
        'On a machine that can reach github.com, run `npm install` again: it retries the download.\n' +
        WITHOUT_IT,
    };
  }
  const pathFile = join(pkg, 'path.txt');
  const binary = existsSync(pathFile) ? join(pkg, 'dist', readFileSync(pathFile, 'utf8')) : undefined;
  if (binary === undefined || !existsSync(binary)) {
    return {
      found: false,
      message:
        'npm start needs the Electron desktop binary: the electron package is installed without it (ELECTRON_SKIP_BINARY_DOWNLOAD=1 at install time?).\n' +
        'On a machine that can reach github.com, run `node node_modules/electron/install.js` to download it.\n' +
        WITHOUT_IT,
    };
  }
  return { found: true, path: binary };
}
