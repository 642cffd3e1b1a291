import type { E2eStack, StackApp } from '../stack';
import type { FaultKind, PlannedFault } from './fault-schedule';

/** What happened when a fault was injected. */
export interface FaultRecord {
  readonly fault: PlannedFault;
  /** When it began, ms since the epoch. */
  readonly startedAtMs: number;
  /** When its action ended (the replica or Redis started again, the pause lifted), ms since the epoch. */
  readonly endedAtMs: number;
  /** Replicas restarted by it, by name. */
  readonly restarted: readonly string[];
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Injects one planned fault into a running stack and resolves once its action is over: a
 * replica killed (SIGKILL) and started again after `holdMs`; every replica of an app stopped
 * (SIGTERM) and started again one after the other; Redis killed (SIGKILL) and started again
 * from its AOF after `holdMs`; Redis paused (SIGSTOP) for `holdMs`; `count` client
 * connections cut at the balancer.
 */
export async function injectFault(stack: E2eStack, fault: PlannedFault): Promise<FaultRecord> {
  const startedAtMs = Date.now();
  const restarted: string[] = [];
  const kinds: Record<FaultKind, () => Promise<void>> = {
    'replica-kill': async () => {
      const replica = stack.replica(fault.target as string);
      await replica.kill();
      await wait(fault.holdMs);
      await replica.start();
      restarted.push(replica.name);
    },
    'rolling-restart': async () => {
      for (const replica of stack.replicasOf(fault.target as StackApp)) {
        await replica.stop();
        await replica.start();
        restarted.push(replica.name);
      }
    },
    'redis-kill': async () => {
      await stack.redis.kill();
      await wait(fault.holdMs);
      await stack.redis.start();
    },
    'redis-pause': async () => {
      stack.redis.pause();
      try {
        await wait(fault.holdMs);
      } finally {
        stack.redis.resume();
      }
    },
    'client-cut': async () => {
      stack.balancer.cut(fault.count ?? 1);
    },
  };
  await kinds[fault.kind]();
  return { fault, startedAtMs, endedAtMs: Date.now(), restarted };
}
