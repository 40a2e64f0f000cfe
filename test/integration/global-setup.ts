import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBackend } from '../support/local-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    sesUrl: string;
    /** The EventBridge stand-in; `GET <eventsUrl>/events?detailType=&source=` lists the events put. */
    eventsUrl: string;
    dynamoDbUrl: string;
    smtpPort: number;
    fauxqsUrl: string;
  }
}

/** One local backend for the whole integration suite, started the way `npm start` starts it. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-it-'));
  const backend = await startBackend({ dataDir, reset: true });
  project.provide('apiUrl', backend.apiUrl);
  project.provide('sesUrl', backend.sesUrl);
  project.provide('eventsUrl', backend.eventsUrl);
  project.provide('dynamoDbUrl', backend.dynamoDbUrl);
  project.provide('smtpPort', backend.smtpPort);
  project.provide('fauxqsUrl', backend.fauxqsUrl);
  return async () => {
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
