// Client load generator for the bare `ws` broadcast server (the limit): plain WebSocket
// connections, no protocol; each counts the frames it receives. Run by gateway.bench.ts.
//   env: BENCH_URL (ws://127.0.0.1:<port>/)
import { runClientProcess } from './client-driver';
import { openBenchSocket } from './open-bench-socket';

const url = process.env['BENCH_URL'] ?? '';

runClientProcess((_index, events) => openBenchSocket(url, events, { waitingFor: 'opening' }));
