import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LuaScript } from '@rebal/redis-client';
import { AlertConflictError, SilenceExpiredError, SilenceNotFoundError } from './alert-store-errors';
import { parseSilenceInput, silenceState, type Silence, type SilenceState } from './silence';
import type { StoreContext } from './store-context';

const REPLACE = new LuaScript(join(__dirname, 'silence-replace.lua'));

/** Reads and compare-and-sets an update or an expiry tries before giving up with `AlertConflictError`. */
const UPDATE_ATTEMPTS = 5;

/** A silence with its state at the time it was read. */
export interface SilenceView extends Silence {
  /** `pending`, `active` or `expired`. */
  state: SilenceState;
}

/**
 * Silences in Redis: a hash id → JSON and a version counter, bumped on every change (create,
 * update, expiry, purge) so the evaluation path re-reads the hash only after a change (one GET
 * per commit otherwise).
 */
export class SilenceRepository {
  private cache?: { version: string; silences: Silence[] };

  /** @param ctx the store's shared context */
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Validates and stores a silence.
   * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`) for a bad input
   */
  async create(input: unknown): Promise<SilenceView> {
    const now = this.ctx.options.clock();
    const silence = parseSilenceInput(input, randomUUID(), now);
    await this.save(silence);
    return { ...silence, state: silenceState(silence, now) };
  }

  /** Every stored silence (expired ones until the retention purge), newest first; `state` filters. */
  async list(filter: { state?: SilenceState } = {}): Promise<SilenceView[]> {
    const now = this.ctx.options.clock();
    const all = Object.values(await this.ctx.redis.hgetall(this.ctx.keys.silences)).map((text) => JSON.parse(text) as Silence);
    return all
      .map((silence) => ({ ...silence, state: silenceState(silence, now) }))
      .filter((silence) => filter.state === undefined || silence.state === filter.state)
      .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  }

  /** One silence, or `undefined`. */
  async get(id: string): Promise<SilenceView | undefined> {
    const text = await this.ctx.redis.hget(this.ctx.keys.silences, id);
    if (!text) return undefined;
    const silence = JSON.parse(text) as Silence;
    return { ...silence, state: silenceState(silence, this.ctx.options.clock()) };
  }

  /**
   * Replaces a silence's matchers, times, author and comment, validated as on create; an
   * omitted `startsAt` keeps the current start, and `id` and `createdAt` stay. A pending or
   * active silence can be updated; an expired one is final. The write is a compare-and-set
   * against what was read (`silence-replace.lua`), so a concurrent expiry is never undone, and
   * it bumps the version like every change: the next commit of any replica uses the new silence.
   * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`) for a bad input
   * @throws SilenceNotFoundError (code `ERR_SILENCE_NOT_FOUND`) for an unknown id
   * @throws SilenceExpiredError (code `ERR_SILENCE_EXPIRED`) when the silence has expired
   * @throws AlertConflictError (code `ERR_CONFLICT`) when it kept changing under the update
   */
  async update(id: string, input: unknown): Promise<SilenceView> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt += 1) {
      const text = await this.ctx.redis.hget(this.ctx.keys.silences, id);
      if (!text) throw new SilenceNotFoundError(id);
      const current = JSON.parse(text) as Silence;
      const now = this.ctx.options.clock();
      if (silenceState(current, now) === 'expired') throw new SilenceExpiredError(id, current.endsAt);
      const next = parseSilenceInput(input, id, now, current);
      const reply = await this.replace(id, text, next);
      if (reply === 0) throw new SilenceNotFoundError(id);
      if (reply === 1) return { ...next, state: silenceState(next, now) };
    }
    throw new AlertConflictError(`update silence ${id}`);
  }

  /**
   * Expires a silence (Alertmanager's delete): it ends now, so it stops matching and stays
   * visible as `expired` until the retention purge. A pending silence ends before it ever
   * starts (`startsAt` and `endsAt` both become now). Expiring an expired silence changes
   * nothing. The write is a compare-and-set against what was read (`silence-replace.lua`), as
   * an update's is: an update answered meanwhile is read again and expired with its content,
   * never overwritten by the content read before it.
   * @throws SilenceNotFoundError (code `ERR_SILENCE_NOT_FOUND`) for an unknown id
   * @throws AlertConflictError (code `ERR_CONFLICT`) when it kept changing under the expiry
   */
  async expire(id: string): Promise<SilenceView> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt += 1) {
      const text = await this.ctx.redis.hget(this.ctx.keys.silences, id);
      if (!text) throw new SilenceNotFoundError(id);
      const current = JSON.parse(text) as Silence;
      const now = this.ctx.options.clock();
      if (silenceState(current, now) === 'expired') return { ...current, state: 'expired' };
      const expired: Silence = { ...current, startsAt: Math.min(current.startsAt, now), endsAt: now, updatedAt: now };
      const reply = await this.replace(id, text, expired);
      if (reply === 0) throw new SilenceNotFoundError(id);
      if (reply === 1) return { ...expired, state: 'expired' };
    }
    throw new AlertConflictError(`expire silence ${id}`);
  }

  /** Silences that may match now or later (not expired), from a cache refreshed when the version changes. */
  async current(): Promise<Silence[]> {
    const version = (await this.ctx.redis.get(this.ctx.keys.silencesVersion)) ?? '0';
    if (this.cache?.version !== version) {
      const all = Object.values(await this.ctx.redis.hgetall(this.ctx.keys.silences)).map((text) => JSON.parse(text) as Silence);
      this.cache = { version, silences: all };
    }
    const now = this.ctx.options.clock();
    return this.cache.silences.filter((silence) => silence.endsAt > now);
  }

  /** Removes silences that expired before `beforeMs`; returns how many. */
  async purgeExpired(beforeMs: number): Promise<number> {
    const all = Object.values(await this.ctx.redis.hgetall(this.ctx.keys.silences)).map((text) => JSON.parse(text) as Silence);
    const old = all.filter((silence) => silence.endsAt < beforeMs).map((silence) => silence.id);
    if (old.length === 0) return 0;
    await this.ctx.redis.multi().hdel(this.ctx.keys.silences, ...old).incr(this.ctx.keys.silencesVersion).exec();
    return old.length;
  }

  /** Runs `silence-replace.lua`: 1 replaced, 0 gone, -1 changed since read. */
  private async replace(id: string, expected: string, next: Silence): Promise<number> {
    return Number(await REPLACE.run(this.ctx.redis, [this.ctx.keys.silences, this.ctx.keys.silencesVersion], [id, expected, JSON.stringify(next)]));
  }

  private async save(silence: Silence): Promise<void> {
    await this.ctx.redis
      .multi()
      .hset(this.ctx.keys.silences, silence.id, JSON.stringify(silence))
      .incr(this.ctx.keys.silencesVersion)
      .exec();
  }
}
