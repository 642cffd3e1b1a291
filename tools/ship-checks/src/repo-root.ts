import { resolve } from 'node:path';

/** Absolute path of the repository root (this file is `tools/ship-checks/src/repo-root.ts`). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
