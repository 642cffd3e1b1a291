import { createHmac } from 'node:crypto';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature';

describe('signWebhookPayload', () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', 'a-secret-of-16-chars').update('1700000000.{"a":1}').digest('hex');
    expect(signWebhookPayload('a-secret-of-16-chars', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  const secret = 'a-secret-of-16-chars';
  const body = '{"type":"alert.raised"}';
  const nowMs = 1_700_000_000_000;
  const timestamp = String(nowMs / 1000);
  const signature = signWebhookPayload(secret, timestamp, body);

  it('accepts a delivery signed with the secret within the tolerance', () => {
    expect(verifyWebhookSignature({ secret, body, timestamp, signature, nowMs })).toBe(true);
    expect(verifyWebhookSignature({ secret, body, timestamp, signature, nowMs: nowMs + 299_000 })).toBe(true);
  });

  it('refuses another body, secret or timestamp, an old timestamp and missing headers', () => {
    expect(verifyWebhookSignature({ secret, body: `${body} `, timestamp, signature, nowMs })).toBe(false);
    expect(verifyWebhookSignature({ secret: `${secret}x`, body, timestamp, signature, nowMs })).toBe(false);
    expect(verifyWebhookSignature({ secret, body, timestamp: String(Number(timestamp) + 1), signature, nowMs })).toBe(false);
    expect(verifyWebhookSignature({ secret, body, timestamp, signature, nowMs: nowMs + 301_000 })).toBe(false);
    expect(verifyWebhookSignature({ secret, body, timestamp: undefined, signature, nowMs })).toBe(false);
    expect(verifyWebhookSignature({ secret, body, timestamp, signature: undefined, nowMs })).toBe(false);
    expect(verifyWebhookSignature({ secret, body, timestamp, signature: 'sha256=00', nowMs })).toBe(false);
  });
});
