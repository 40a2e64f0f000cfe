import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';

type StartSesLocal = (config?: { host?: string; port?: number }) => Promise<Server>;

/**
 * Starts the SES stand-in (`aws-ses-v2-local`) in-process. It is a CommonJS module whose default
 * export arrives wrapped once more when imported from ESM, hence the unwrapping.
 */
export function startSesLocal(options: { port: number }): Promise<Server> {
  const moduleValue = sesLocalModule as unknown as StartSesLocal | { default: StartSesLocal };
  const start = typeof moduleValue === 'function' ? moduleValue : moduleValue.default;
  return start({ host: '127.0.0.1', port: options.port });
}
