// Built into web/dist by scripts/build_web.sh; src/web embeds dist into the
// xpusim binary. `npm run dev` proxies /api to a running `xpusim ui --port 8080`.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
