import { findGroupInfo, parseAutoClaimReply, parsePendingReply, parseReadReply } from './stream-replies';

describe('stream reply parsers', () => {
  it('reads XREADGROUP entries, a deleted entry and a BLOCK timeout', () => {
    expect(parseReadReply(null, 's')).toEqual([]);
    expect(parseReadReply([['s', [['1-0', ['a', '1']], ['2-0', null]]]], 's')).toEqual([
      { id: '1-0', stream: 's', deliveries: 1, fields: ['a', '1'] },
      { id: '2-0', stream: 's', deliveries: 1, fields: null },
    ]);
    expect(parseReadReply([['s', [['1-0', ['a', '1']]]]], 's', 3)).toEqual([{ id: '1-0', stream: 's', deliveries: 3, fields: ['a', '1'] }]);
  });

  it('reads an XAUTOCLAIM reply', () => {
    expect(parseAutoClaimReply(['5-0', [['3-0', ['f', 'v']]], ['4-0']], 's')).toEqual({
      cursor: '5-0',
      entries: [{ id: '3-0', stream: 's', deliveries: 0, fields: ['f', 'v'] }],
      deletedIds: ['4-0'],
    });
  });

  it('reads extended XPENDING rows', () => {
    expect(parsePendingReply([['1-0', 'c1', 1500, 3]])).toEqual([{ id: '1-0', consumer: 'c1', idleMs: 1500, deliveries: 3 }]);
  });

  it('finds a group in XINFO GROUPS, with a lag Redis could not compute as null', () => {
    const reply = [
      ['name', 'other', 'consumers', 0, 'pending', 0, 'last-delivered-id', '0-0', 'entries-read', null, 'lag', 4],
      ['name', 'workers', 'consumers', 2, 'pending', 7, 'last-delivered-id', '9-0', 'entries-read', null, 'lag', null],
    ];
    expect(findGroupInfo(reply, 'workers')).toEqual({ name: 'workers', consumers: 2, pending: 7, lag: null });
    expect(findGroupInfo(reply, 'other')?.lag).toBe(4);
    expect(findGroupInfo(reply, 'missing')).toBeUndefined();
  });
});
