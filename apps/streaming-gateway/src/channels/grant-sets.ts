import type { ChannelGrant } from './channel-grant';

/**
 * Interns the grant lists of tokens: connections whose tokens grant the same channels (most
 * of them: grants follow roles) share one frozen list instead of holding a copy each. Bounded:
 * past `capacity` distinct lists the oldest is forgotten (connections holding it keep it).
 */
export class GrantSets {
  private readonly capacity: number;
  private readonly lists = new Map<string, readonly ChannelGrant[]>();

  /** @param capacity distinct lists kept (a positive integer; default 1 000) */
  constructor(capacity = 1_000) {
    this.capacity = capacity;
  }

  /** The shared list equal to `grants` (same grants, same order). */
  intern(grants: readonly ChannelGrant[]): readonly ChannelGrant[] {
    const key = grants.map((grant) => grant.name).join('\n');
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze([...grants]);
    if (this.lists.size >= this.capacity) this.lists.delete(this.lists.keys().next().value as string);
    this.lists.set(key, list);
    return list;
  }
}
