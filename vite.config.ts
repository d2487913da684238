import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The client lives in client/; the server serves its build from dist/client. `--mode e2e` builds the
// page Playwright drives into dist/e2e: only that build carries the test hooks (client/testing/),
// because `import.meta.env.MODE === 'e2e'` is false at build time everywhere else and the hooks'
// import is dropped from the bundle.
export default defineConfig(({ mode }) => ({
  root: 'client',
  plugins: [react()],
  // Two pages: the guest app (index.html) and the back office (admin.html, served at /admin).
  build: {
    outDir: mode === 'e2e' ? '../dist/e2e' : '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'client/index.html'),
        admin: resolve(import.meta.dirname, 'client/admin.html'),
      },
    },
  },
  server: {
    // `npm run dev`: the Maya server runs beside Vite; Vite proxies the websocket and health routes to it.
    proxy: {
      '/ws': { target: `ws://127.0.0.1:${process.env.MAYA_API_PORT ?? 3001}`, ws: true },
      '/healthz': `http://127.0.0.1:${process.env.MAYA_API_PORT ?? 3001}`,
      '/readyz': `http://127.0.0.1:${process.env.MAYA_API_PORT ?? 3001}`,
      '/admin/api': `http://127.0.0.1:${process.env.MAYA_API_PORT ?? 3001}`,
    },
  },
}));
