import { GatewayCloseCode } from '@rebal/gateway-client';
import { CLOSE_REASONS } from './close-codes';

describe('CLOSE_REASONS', () => {
  it('has a reason that fits a close frame for every code the gateway sends, and none for 1006', () => {
    const sent = Object.values(GatewayCloseCode).filter((code) => code !== GatewayCloseCode.Abnormal);
    expect(Object.keys(CLOSE_REASONS).map(Number).sort()).toEqual([...sent].sort());
    for (const reason of Object.values(CLOSE_REASONS)) {
      expect(Buffer.byteLength(reason)).toBeGreaterThan(0);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    }
  });
});
