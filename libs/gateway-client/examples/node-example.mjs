// Prints the events of some gateway channels with @rebal/gateway-client (an ES module script).
//   GATEWAY_TOKEN=<token> node node-example.mjs [channel ...]      (default channel: market_data)
// GATEWAY_URL defaults to ws://127.0.0.1:8080/ws (`npm start`'s gateway); MAX_EVENTS=<n> stops
// after n events. Ctrl-C closes the client; the process then ends on its own.
import { GatewayClient } from '@rebal/gateway-client';
import WebSocket from 'ws'; // Node 20 has no global WebSocket; Node 22+ and browsers need no import

const token = process.env.GATEWAY_TOKEN;
if (!token) {
  console.error('Set GATEWAY_TOKEN to a gateway token, e.g. the development token `npm start` prints.');
  process.exit(2);
}
const channels = process.argv.length > 2 ? process.argv.slice(2) : ['market_data'];
const maxEvents = Number(process.env.MAX_EVENTS ?? Infinity);

const client = new GatewayClient({ url: process.env.GATEWAY_URL ?? 'ws://127.0.0.1:8080/ws', token, WebSocket });
let received = 0;
client.on('state', (state) => console.log(`state: ${state}`));
client.on('error', (code, message) => console.error(`error ${code}: ${message}`));
client.on('recovered', (channel, recovered, reason) => {
  if (!recovered) console.log(`${channel}: starting at the live edge (${reason}); a real app reloads its state here`);
});
client.on('message', (channel, id, event) => {
  console.log(`${channel} ${id} ${event.type} ${JSON.stringify(event.data)}`);
  if (++received >= maxEvents) void client.close();
});
process.once('SIGINT', () => void client.close());

try {
  const welcome = await client.connect();
  console.log(`connected: session ${welcome.session.id}`);
  for (const entry of await client.subscribeMany(channels)) console.log(`subscribed: ${entry.channel}`);
} catch (error) {
  console.error(`failed: ${error.code ?? ''} ${error.message}`);
  process.exitCode = 1;
  await client.close();
}
