import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { dataDir, repoRoot } from '../../lib/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    webBuildDir: string;
  }
}

// The e2e files' web app: one production build per run, served by each file's own server
// (test/support/web-app.ts), instead of a build per file (about 6 s of CPU each).
let buildDir = '';

export function setup(project: TestProject) {
  buildDir = path.join(dataDir, 'test', `web-${randomBytes(4).toString('hex')}`);
  buildWebApp(buildDir);
  project.provide('webBuildDir', buildDir);
}

export function teardown() {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}

/** A production build of the web app into `dir`. */
export function buildWebApp(dir: string): void {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@react-router/dev', 'bin.cjs'), 'build'], {
    cwd: repoRoot,
    env: { ...process.env, WEB_BUILD_DIR: dir },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
}
