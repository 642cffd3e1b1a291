/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'redis-testing',
  rootDir: __dirname,
};
