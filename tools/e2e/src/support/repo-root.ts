import { resolve } from 'node:path';

/** The workspace root (where `npm start` runs and `dist/apps` is built). */
export const REPO_ROOT = resolve(__dirname, '../../../..');
