// The lint rules of the project: few, each catching a kind of bug or drift we have seen or would
// not find in review. Formatting is prettier's; import boundaries are dependency-cruiser's
// (.dependency-cruiser.cjs). See docs/architecture.md for why each rule exists.
import tseslint from 'typescript-eslint';

const clockRead = 'read the time from deps.clock: the domain and use cases never look at the wall clock';
// package.json declares the code free of import side effects (sideEffects: false), so esbuild drops
// a module nothing uses by name: an import for its effect alone would vanish from the bundle.
const sideEffectImport = {
  selector: "ImportDeclaration[specifiers.length=0][importKind!='type']",
  message: 'no import for side effects under functions/: the bundler drops it (sideEffects: false)',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'bench/.tmp/', 'test/fixtures/'] },
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', '.dependency-cruiser.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // A promise nobody awaits loses its work and its error: a Lambda returns before it settles.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try skips the catch: the error escapes the handler meant for it.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // Statuses, events and outcomes are unions: a switch over one must say what each member does.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Type-only imports vanish from bundles and never create a runtime cycle.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../../*'], message: 'use a subpath import (#<feature>, #platform/…) instead of climbing three folders' },
          ],
        },
      ],
    },
  },
  {
    // Small modules: a file of functions/ that passes 400 lines holds more than one idea.
    files: ['functions/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      // Functions log through Powertools' logger, which the log group and X-Ray correlate.
      'no-console': 'error',
      // package.json declares the code free of import side effects (sideEffects: false), so esbuild
      // drops a module nothing uses by name: an import for its effect alone would vanish from the bundle.
      'no-restricted-syntax': ['error', sideEffectImport],
    },
  },
  {
    // A function over about 100 lines does several things; name each. Tests' describe blocks are exempt.
    files: ['functions/**/*.ts', 'lib/**/*.ts', 'local/**/*.ts', 'bench/**/*.ts', 'bin/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    // The domain and the use cases are pure: settings come through deps, time from deps.clock.
    files: ['functions/*/domain/**/*.ts', 'functions/*/use-cases/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'the domain reads no environment: settings come through deps' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: clockRead },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockRead },
        sideEffectImport,
      ],
    },
  },
  {
    // Routes are typed from their contract: a cast in a handler would hide a mismatch with the schema or the view.
    files: ['functions/*/api/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }] },
  },
);
