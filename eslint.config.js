// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Every global of the Node running ESLint (process, Buffer, fetch, AbortSignal, …), for scripts in plain JS. */
const nodeGlobals = Object.fromEntries(
  Object.getOwnPropertyNames(globalThis)
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    .map((name) => [name, 'readonly']),
);

/** What src/core may not import: it is plain TypeScript (see STYLE.md, "The dependency rule"). */
const coreForbiddenPackages = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'bullmq',
  'ioredis',
  'pg',
  'pg-*',
  'express',
  'fastify',
  '@fastify/*',
  'passport',
  'passport-*',
  'class-validator',
  'class-transformer',
  'jose',
  'zod',
  'zod/*',
];

/** The same names as a regex alternation, so the catch-all below does not report them twice. */
const coreForbiddenRegex = coreForbiddenPackages
  .map((glob) => {
    const prefix = glob.replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return glob.endsWith('*') ? prefix : `${prefix}(?:/|$)`;
  })
  .join('|');

/**
 * no-restricted-imports for src/core, one block per folder depth: a relative import leaves src/core when it
 * climbs more folders than the file is deep, unless it climbs straight back into core/.
 */
function coreImportRules(maxDepth = 6) {
  return Array.from({ length: maxDepth + 1 }, (_, depth) => ({
    files: [`src/core/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: coreForbiddenPackages,
              message: 'src/core is plain TypeScript: frameworks and drivers belong in src/adapters.',
            },
            {
              regex: `^(?:\\.\\./){${depth + 1}}(?!core/)`,
              message: 'src/core may only import src/core (e.g. not ../../adapters/*).',
            },
            {
              // Any other package too; Node built-ins are allowed with the node: prefix.
              regex: `^(?![./]|node:|${coreForbiddenRegex})`,
              message: 'src/core may only import src/core and node: built-ins.',
            },
          ],
        },
      ],
    },
  }));
}

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', '.data/', 'bench/results/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: nodeGlobals,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', __filename: 'readonly' },
    },
  },
  ...coreImportRules(),
);
