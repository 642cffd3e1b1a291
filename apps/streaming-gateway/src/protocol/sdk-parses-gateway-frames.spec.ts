// The gateway encodes frames with its own fast paths; the SDK's parser must read them as the
// frames the protocol defines.
import { parseServerFrame, SERVER_FRAME_TYPES } from '@rebal/gateway-client';
import { encodeError, encodeEvent } from './encode-server-frame';

describe('frames encoded by the gateway, parsed by the SDK', () => {
  it('knows every server frame type', () => {
    const unknown = SERVER_FRAME_TYPES.filter((type) => parseServerFrame(JSON.stringify({ type })).kind === 'unknown');
    expect(unknown).toEqual([]);
  });

  it('reads error and event frames as the gateway wrote them', () => {
    const error = encodeError({ id: 3, code: 'not_granted', message: 'no', channel: 'alerts' });
    expect(parseServerFrame(error)).toMatchObject({ kind: 'frame', frame: { type: 'error', id: 3, code: 'not_granted', channel: 'alerts' } });
    const eventJson = JSON.stringify({ specversion: '1.0', id: 'e1', source: '/t', type: 'price_update', time: '2024-01-01T00:00:00Z', data: { symbol: 'BTC', price: 1 } });
    const event = encodeEvent({ channel: 'market_data:BTC', stream: 'market_data', id: '1712345678902-0', eventJson });
    expect(parseServerFrame(event)).toMatchObject({ kind: 'frame', frame: { type: 'event', id: '1712345678902-0', event: { data: { price: 1 } } } });
  });
});
