import { SeededRandom } from './seeded-random';

/** The kinds of fault a run injects. */
export const FAULT_KINDS = ['replica-kill', 'rolling-restart', 'redis-kill', 'redis-pause', 'client-cut'] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One planned fault. */
export interface PlannedFault {
  /** When it starts, ms after the fault phase began. */
  readonly atMs: number;
  readonly kind: FaultKind;
  /**
   * What it hits: a replica name (`replica-kill`), an app (`rolling-restart`), or nothing
   * (Redis, clients).
   */
  readonly target?: string;
  /**
   * How long it lasts, ms: the downtime before a killed replica or Redis is started again, the
   * length of a pause. For `client-cut`: unused.
   */
  readonly holdMs: number;
  /** `client-cut`: how many client connections are cut. */
  readonly count?: number;
}

/** Options of {@link planFaults}. */
export interface PlanFaultsOptions {
  /** The seed: the same options and seed give the same plan. */
  seed: number;
  /** Length of the fault phase, ms. */
  durationMs: number;
  /** Replica names that `replica-kill` may hit. */
  replicas: readonly string[];
  /**
   * Apps whose replicas must be killed at least once (default none): one `replica-kill` per
   * app joins the kinds every plan has, aimed at one of its replicas (names `<app>-<n>`).
   */
  killEachOf?: readonly string[];
  /** Apps that `rolling-restart` may hit (those with two or more replicas). */
  rollingApps: readonly string[];
  /** Clients in the run (`client-cut` cuts 1 to a third of them). */
  clients: number;
  /** Mean pause between two fault starts, ms (default 15 000). */
  meanGapMs?: number;
  /** Longest Redis pause, ms (default 10 000); the shortest is 6 000, past every service timeout. */
  maxPauseMs?: number;
}

/**
 * Plans the faults of one run from a seed: every kind at least once (in a seeded order, with a
 * kill of a replica of each app in `killEachOf`), then
 * more faults of random kinds while time remains, one at a time, spaced `meanGapMs` ± 40 %.
 * Faults never overlap: each one's start leaves its predecessor time to end (`holdMs` plus a
 * margin), so a checker can tell which fault an observation belongs to.
 */
export function planFaults(options: PlanFaultsOptions): PlannedFault[] {
  const random = new SeededRandom(options.seed);
  const meanGapMs = options.meanGapMs ?? 15_000;
  const maxPauseMs = Math.max(6_000, options.maxPauseMs ?? 10_000);
  if (options.replicas.length === 0) throw new RangeError('planFaults needs at least one replica to kill');
  if (options.rollingApps.length === 0) throw new RangeError('planFaults needs at least one app with two replicas for a rolling restart');
  const killTargets = random.shuffle(
    (options.killEachOf ?? []).map((app) => {
      const replicas = options.replicas.filter((name) => name.startsWith(`${app}-`));
      if (replicas.length === 0) throw new RangeError(`killEachOf names ${app}, which has no replica`);
      return random.pick(replicas);
    }),
  );
  const required: FaultKind[] = random.shuffle([...FAULT_KINDS, ...killTargets.slice(1).map((): FaultKind => 'replica-kill')]);
  const plan: PlannedFault[] = [];
  let atMs = Math.round(meanGapMs * 0.3);
  for (let index = 0; atMs < options.durationMs; index += 1) {
    const kind = index < required.length ? (required[index] as FaultKind) : random.pick(FAULT_KINDS);
    const planned = planOne(kind, atMs, random, options, maxPauseMs);
    const target = kind === 'replica-kill' ? killTargets.shift() : undefined;
    const fault = target === undefined ? planned : { ...planned, target };
    plan.push(fault);
    const gap = Math.round(meanGapMs * (0.6 + 0.8 * random.next()));
    atMs += Math.max(gap, fault.holdMs + 3_000);
  }
  const missing = FAULT_KINDS.filter((kind) => !plan.some((fault) => fault.kind === kind));
  if (missing.length > 0 || killTargets.length > 0) {
    throw new RangeError(`a fault phase of ${options.durationMs} ms is too short for one fault of each kind (missing ${[...missing, ...killTargets].join(', ')})`);
  }
  return plan;
}

function planOne(kind: FaultKind, atMs: number, random: SeededRandom, options: PlanFaultsOptions, maxPauseMs: number): PlannedFault {
  switch (kind) {
    case 'replica-kill':
      return { atMs, kind, target: random.pick(options.replicas), holdMs: random.int(0, 2_000) };
    case 'rolling-restart':
      return { atMs, kind, target: random.pick(options.rollingApps), holdMs: 0 };
    case 'redis-kill':
      return { atMs, kind, holdMs: random.int(500, 3_000) };
    case 'redis-pause':
      return { atMs, kind, holdMs: random.int(6_000, maxPauseMs) };
    case 'client-cut':
      return { atMs, kind, holdMs: 0, count: random.int(1, Math.max(1, Math.floor(options.clients / 3))) };
  }
}

/** One line per fault, for reports: `+12.3s redis-pause 7.1s`. */
export function describeFault(fault: PlannedFault): string {
  const target = fault.target ?? (fault.kind === 'client-cut' ? `${fault.count} connection(s)` : 'redis');
  const hold = fault.holdMs > 0 ? ` ${(fault.holdMs / 1000).toFixed(1)}s` : '';
  return `+${(fault.atMs / 1000).toFixed(1)}s ${fault.kind} ${target}${hold}`;
}
