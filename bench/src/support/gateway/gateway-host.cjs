// Runs the built streaming gateway (dist/apps/streaming-gateway/main.js, its path in
// BENCH_GATEWAY_MAIN) in this process, unchanged, and answers one IPC command of the gateway
// benchmark: `{ cmd: 'gc' }` runs a full garbage collection (the process is started with
// --expose-gc) and replies `{ type: 'collected' }`, so memory per connection is read after
// garbage is gone, on every side alike. Plain JavaScript, so no TypeScript loader runs in the
// measured process.
'use strict';

process.on('message', (message) => {
  if (message && message.cmd === 'gc' && typeof global.gc === 'function') {
    global.gc();
    process.send({ type: 'collected' });
  }
});
// The gateway exits on SIGTERM; it must not outlive the benchmark that started it.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

require(process.env.BENCH_GATEWAY_MAIN);
