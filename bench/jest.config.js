// Unit tests of the benchmarks' support code (report, charts); the benchmarks themselves run
// through bench/run.sh, outside the test suite.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.base.json');
const preset = require('../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'bench',
  rootDir: __dirname,
  // bench sits one folder below the workspace (the preset's paths assume two), and its one
  // tsconfig covers the benchmarks and their tests alike.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { ...preset.moduleNameMapper, ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../' }) },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
