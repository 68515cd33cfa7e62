import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';
import path from 'node:path';

export default defineConfig({
  plugins: [reactRouter()],
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'web') } },
  // The dev server must not watch the Temporal database, Postgres data or tools: thousands of
  // inotify watches and a third of a core under load (issue 13).
  server: { host: '127.0.0.1', watch: { ignored: ['**/.data/**', '**/.tools/**', '**/node_modules/**', '**/build/**'] } },
});
