// The same as node-example.mjs from CommonJS: prints the events of one channel.
//   GATEWAY_TOKEN=<token> node node-example.cjs [channel]      (default channel: market_data)
// GATEWAY_URL defaults to ws://127.0.0.1:8080/ws; MAX_EVENTS=<n> stops after n events.
const { GatewayClient } = require('@rebal/gateway-client');
const WebSocket = require('ws');

const token = process.env.GATEWAY_TOKEN;
if (!token) {
  console.error('Set GATEWAY_TOKEN to a gateway token, e.g. the development token `npm start` prints.');
  process.exit(2);
}
const channel = process.argv[2] ?? 'market_data';
const maxEvents = Number(process.env.MAX_EVENTS ?? Infinity);

const client = new GatewayClient({ url: process.env.GATEWAY_URL ?? 'ws://127.0.0.1:8080/ws', token, WebSocket });
let received = 0;
client.on('error', (code, message) => console.error(`error ${code}: ${message}`));
client.on('message', (channel, id, event) => {
  console.log(`${channel} ${id} ${event.type} ${JSON.stringify(event.data)}`);
  if (++received >= maxEvents) void client.close();
});
process.once('SIGINT', () => void client.close());

client
  .connect()
  .then(() => client.subscribe(channel))
  .then((entry) => console.log(`subscribed: ${entry.channel}`))
  .catch((error) => {
    console.error(`failed: ${error.code ?? ''} ${error.message}`);
    process.exitCode = 1;
    return client.close();
  });
