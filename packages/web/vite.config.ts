// Dashboard build: Preact via its Vite preset, output in dist/ which the fleet server serves.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
});
