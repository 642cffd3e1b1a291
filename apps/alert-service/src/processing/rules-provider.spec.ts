import type { RuleDefinition } from '../rules';
import type { RuleChanges } from '../store';
import { RulesProvider } from './rules-provider';

/** A store whose version reads wait until the test releases them (when gated), so a look can be caught in flight. */
class GatedStore {
  version = 1;
  rules = new Map<string, RuleDefinition>();
  log: Array<[string, string]> = [];
  reads = { version: 0, list: 0, get: 0 };
  gated = false;
  private gates: Array<() => void> = [];

  async rulesVersion(): Promise<number> {
    const version = this.version;
    this.reads.version++;
    if (this.gated) await new Promise<void>((release) => this.gates.push(release));
    return version;
  }

  async listRules(): Promise<RuleDefinition[]> {
    this.reads.list++;
    return [...this.rules.values()];
  }

  async getRules(ids: readonly string[]): Promise<Array<RuleDefinition | undefined>> {
    this.reads.get += ids.length;
    return ids.map((id) => this.rules.get(id));
  }

  async lastRuleChangeId(): Promise<string> {
    return this.log[this.log.length - 1]?.[0] ?? '0-0';
  }

  async ruleChangesSince(afterId: string): Promise<RuleChanges> {
    const after = this.log.filter(([id]) => Number(id.split('-')[0]) > Number(afterId.split('-')[0]));
    const ids = after.map(([, rule]) => rule);
    return { lastId: after[after.length - 1]?.[0] ?? afterId, ids: ids.includes('*') ? 'all' : ids };
  }

  /** A rule written (or deleted) as the repository does: the rule, the version, the change log. */
  put(id: string, rule: RuleDefinition | undefined): void {
    if (rule) this.rules.set(id, rule);
    else this.rules.delete(id);
    this.version++;
    this.log.push([`${this.log.length + 1}-0`, id]);
  }

  /** Lets every waiting read answer (with what it read when it began). */
  release(): void {
    for (const gate of this.gates.splice(0)) gate();
  }

  /** Resolves once `count` version reads have begun. */
  async readsBegun(count: number): Promise<void> {
    for (let turn = 0; this.reads.version < count; turn++) {
      if (turn > 1_000) throw new Error(`only ${this.reads.version} of ${count} version reads began`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

const rule = (id: string, name = id): RuleDefinition => ({ id, name }) as unknown as RuleDefinition;

describe('RulesProvider', () => {
  it('looks at the version at most once per refresh interval and reads changes only when it moved', async () => {
    let now = 0;
    const store = new GatedStore();
    store.put('a', rule('a'));
    const provider = new RulesProvider({ store, refreshIntervalMs: 1_000, clock: () => now });
    expect((await provider.load()).map((r) => r.id)).toEqual(['a']);
    now = 500;
    expect(await provider.changes()).toBeUndefined();
    expect(store.reads.version).toBe(1);
    now = 1_500;
    expect(await provider.changes()).toBeUndefined();
    expect(store.reads).toEqual({ version: 2, list: 1, get: 0 });
  });

  it('reads only the rules the change log names: changed ones, and deleted ones as deleted', async () => {
    let now = 0;
    const store = new GatedStore();
    for (let i = 0; i < 1_000; i++) store.put(`r${i}`, rule(`r${i}`));
    const provider = new RulesProvider({ store, refreshIntervalMs: 1_000, clock: () => now });
    await provider.load();
    store.put('r7', rule('r7', 'renamed'));
    store.put('r9', undefined);
    store.put('new', rule('new'));
    now = 2_000;
    const changes = await provider.changes();
    expect(changes?.changed.map((r) => [r.id, r.name])).toEqual([['r7', 'renamed'], ['new', 'new']]);
    expect(changes?.deleted).toEqual(['r9']);
    expect(store.reads.get).toBe(3);
    expect(store.reads.list).toBe(1);
  });

  it('reads every rule again when the seed wrote them all', async () => {
    let now = 0;
    const store = new GatedStore();
    store.put('a', rule('a'));
    const provider = new RulesProvider({ store, refreshIntervalMs: 0, clock: () => now });
    await provider.load();
    store.rules.delete('a');
    store.rules.set('b', rule('b'));
    store.version++;
    store.log.push([`${store.log.length + 1}-0`, '*']);
    now = 1;
    const changes = await provider.changes();
    expect(changes).toEqual({ changed: [rule('b')], deleted: ['a'] });
  });

  it('does not let a look that began before invalidate() hide the change', async () => {
    const now = 0;
    const store = new GatedStore();
    store.put('a', rule('a'));
    const provider = new RulesProvider({ store, refreshIntervalMs: 60_000, clock: () => now });
    await provider.load();

    // A look is in flight (it read the version before the change) when a rule is created and the cache invalidated.
    store.gated = true;
    provider.invalidate();
    const stale = provider.changes();
    await store.readsBegun(2);
    store.put('b', rule('b'));
    provider.invalidate();
    store.release();
    expect(await stale).toBeUndefined();
    const afterChange = provider.changes();
    await store.readsBegun(3);
    store.release();
    expect((await afterChange)?.changed.map((r) => r.id)).toEqual(['b']);
  });
});
