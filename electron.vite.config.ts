import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

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
