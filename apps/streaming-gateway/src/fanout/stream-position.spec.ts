import { parseStreamInfo } from './stream-position';

describe('parseStreamInfo', () => {
  it('reads the last id, the oldest entry and the largest deleted id of an XINFO STREAM reply', () => {
    const reply = [
      'length', 2, 'radix-tree-keys', 1, 'radix-tree-nodes', 2,
      'last-generated-id', '1700000000002-0', 'max-deleted-entry-id', '1700000000000-0', 'entries-added', 3,
      'recorded-first-entry-id', '1700000000001-0', 'groups', 1,
      'first-entry', ['1700000000001-0', ['a', '1']], 'last-entry', ['1700000000002-0', ['a', '2']],
    ];
    expect(parseStreamInfo(reply)).toEqual({ exists: true, lastId: '1700000000002-0', firstId: '1700000000001-0', maxDeletedId: '1700000000000-0', entriesRemoved: 1 });
  });

  it('leaves out the oldest entry of an empty stream and the deleted id of older servers', () => {
    expect(parseStreamInfo(['length', 0, 'last-generated-id', '5-0', 'first-entry', null])).toEqual({ exists: true, lastId: '5-0' });
  });
});
