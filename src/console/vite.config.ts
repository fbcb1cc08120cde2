/**
 * Builds the console into dist/console, served by every node under /console/ (src/server/console.ts).
 * `npx vite --config src/console/vite.config.ts` runs it against a node at PARLEY_URL for development.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { catalogueValidators } from '../../scripts/console-validators.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const node = process.env.PARLEY_URL ?? 'http://127.0.0.1:7300';

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react(), catalogueValidators()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The map (MapLibre and the Natural Earth boundaries) is its own chunk, loaded on first visit.
    chunkSizeWarningLimit: 2500,
  },
  server: { proxy: { '/api': { target: node, changeOrigin: false } } },
});
