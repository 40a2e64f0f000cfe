import { writeFileSync } from 'node:fs';

/** One measured figure, as `bench/results.json` keeps it so runs can be compared. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target the issue sets, in words, when there is one. */
  target?: string;
}

/** Percentile of a sample by nearest rank (p in 0–100). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Milliseconds each of `iterations` sequential runs took. */
export async function timed(iterations: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Prints the figures as a table and writes them all to the results file. */
export function report(figures: Figure[], file: string, meta: Record<string, unknown>): void {
  const nameWidth = Math.max(...figures.map((figure) => figure.name.length), 6);
  const valueWidth = Math.max(...figures.map((figure) => String(figure.value).length), 5);
  console.log(`${'figure'.padEnd(nameWidth)}  ${'value'.padStart(valueWidth)}  unit       target`);
  console.log(`${'-'.repeat(nameWidth)}  ${'-'.repeat(valueWidth)}  ---------  ------`);
  for (const figure of figures) {
    console.log(
      `${figure.name.padEnd(nameWidth)}  ${String(figure.value).padStart(valueWidth)}  ${figure.unit.padEnd(9)}  ${figure.target ?? ''}`,
    );
  }
  writeFileSync(file, `${JSON.stringify({ ...meta, figures }, null, 2)}\n`);
  console.log(`\nwrote ${figures.length} figures to ${file}`);
}
