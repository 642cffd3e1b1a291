import type { RuleDefinition } from '../rules';
import { RulesProvider } from './rules-provider';

/** A store whose reads wait until the test releases them, so a refresh can be caught in flight. */
class GatedStore {
  version = 1;
  rules: RuleDefinition[] = [];
  reads = 0;
  private gates: Array<() => void> = [];

  async rulesVersion(): Promise<number> {
    const version = this.version;
    this.reads++;
    await new Promise<void>((release) => this.gates.push(release));
    return version;
  }

  async listRules(): Promise<RuleDefinition[]> {
    return this.rules;
  }

  /** Lets every waiting read answer (with what it read when it began). */
  release(): void {
    for (const gate of this.gates.splice(0)) gate();
  }

  /** Resolves once `count` version reads have begun. */
  async readsBegun(count: number): Promise<void> {
    for (let turn = 0; this.reads < count; turn++) {
      if (turn > 1_000) throw new Error(`only ${this.reads} of ${count} version reads began`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

const rule = (id: string): RuleDefinition => ({ id }) as unknown as RuleDefinition;

describe('RulesProvider', () => {
  it('serves from memory within the refresh interval and reloads only when the version changed', async () => {
    let now = 0;
    const store = new GatedStore();
    store.rules = [rule('a')];
    const provider = new RulesProvider({ store, refreshIntervalMs: 1_000, clock: () => now });
    const first = provider.rules();
    await store.readsBegun(1);
    store.release();
    expect((await first).map((r) => r.id)).toEqual(['a']);
    now = 500;
    expect((await provider.rules()).map((r) => r.id)).toEqual(['a']);
    expect(store.reads).toBe(1);
  });

  it('does not let a refresh that began before invalidate() hide the change', async () => {
    const now = 0;
    const store = new GatedStore();
    store.rules = [rule('a')];
    const provider = new RulesProvider({ store, refreshIntervalMs: 60_000, clock: () => now });
    const initial = provider.rules();
    await store.readsBegun(1);
    store.release();
    await initial;

    // A refresh is in flight (it read version 1) when a rule is created and the cache invalidated.
    provider.invalidate();
    const stale = provider.rules();
    await store.readsBegun(2);
    store.version = 2;
    store.rules = [rule('a'), rule('b')];
    provider.invalidate();
    const afterChange = provider.getRule('b');
    store.release();
    await stale;
    await store.readsBegun(3);
    store.release();
    expect((await afterChange)?.id).toBe('b');
    expect(store.reads).toBe(3);
  });
});
