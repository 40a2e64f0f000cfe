import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import sesLocalModule from 'aws-ses-v2-local';
import { getStoreReadonly } from 'aws-ses-v2-local/dist/store.js';

type StartSesLocal = (config?: { host?: string; port?: number }) => Promise<Server>;

/**
 * Starts the SES stand-in (`aws-ses-v2-local`) in-process. It is a CommonJS module whose default
 * export arrives wrapped once more when imported from ESM, hence the unwrapping.
 *
 * The stand-in keeps captured mail in a module-level array only; with `mailFile` the runtime loads
 * that file into it before serving and `saveMail` writes it back at stop, so the outbox viewer
 * shows the same mail after a restart.
 */
export async function startSesLocal(options: { port: number; mailFile: string | null }): Promise<Server> {
  const moduleValue = sesLocalModule as unknown as StartSesLocal | { default: StartSesLocal };
  const start = typeof moduleValue === 'function' ? moduleValue : moduleValue.default;
  if (options.mailFile && existsSync(options.mailFile)) {
    const saved = JSON.parse(readFileSync(options.mailFile, 'utf8')) as unknown;
    const { emails } = getStoreReadonly();
    if (Array.isArray(saved)) emails.splice(0, emails.length, ...(saved as typeof emails));
  }
  return start({ host: '127.0.0.1', port: options.port });
}

/** Writes the captured mail to `mailFile` (atomically: a temporary file renamed over it). */
export function saveMail(mailFile: string): void {
  mkdirSync(dirname(mailFile), { recursive: true });
  const temporary = `${mailFile}.tmp`;
  writeFileSync(temporary, JSON.stringify(getStoreReadonly().emails));
  renameSync(temporary, mailFile);
}
