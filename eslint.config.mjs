// Workspace lint rules. Module boundaries are enforced with project tags:
//   type:app      a service under apps/; apps never import other apps
//   type:lib      a library under libs/ that services may import
//   type:testing  test-only support (the real-Redis harness); only tests import it
//   type:bench    the benchmarks under bench/
//   scope:redis   projects allowed to import ioredis directly (the Redis library, the
//                 harness that builds servers, and benchmarks that compare against raw
//                 ioredis); every other project reaches Redis through @rebal/redis-client
//   scope:browser code that runs in the browser (apps/console): no Redis library, and its
//                 sources import only the gateway client SDK, uPlot and each other
import nx from '@nx/eslint-plugin';

// enforceBuildable: a buildable library (one with a `build` target) may import only buildable
// libraries; off for tests, which its build never takes in.
const boundaries = (extraForApps, enforceBuildable = true) => [
  'error',
  {
    enforceBuildableLibDependency: enforceBuildable,
    banTransitiveDependencies: true,
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...extraForApps] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...extraForApps] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
      { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
      { sourceTag: 'scope:app', bannedExternalImports: ['ioredis'] },
      { sourceTag: 'scope:shared', bannedExternalImports: ['ioredis'] },
      { sourceTag: 'scope:browser', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['ioredis'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.data', '**/tmp', '**/*.js', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The console's browser code: the SDK (@rebal/gateway-client), uPlot and its own modules, nothing
    // that needs Node.js or a server (its build step and tests run on Node and may).
    files: ['apps/console/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(\\.{1,2}/|@rebal/gateway-client$|uplot$))',
              message: 'browser code imports only @rebal/gateway-client, uplot and its own modules (not @rebal/redis-client, @rebal/service-kit or Node.js modules)',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the real-Redis harness, also in a buildable library.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['type:testing'], false),
    },
  },
];
