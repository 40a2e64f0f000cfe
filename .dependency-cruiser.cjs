// Import boundaries of the project (npm run boundaries). docs/architecture.md draws them and says
// why each exists. A rule names what may not happen; everything else is allowed.
const FEATURES = '(cases|customers|agents|email|routing|sla|telephony)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or bundled without the other.',
      from: { path: '^(functions|lib)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'The domain is the rules of the contact center: no AWS, no I/O, no Lambda types. It is what the unit tests run without a database.',
      from: { path: '^functions/[^/]+/domain/' },
      to: {
        path: [
          '^node_modules/(@aws-sdk|@aws-lambda-powertools|@middy|aws-lambda|@types/aws-lambda)',
          '^functions/[^/]+/(adapters|api|handlers|use-cases)/',
        ],
      },
    },
    {
      name: 'domain-and-use-cases-do-no-io',
      severity: 'error',
      comment: 'Files, sockets, processes and the environment are reached through ports, never from the rules themselves.',
      from: { path: '^functions/[^/]+/(domain|use-cases)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|process|os|worker_threads|cluster)$',
      },
    },
    {
      name: 'use-cases-see-ports-only',
      severity: 'error',
      comment:
        'A use case gets its stores and gateways through deps (ports), so it runs the same against DynamoDB and the in-memory fakes.',
      from: { path: '^functions/[^/]+/use-cases/' },
      to: {
        path: ['^node_modules/(@aws-sdk|@middy|aws-lambda|@types/aws-lambda)', '^functions/[^/]+/(adapters|api|handlers)/'],
      },
    },
    {
      name: 'feature-through-public-entry',
      severity: 'error',
      comment:
        "A feature reaches another feature only through that feature's public entry (functions/<feature>/index.ts), so each feature can change its insides freely.",
      from: { path: `^functions/${FEATURES}/` },
      to: {
        path: `^functions/${FEATURES}/`,
        pathNot: ['^functions/$1/', `^functions/${FEATURES}/index\\.ts$`, `^functions/${FEATURES}/adapters/index\\.ts$`],
      },
    },
    {
      name: 'adapters-entry-only-from-adapters',
      severity: 'error',
      comment:
        "Another feature's adapters are wired only in a composition root (adapters/*-deps-from-env.ts); handlers, API handlers, use cases and the domain never reach them.",
      from: { path: `^functions/${FEATURES}/(domain|use-cases|api|handlers)/` },
      to: { path: `^functions/${FEATURES}/adapters/`, pathNot: '^functions/$1/' },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      comment: 'platform/ is what every feature shares; if it imported a feature, every feature would depend on that one.',
      from: { path: '^functions/(platform|tables)/' },
      to: { path: `^functions/${FEATURES}/` },
    },
    {
      name: 'deployed-code-never-imports-local-bench-or-tests',
      severity: 'error',
      comment: 'functions/ and lib/ are what is deployed; the local runtime, the benches and the tests are not.',
      from: { path: '^(functions|lib|bin)/' },
      to: { path: '^(local|bench|test)/' },
    },
    {
      name: 'infrastructure-uses-public-entries',
      severity: 'error',
      comment:
        'Stacks read what they deploy from the features’ public entries, the tables and the API contract, never from a feature’s insides.',
      from: { path: '^(lib|bin)/' },
      to: { path: `^functions/${FEATURES}/`, pathNot: [`^functions/${FEATURES}/index\\.ts$`] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.data|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
