import { readdirSync, readFileSync } from 'node:fs';

/** One process as `/proc/<pid>/stat` describes it (Linux). */
export interface ProcInfo {
  /** Process id. */
  readonly pid: number;
  /** Parent process id. */
  readonly ppid: number;
  /** Process group id. */
  readonly pgid: number;
  /** Command name (at most 15 characters), e.g. `redis-server`. */
  readonly comm: string;
  /** State letter: `R`, `S`, `D`, `Z` (zombie), ... */
  readonly state: string;
  /** Start time in clock ticks after boot: tells a process from a later one that reuses its pid. */
  readonly startTime: number;
}

/** The process `pid`, or undefined when it does not exist (any more). */
export function readProc(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may itself contain spaces or parentheses.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    pid,
    comm: stat.slice(stat.indexOf('(') + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: Number(fields[19]),
  };
}

/** Every process on this machine (Linux `/proc`). */
export function readProcTable(): ProcInfo[] {
  const table: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) table.push(info);
  }
  return table;
}

/** The processes whose process group is `pgid`. */
export function groupMembers(pgid: number, table: readonly ProcInfo[] = readProcTable()): ProcInfo[] {
  return table.filter((p) => p.pgid === pgid);
}

/** `pid` and every process below it (children, grandchildren, ...). */
export function processTree(pid: number, table: readonly ProcInfo[] = readProcTable()): ProcInfo[] {
  const tree = table.filter((p) => p.pid === pid);
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i] as ProcInfo;
    tree.push(...table.filter((p) => p.ppid === parent.pid && !tree.includes(p)));
  }
  return tree;
}

/** Of `seen`, those still running: same pid and start time, and not a zombie. */
export function stillRunning(seen: readonly ProcInfo[]): ProcInfo[] {
  return seen.filter((p) => {
    const now = readProc(p.pid);
    return now !== undefined && now.startTime === p.startTime && now.state !== 'Z';
  });
}

/** `pid:comm` of each process, for messages. */
export function describeProcs(procs: readonly ProcInfo[]): string {
  return procs.map((p) => `${p.pid}:${p.comm}`).join(' ') || 'none';
}
