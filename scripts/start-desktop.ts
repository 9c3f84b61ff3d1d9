import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { findElectronBinary } from './electron-binary';

/**
 * `npm start`: builds the bundles and opens the desktop app (electron-vite preview), or, where
 * the Electron binary is missing, says how to get it and exits 1 instead of electron-vite's bare
 * "Electron uninstall" stack.
 */
const binary = findElectronBinary(process.cwd());
if (!binary.found) {
  process.stderr.write(`${binary.message}\n`);
  process.exit(1);
}
const electronVite = createRequire(import.meta.url).resolve('electron-vite/bin/electron-vite.js');
const child = spawn(process.execPath, [electronVite, 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary.path },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
