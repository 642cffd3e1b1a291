import { keySlot } from './key-slot';

// Expected slots are what redis-server 7.0 answers to CLUSTER KEYSLOT.
describe('keySlot', () => {
  it('answers what CLUSTER KEYSLOT answers for plain keys', () => {
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('t-1:session:abc')).toBe(4492);
    expect(keySlot('é')).toBe(10180);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{user1000}.following')).toBe(3443);
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(4015);
  });

  it('hashes the whole key when the first hash tag is empty or unclosed', () => {
    expect(keySlot('{}foo')).toBe(9500);
    expect(keySlot('foo{}{bar}')).toBe(8363);
    expect(keySlot('foo{bar')).toBe(15278);
  });
});
