/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  // Both suites build apps into dist/apps (build-app.mjs empties the folder first) and run
  // whole stacks: one file at a time, whatever the number of cores.
  maxWorkers: 1,
};
