import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so scripts work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = path.join(repoRoot, '.tools');
export const dataDir = path.join(repoRoot, '.data');
export const temporalCli = process.env.TEMPORAL_CLI ?? path.join(toolsDir, 'py', 'bin', 'temporal');
