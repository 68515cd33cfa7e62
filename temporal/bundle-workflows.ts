import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/paths';
import { failureConverterPath } from './codec/data-converter';
import { workflowsPath } from './worker.factory';
import { workflowBundlerOptions } from './workflow-bundle.options';

// Production workers load this pre-built bundle (WORKFLOW_BUNDLE_PATH) instead of running
// webpack at start-up.
export async function bundleWorkflows(outFile: string): Promise<string> {
  // webpack's per-module report is noise in test and dev output; warnings and errors still show.
  // The failure converter goes into the bundle too: failures raised in workflow code must be
  // encoded (and so encrypted) like the worker's.
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, ...workflowBundlerOptions(), logger: new DefaultLogger('WARN') });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return outFile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? path.join(repoRoot, 'build', 'workflow-bundle.js');
  await bundleWorkflows(out);
  console.log(`workflow bundle written to ${path.relative(repoRoot, out)}`);
}
