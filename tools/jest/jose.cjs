// jest (on Node < 24.9) cannot require() an ES module such as `jose` v6, while Node 20.19+
// itself can. This shim loads the real package through Node's own loader, outside jest's
// module registry, so tests exercise the same code as production.
const { createRequire } = require('node:vm').runInThisContext('process').getBuiltinModule('node:module');
module.exports = createRequire(__filename)('jose');
