/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'market-simulator',
  rootDir: __dirname,
};
