// The SDK duplicates the protocol's small types and codes (it may not import apps). This
// guards the copy: the gateway's codes and frame types must be the ones the SDK knows.
import { GatewayCloseCode, parseServerFrame, ServerErrorCode } from '@rebal/gateway-client';
import { CloseCode, encodeError, encodeEvent, ERROR_CODES, PROTOCOL_VERSION, SERVER_FRAME_TYPES } from '../protocol';

describe('the SDK protocol copy', () => {
  it('knows every error code of the gateway, and no other', () => {
    expect(Object.values(ServerErrorCode).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('knows every close code of the gateway', () => {
    const sdk = new Set<number>(Object.values(GatewayCloseCode));
    expect(Object.values(CloseCode).filter((code) => !sdk.has(code))).toEqual([]);
  });

  it('parses every server frame type of the gateway as a known type', () => {
    const unknown = SERVER_FRAME_TYPES.filter((type) => parseServerFrame(JSON.stringify({ type })).kind === 'unknown');
    expect(unknown).toEqual([]);
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('parses error and event frames encoded by the gateway', () => {
    const error = encodeError({ id: 3, code: 'not_granted', message: 'no', channel: 'alerts' });
    expect(parseServerFrame(error)).toMatchObject({ kind: 'frame', frame: { type: 'error', id: 3, code: 'not_granted', channel: 'alerts' } });
    const eventJson = JSON.stringify({ specversion: '1.0', id: 'e1', source: '/t', type: 'price_update', time: '2024-01-01T00:00:00Z', data: { symbol: 'BTC', price: 1 } });
    const event = encodeEvent({ channel: 'market_data:BTC', stream: 'market_data', id: '1712345678902-0', eventJson });
    expect(parseServerFrame(event)).toMatchObject({ kind: 'frame', frame: { type: 'event', id: '1712345678902-0', event: { data: { price: 1 } } } });
  });
});
