import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../lib/paths';
import { bundleWorkflows } from '../temporal/bundle-workflows';

// The production build (#13): each process becomes one JavaScript file under build/app/ that
// plain `node` runs (no tsx, no TypeScript at run time), the workflows a pre-built bundle the
// worker loads (WORKFLOW_BUNDLE_PATH), and the web app React Router's own build.
// Usage: npm run build [-- --skip-web] [--skip-workflows] [--outdir build/app]

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const outdir = path.resolve(repoRoot, arg('--outdir') ?? path.join('build', 'app'));
const entryPoints = {
  api: 'api/server.ts',
  worker: 'temporal/worker.ts',
  migrate: 'db/migrate.ts',
  seed: 'db/seed.ts',
  web: 'web/server.ts',
};

/**
 * Modules that find files next to themselves (lib/paths.ts's repoRoot, the migrations and seed
 * folders) read import.meta.url; bundled, that would be the output file's URL. Every output sits
 * directly in outdir, so the module's own (source) URL is rebuilt relative to it.
 */
const keepModuleUrls: Plugin = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
      if (!source.includes('import.meta.url')) return { contents: source, loader };
      const fromOutput = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOutput)}, import.meta.url).href`), loader };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: repoRoot,
  entryPoints,
  outdir,
  bundle: true,
  // Dependencies stay in node_modules (native addons: the Temporal core bridge, argon2, usearch).
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepModuleUrls],
});
console.log(`processes bundled into ${path.relative(repoRoot, outdir)}/: ${Object.keys(entryPoints).join(', ')}`);

if (!process.argv.includes('--skip-workflows')) {
  const bundle = await bundleWorkflows(path.join(repoRoot, 'build', 'workflow-bundle.js'));
  console.log(`workflow bundle written to ${path.relative(repoRoot, bundle)}`);
}

if (!process.argv.includes('--skip-web')) {
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', '@react-router', 'dev', 'bin.cjs'), 'build'], { cwd: repoRoot, stdio: 'inherit' });
}
