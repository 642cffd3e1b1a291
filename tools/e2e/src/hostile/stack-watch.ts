import type { E2eStack } from '../stack';

/** A log line the input under test may legitimately cause at error level (none by default). */
export type ExpectedErrorLine = (replica: string, line: { level: number; msg: string; [field: string]: unknown }) => boolean;

/**
 * Watches a stack between two points of a test: {@link mark} remembers where every replica's
 * log stands, {@link problems} lists what went wrong since: a replica that is not running or
 * was restarted, one whose `/readyz` does not answer 200, and every log line at level 50
 * (error) or above that the input should not cause.
 */
export class StackWatch {
  private readonly marks = new Map<string, number>();

  constructor(private readonly stack: E2eStack) {
    this.mark();
  }

  /** Remembers the current length of every replica's log. */
  mark(): void {
    for (const replica of this.stack.replicas) this.marks.set(replica.name, replica.logLines().length);
  }

  /** Log lines at level >= 50 since the mark, as `replica level msg {fields}` text, minus the expected ones. */
  errorLines(expected: ExpectedErrorLine = () => false): string[] {
    return this.stack.replicas.flatMap((replica) =>
      replica
        .logLines()
        .slice(this.marks.get(replica.name) ?? 0)
        .filter(({ line }) => line.level >= 50 && !expected(replica.name, line))
        .map(({ line }) => `${replica.name} ${line.level} ${line.msg} ${JSON.stringify(line).slice(0, 600)}`),
    );
  }

  /** Everything wrong with the stack now (empty when every replica serves and logged no unexpected error). */
  async problems(expected?: ExpectedErrorLine): Promise<string[]> {
    const found: string[] = [];
    for (const replica of this.stack.replicas) {
      if (!replica.running) found.push(`${replica.name} is not running:\n${replica.outputText().slice(-2_000)}`);
      if (replica.incarnations.length !== 1) found.push(`${replica.name} was restarted (${replica.incarnations.length} processes)`);
      if (!replica.running) continue;
      try {
        const response = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
        if (response.status !== 200) found.push(`${replica.name} /readyz answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      } catch (error) {
        found.push(`${replica.name} /readyz failed: ${(error as Error).message}`);
      }
    }
    return [...found, ...this.errorLines(expected)];
  }

  /** Throws, listing every problem, unless every replica is serving and logged no unexpected error since the mark. */
  async expectServing(expected?: ExpectedErrorLine): Promise<void> {
    const problems = await this.problems(expected);
    if (problems.length > 0) throw new Error(`the stack is not serving as it should:\n- ${problems.join('\n- ')}`);
  }
}
