import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The FITS reader (pixels and WCS in the frame view) from its TypeScript sources: no build of
    // packages/fits is needed, and only the frame screen's chunk contains it.
    alias: { '@aims/fits': fileURLToPath(new URL('../fits/src/index.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', reportCompressedSize: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
