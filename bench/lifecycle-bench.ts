import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#local/free-port';

/**
 * `npx tsx bench/lifecycle-bench.ts`: how long `npm start` takes from a fresh data directory and
 * after a restart (with the state the first run left: a case, an accepted offer, a mail), and how
 * long Ctrl-C takes to stop each, with the lines each printed on stderr. The runtime is started as
 * `npm start` starts it (local/main.ts in a child process, in a process group of its own so the
 * signal is sent as a terminal sends it). Timings vary with the machine's load; the ratio of restart
 * to fresh start is the figure to compare. BENCH_LIFECYCLE_RUNS sets the rounds (default 2).
 */
interface Started {
  child: ChildProcess;
  apiUrl: string;
  readyMs: number;
  stderr: string[];
  exited: Promise<number | null>;
}

async function start(dataDir: string, reset: boolean): Promise<Started> {
  const [port, sesPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', ...(reset ? ['--reset'] : [])], {
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(sesPort),
      SMTP_PORT: String(smtpPort),
      DATA_DIR: dataDir,
      LOG_REQUESTS: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('READY ')) resolve();
    });
    void exited.then((code) => reject(new Error(`exited (${code}) before READY:\n${output}${stderr.join('')}`)));
  });
  return { child, apiUrl: `http://127.0.0.1:${port}`, readyMs: performance.now() - began, stderr, exited };
}

async function interrupt(started: Started): Promise<number> {
  const began = performance.now();
  process.kill(-(started.child.pid as number), 'SIGINT');
  await started.exited;
  return performance.now() - began;
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });
  return response.json();
}

/** State for the restart to carry: an available agent, a case offered to her and accepted. */
async function makeState(apiUrl: string): Promise<void> {
  const admin = (await json(`${apiUrl}/local/token`, { method: 'POST', body: '{"username":"admin"}' })).token as string;
  const anna = (await json(`${apiUrl}/local/token`, { method: 'POST', body: '{"username":"anna.nowak"}' })).token as string;
  await json(`${apiUrl}/agents/anna.nowak/presence`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${admin}` },
    body: '{"status":"available"}',
  });
  const opened = await json(`${apiUrl}/cases`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      subject: 'Bench',
      description: '…',
      channel: 'email',
      language: 'pl',
      category: 'orders',
      customer: { email: 'bench@example.pl' },
    }),
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const work = await json(`${apiUrl}/agents/anna.nowak/work`, { headers: { Authorization: `Bearer ${anna}` } });
    const offer = (work.offers as { id: string; caseId: string }[]).find((item) => item.caseId === opened.id);
    if (offer) {
      await json(`${apiUrl}/work/${offer.id}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${anna}` } });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no offer within 60 s');
}

const rounds = Number(process.env.BENCH_LIFECYCLE_RUNS ?? 2);
const rows: Record<string, number | string>[] = [];
for (let round = 1; round <= rounds; round += 1) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-lifecycle-bench-'));
  try {
    const fresh = await start(dataDir, true);
    await makeState(fresh.apiUrl);
    const freshStopMs = await interrupt(fresh);
    const restarted = await start(dataDir, false);
    const restartStopMs = await interrupt(restarted);
    rows.push({
      round,
      freshReadyS: +(fresh.readyMs / 1000).toFixed(1),
      restartReadyS: +(restarted.readyMs / 1000).toFixed(1),
      restartOverFresh: +(restarted.readyMs / fresh.readyMs).toFixed(2),
      freshStopS: +(freshStopMs / 1000).toFixed(2),
      restartStopS: +(restartStopMs / 1000).toFixed(2),
      stderrLines: [...fresh.stderr, ...restarted.stderr].join('').split('\n').filter(Boolean).length,
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.table(rows);
