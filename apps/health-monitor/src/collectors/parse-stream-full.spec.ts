import { parseStreamFull } from './parse-stream-full';

// The shape of `XINFO STREAM s FULL COUNT 1` from redis-server 7.0 (one group behind, one caught up).
const reply = [
  'length', 5, 'radix-tree-keys', 1, 'radix-tree-nodes', 2, 'last-generated-id', '105-0', 'max-deleted-entry-id', '0-0',
  'entries-added', 5, 'recorded-first-entry-id', '101-0',
  'entries', [['101-0', ['a', '1']]],
  'groups', [
    ['name', 'slow', 'last-delivered-id', '102-0', 'entries-read', 2, 'lag', 3, 'pel-count', 2, 'pending', [['101-0', 'c1', 900, 1]],
      'consumers', [['name', 'c1', 'seen-time', 900, 'pel-count', 2, 'pending', [['101-0', 900, 1]]]]],
    ['name', 'idle', 'last-delivered-id', '105-0', 'entries-read', null, 'lag', 0, 'pel-count', 0, 'pending', [], 'consumers', []],
  ],
];

describe('parseStreamFull', () => {
  it('reads length, ids, groups with lag and pending, and consumers with idle time against the server clock', () => {
    const parsed = parseStreamFull(reply, 1_000);
    expect(parsed).toMatchObject({ length: 5, firstId: '101-0', lastGeneratedId: '105-0', entriesAdded: 5 });
    expect(parsed.groups).toEqual([
      { name: 'slow', lastDeliveredId: '102-0', entriesRead: 2, lag: 3, lagEstimated: false, pending: 2, consumers: [{ name: 'c1', pending: 2, idleMs: 100 }] },
      { name: 'idle', lastDeliveredId: '105-0', entriesRead: null, lag: 0, lagEstimated: false, pending: 0, consumers: [] },
    ]);
  });

  it('estimates the lag as the whole stream when Redis cannot tell and the group is behind the oldest entry', () => {
    const trimmed = [...reply.slice(0, 16), 'groups', [['name', 'g', 'last-delivered-id', '50-0', 'entries-read', null, 'lag', null, 'pel-count', 0, 'pending', [], 'consumers', []]]];
    expect(parseStreamFull(trimmed, 1_000).groups[0]).toMatchObject({ lag: 5, lagEstimated: true });
  });

  it('reports no lag for a group at the last generated id, whatever lag Redis reports (redis/redis#13957)', () => {
    const miscounted = [...reply.slice(0, 16), 'groups', [['name', 'g', 'last-delivered-id', '105-0', 'entries-read', 2, 'lag', 27053, 'pel-count', 0, 'pending', [], 'consumers', []]]];
    expect(parseStreamFull(miscounted, 1_000).groups[0]).toMatchObject({ lag: 0, lagEstimated: false });
  });

  it('reports an empty stream without a first id, and keeps its last generated id', () => {
    const empty = parseStreamFull(['length', 0, 'last-generated-id', '0-0', 'entries', [], 'groups', []], 0);
    expect(empty).toEqual({ length: 0, lastGeneratedId: '0-0', entriesAdded: null, groups: [] });
    const emptied = parseStreamFull(['length', 0, 'last-generated-id', '107-3', 'max-deleted-entry-id', '107-3', 'entries', [], 'groups', []], 0);
    expect(emptied).toEqual({ length: 0, lastGeneratedId: '107-3', entriesAdded: null, groups: [] });
  });
});
