import type { BuildOptions } from 'esbuild';

/**
 * The esbuild settings of every Lambda bundle, independent of the entry. The function construct
 * hands them to NodejsFunction; the bundle benchmark passes them to esbuild's JS API, so both build
 * byte-for-byte the same code. Importing this module has no side effects and loads no CDK code.
 */

/** Oldest Node.js the bundles must run on: the runtime floor is nodejs22.x. */
export const BUNDLE_TARGET = 'node22';

/**
 * Defines `require` at the top of the ESM bundle: CommonJS dependencies that esbuild inlines still
 * call `require('node:...')` for built-ins, which ESM scope otherwise lacks. The alias keeps the
 * name from colliding with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __switchboardCreateRequire } from 'node:module'; const require = __switchboardCreateRequire(import.meta.url);";

/**
 * Modules left out of the bundle. None: the AWS SDK is bundled too, so a function runs exactly the
 * SDK version the tests ran against, and the tree-shaken, minified copy loads faster at cold start
 * than the runtime's full SDK from disk.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [];

export const esbuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: BUNDLE_TARGET,
  // ESM entry points first: they tree-shake better than the CommonJS builds of the same packages.
  mainFields: ['module', 'main'],
  minify: true,
  // Minification would rename classes, and DomainError takes its `name` from the class (new.target.name).
  keepNames: true,
  // External .map next to index.mjs; read at run time through NODE_OPTIONS=--enable-source-maps.
  sourcemap: true,
  // Stack traces need only the mappings; the sources would double the asset size.
  sourcesContent: false,
  external: [...BUNDLE_EXTERNALS],
  banner: { js: ESM_REQUIRE_BANNER },
} as const satisfies BuildOptions;
