import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'web',
  // Tests build into their own folder so parallel runs never share one build.
  buildDirectory: process.env.WEB_BUILD_DIR ?? 'build/web',
  ssr: true,
} satisfies Config;
