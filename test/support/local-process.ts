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
  /** Everything printed, stdout and stderr interleaved. */
  output: string[];
  /** What was printed on stderr alone. */
  errors: string[];
  /** Sends SIGTERM to the runtime and resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Ctrl-C in a terminal: SIGINT to the runtime's whole process group; resolves with its exit code. */
  interrupt(): Promise<number | null>;
}

/**
 * Starts the local runtime exactly as `npm start` does (a child process running local/main.ts,
 * in a process group of its own as a terminal would run it) and resolves once it prints READY. The
 * ports a user sees (API, SES viewer, SMTP) are free ones passed in; the stand-ins' internal ports
 * are left to the runtime, which picks free ones, and read from its start-up listing.
 */
export async function startBackend(options: {
  dataDir: string;
  reset?: boolean;
  context?: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<RunningBackend> {
  const [port, sesPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', ...(options.reset ? ['--reset'] : [])], {
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(sesPort),
      ...(options.context ? { SWITCHBOARD_CONTEXT: JSON.stringify(options.context) } : {}),
      SMTP_PORT: String(smtpPort),
      DATA_DIR: options.dataDir,
      LOG_REQUESTS: 'false',
      // Failed mail is redelivered after a second instead of minutes, so the dead-letter path is testable.
      LOCAL_SQS_VISIBILITY_TIMEOUT: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const errors: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('READY ')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      errors.push(chunk.toString());
    });
    void exited.then((code) => reject(new Error(`the local runtime exited (${code}) before it was ready:\n${output.join('')}`)));
    setTimeout(() => reject(new Error(`the local runtime was not ready within 240 s:\n${output.join('')}`)), 240_000).unref();
  });
  try {
    await ready;
  } catch (error) {
    // SIGTERM, so the runtime stops its JVM (in a process group of its own) on the way out.
    if (child.exitCode === null) child.kill('SIGTERM');
    throw error;
  }
  const text = output.join('');
  const listed = (label: string) => {
    const url = new RegExp(`^\\s*${label}\\s+(http://\\S+)`, 'm').exec(text)?.[1];
    if (!url) throw new Error(`the start-up listing has no ${label} line:\n${text}`);
    return url;
  };
  const pid = /DynamoDB Local\s+\S+\s+\(pid (\d+)\)/.exec(text)?.[1];
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    sesUrl: `http://127.0.0.1:${sesPort}`,
    eventsUrl: listed('EventBridge'),
    stepFunctionsUrl: listed('Step Functions'),
    dynamoDbUrl: listed('DynamoDB Local'),
    fauxqsUrl: listed('SQS/S3 stand-in'),
    smtpPort,
    dynamoDbPid: Number(pid),
    process: child,
    output,
    errors,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    interrupt: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      return exited;
    },
  };
}
