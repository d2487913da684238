import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The client lives in client/; the server serves its build from dist/client.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  // Two pages: the guest app (index.html) and the back office (admin.html, served at /admin).
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'client/index.html'), admin: resolve(import.meta.dirname, 'client/admin.html') } },
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
});
