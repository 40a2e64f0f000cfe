import { build } from 'esbuild';
import { esbuildOptions } from '../lib/constructs/bundling.js';
import type { Figure } from './report.js';

/**
 * Bundles every Lambda entry with exactly the function construct's esbuild settings and reports the
 * size of the code Lambda loads (index.mjs, without its source map).
 */
export async function measureBundles(entries: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const entry of entries) {
    const result = await build({
      ...esbuildOptions,
      external: [...esbuildOptions.external],
      entryPoints: [entry],
      write: false,
      outdir: 'out',
      outExtension: { '.js': '.mjs' },
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
    const name = entry.replace(/^functions\/handlers\//, '').replace(/\.ts$/, '');
    figures.push({
      name: `bundle ${name}`,
      value: Math.round((code?.contents.byteLength ?? 0) / 1024),
      unit: 'KiB',
      target: '<= 1024 KiB',
    });
  }
  return figures;
}
