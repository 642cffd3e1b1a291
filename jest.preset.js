// Shared jest settings for every project: TypeScript through ts-jest (transpile only,
// type checking is the `typecheck` target's job) and the `@rebal/*` path aliases.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../../' }),
    // ES-module-only packages that Node loads natively but jest's registry cannot.
    '^jose$': `${__dirname}/tools/jest/jose.cjs`,
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // On 2 cores jest runs every file in its main process (maxWorkers = 1): a timer that a
  // library leaves behind after its suite has closed everything it opened kept one CI run
  // waiting for ever after the last test. Every test and hook has its own timeout, so
  // exiting once the results are printed loses nothing.
  forceExit: true,
};
