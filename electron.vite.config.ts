import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { lockedElectronVersion } from './scripts/electron-lock';

// electron-vite takes the main and preload bundles' Node target (and ES module support) from the
// installed electron package's major version; electron is optional and missing where its binary
// could not be downloaded, so name the locked release's major (an explicit value wins).
process.env.ELECTRON_MAJOR_VER ??= lockedElectronVersion(process.cwd()).split('.')[0];

/**
 * Three bundles: the main process (the Electron shell, the core's utility-process entry and the
 * `cli` entry; only the last two load the core),
 * the preload (CommonJS: sandboxed preloads cannot be ES modules), and the Svelte renderer.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          'core-process': resolve('src-main/electron/core-process.ts'),
          cli: resolve('src-main/cli/main.ts'),
          // The core's batch writer thread (core/admin/batch-writer.ts), loaded by file name.
          'batch-writer-worker': resolve('src-main/core/admin/batch-writer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: 'out/renderer',
      // Served over HTTP to any browser on the machine, not only read from disk by Electron.
      minify: true,
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
    plugins: [svelte()],
  },
});
