/**
 * The dependency rule (STYLE.md): core → core only; HTTP never reaches persistence or queues; adapters never
 * reach the Nest wiring. `npm run lint` fails on any violation.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-plain',
      comment: 'src/core is plain TypeScript: it imports only src/core and Node built-ins (no npm packages, no other src folders).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: '^src/core/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'http-not-to-persistence',
      comment: 'HTTP adapters call use cases or query ports, never persistence or queues directly.',
      severity: 'error',
      from: { path: '^src/adapters/http/' },
      to: { path: '^src/adapters/(persistence|queue)/' },
    },
    {
      name: 'adapters-not-to-modules',
      comment: 'Adapters do not know the Nest wiring: only modules/ and the root modules import everything.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(modules/|app\\.module\\.ts$|worker\\.module\\.ts$|main\\.ts$)' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles. Exceptions: cycles made only of type-only imports, and TypeORM entities referring to ' +
        'each other (lazy `() => Other` plus Relation<T>, which ESM handles).',
      severity: 'error',
      from: { pathNot: '\\.orm-entity\\.ts$' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
