// Builds the web client into dist/web (served by the API at `/`). Hashed file names under
// /assets let the server send them with a year-long immutable cache.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline module-preload polyfill: the app must run under a CSP without 'unsafe-inline'.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
