import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBackend, startBackend } from '../support/local-process.js';

/**
 * The shell examples of the README and docs/ run as written. Every fenced `sh`/`bash`/`shell` block
 * either talks to the local runtime (a `localhost:<port>` or `127.0.0.1:<port>` address, or an SMTP
 * `port:`), and is run, or is preceded by `<!-- not-run: <reason> -->` (installing, starting the
 * runtime, deploying, the AWS CLI). A block that is neither fails the first test, so none is left
 * out silently. The blocks that run are run in document order (README.md, then docs/ by path) in
 * one bash session, so a variable one block sets (`TOKEN`) serves the next, against one runtime
 * started as `npm start` starts it, with `SLA_TIME_SCALE=600` as the SLA example asks. The ports of
 * the docs (3000, 8005, 2525) are replaced by the runtime's; `curl` fails on any answer that is not
 * 2xx (`--fail-with-body`), and so does the script (`set -eo pipefail`).
 */
const ROOT = process.cwd();
const DOC_PORTS = { api: 3000, ses: 8005, smtp: 2525 } as const;
const TALKS_TO_RUNTIME = /\b(?:localhost|127\.0\.0\.1):\d+|\bport:\s*\d+/;
const NOT_RUN = /^<!--\s*not-run:\s*(\S.*?)\s*-->$/;

interface ShellBlock {
  /** `README.md:42`: the file and the line of the opening fence. */
  where: string;
  code: string;
  /** The reason given in a `<!-- not-run: … -->` comment right before the block, or null. */
  notRun: string | null;
}

function markdownFiles(): string[] {
  const walk = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(join(directory, entry.name)) : [join(directory, entry.name)]))
      .filter((file) => file.endsWith('.md'));
  return [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs')).sort()];
}

function shellBlocks(file: string): ShellBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const opening = /^(\s*)```(\w*)\s*$/.exec(lines[i] as string);
    if (!opening) continue;
    const indent = opening[1]?.length ?? 0;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    const closing = end === -1 ? lines.length : end;
    if (['sh', 'bash', 'shell'].includes(opening[2] ?? '')) {
      const before = lines
        .slice(0, i)
        .reverse()
        .find((line) => line.trim() !== '');
      blocks.push({
        where: `${relative(ROOT, file)}:${i + 1}`,
        code: lines
          .slice(i + 1, closing)
          .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
          .join('\n'),
        notRun: NOT_RUN.exec(before?.trim() ?? '')?.[1] ?? null,
      });
    }
    i = closing;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap(shellBlocks);
const runnable = blocks.filter((block) => block.notRun === null && TALKS_TO_RUNTIME.test(block.code));

/** The block with the docs' ports replaced by the runtime's. */
function withPorts(code: string, backend: RunningBackend): string {
  const ports = new Map<number, number>([
    [DOC_PORTS.api, Number(new URL(backend.apiUrl).port)],
    [DOC_PORTS.ses, Number(new URL(backend.sesUrl).port)],
    [DOC_PORTS.smtp, backend.smtpPort],
  ]);
  return code
    .replace(/\b(localhost|127\.0\.0\.1):(\d+)/g, (found, host: string, port: string) =>
      ports.has(Number(port)) ? `${host}:${ports.get(Number(port))}` : found,
    )
    .replace(/\bport:\s*(\d+)/g, (found, port: string) => (ports.has(Number(port)) ? `port:${ports.get(Number(port))}` : found));
}

function script(backend: RunningBackend): string {
  return [
    'set -eo pipefail',
    'curl() { command curl --fail-with-body --show-error "$@"; }',
    'trap \'echo "FAILED: the block at $BLOCK (exit $?)" >&2\' ERR',
    ...runnable.flatMap((block) => [`BLOCK='${block.where}'`, `echo "=== ${block.where}"`, withPorts(block.code, backend), 'echo']),
  ].join('\n');
}

function runBash(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', text], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the README and docs examples', () => {
  it('are each run by this test or marked <!-- not-run: reason -->, and none starts the runtime itself', () => {
    const unaccounted = blocks.filter((block) => block.notRun === null && !TALKS_TO_RUNTIME.test(block.code));
    const startsRuntime = runnable.filter((block) => /\bnpm (start|run start)\b/.test(block.code));

    expect(unaccounted.map((block) => block.where)).toEqual([]);
    expect(startsRuntime.map((block) => block.where)).toEqual([]);
    expect(runnable.map((block) => block.where)).toEqual(expect.arrayContaining([expect.stringMatching(/^README\.md:/)]));
  });

  describe('against a runtime started as npm start starts it', () => {
    let backend: RunningBackend;
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-readme-'));
    beforeAll(async () => {
      backend = await startBackend({ dataDir, reset: true, env: { SLA_TIME_SCALE: '600' } });
    }, 300_000);
    afterAll(async () => {
      await backend?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('run in order, every answer 2xx', async () => {
      const { code, output } = await runBash(script(backend));

      expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    }, 300_000);
  });
});
