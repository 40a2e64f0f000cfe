import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the repository root (this file lives in `lib/`). Function entries, the lock file
 * and cdk.json are resolved from here, so synthesis works from any working directory.
 */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
