/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'console',
  rootDir: __dirname,
  // Unit tests of the browser modules (pure view models and API clients) and of the build step.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/build/**/*.spec.ts'],
};
