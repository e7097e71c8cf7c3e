import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the server (npm start, port 8080 by default) answers /api and the terminal WebSocket.
const target = process.env.NETLAB_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { proxy: { '/api': { target, ws: true, changeOrigin: false } } },
});
