import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '#local/free-port';

export interface RunningBackend {
  apiUrl: string;
  sesUrl: string;
  eventsUrl: string;
  stepFunctionsUrl: string;
  smtpPort: number;
  dynamoDbUrl: string;
  fauxqsUrl: string;
  dynamoDbPid: number;
  process: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

/**
 * Starts the local runtime exactly as `npm start` does (a child process running local/main.ts),
 * on free ports, and resolves once it prints READY.
 */
export async function startBackend(options: {
  dataDir: string;
  reset?: boolean;
  context?: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<RunningBackend> {
  const [port, sesPort, eventsPort, stepFunctionsPort, smtpPort, dynamoDbPort, fauxqsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', ...(options.reset ? ['--reset'] : [])], {
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(sesPort),
      EVENTS_PORT: String(eventsPort),
      SFN_PORT: String(stepFunctionsPort),
      ...(options.context ? { SWITCHBOARD_CONTEXT: JSON.stringify(options.context) } : {}),
      SMTP_PORT: String(smtpPort),
      DYNAMODB_PORT: String(dynamoDbPort),
      FAUXQS_PORT: String(fauxqsPort),
      DATA_DIR: options.dataDir,
      LOG_REQUESTS: 'false',
      // Failed mail is redelivered after a second instead of minutes, so the dead-letter path is testable.
      LOCAL_SQS_VISIBILITY_TIMEOUT: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('READY ')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`the local runtime exited (${code}) before it was ready:\n${output.join('')}`)));
    setTimeout(() => reject(new Error(`the local runtime was not ready within 90 s:\n${output.join('')}`)), 90_000).unref();
  });
  await ready;
  const text = output.join('');
  const pid = /DynamoDB Local\s+\S+\s+\(pid (\d+)\)/.exec(text)?.[1];
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    sesUrl: `http://127.0.0.1:${sesPort}`,
    eventsUrl: `http://127.0.0.1:${eventsPort}`,
    stepFunctionsUrl: `http://127.0.0.1:${stepFunctionsPort}`,
    dynamoDbUrl: `http://127.0.0.1:${dynamoDbPort}`,
    fauxqsUrl: `http://127.0.0.1:${fauxqsPort}`,
    smtpPort,
    dynamoDbPid: Number(pid),
    process: child,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
