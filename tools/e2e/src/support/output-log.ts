/**
 * The combined stdout and stderr of a child process as one text, for waiting on lines and
 * for putting its end into failure messages.
 */
export class OutputLog {
  private content = '';

  /** Appends a chunk of output. */
  append(chunk: string | Buffer): void {
    this.content += chunk.toString();
  }

  /** Everything so far. */
  get text(): string {
    return this.content;
  }

  /** The last `chars` characters (default 3000), e.g. for an error message. */
  tail(chars = 3000): string {
    return this.content.slice(-chars);
  }
}
