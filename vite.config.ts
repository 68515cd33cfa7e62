import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';
import path from 'node:path';
// With its extension: Vite loads this config outside the bundler's resolution (and warns about
// extensionless imports), unlike the app's own files.
import { limitRequestBody, webBodyLimit } from './web/lib/body-limit.server.ts';

export default defineConfig({
  plugins: [
    // `react-router dev` bounds request bodies as the production server does (web/server.ts):
    // registered before React Router's handler, which reads a body whole.
    { name: 'leadline-body-limit', configureServer: (server) => void server.middlewares.use(limitRequestBody(webBodyLimit())) },
    reactRouter(),
  ],
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'web') } },
  // The dev server must not watch the Temporal database, Postgres data or tools: thousands of
  // inotify watches and a third of a core under load (issue 13).
  // zod reaches the browser through shared domain schemas, which Vite finds only after the first
  // page loads; it then re-optimizes and reloads that page (a first sign-in was lost to it).
  optimizeDeps: { include: ['zod'] },
  server: { host: '127.0.0.1', watch: { ignored: ['**/.data/**', '**/.tools/**', '**/node_modules/**', '**/build/**'] } },
});
