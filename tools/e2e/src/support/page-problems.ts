import type { Page } from 'playwright-core';

/**
 * Collects what goes wrong in a page: console messages of type `error` (with their source
 * location) and uncaught exceptions (`pageerror`). `take()` returns and clears them, so a
 * test can fail on the problems that appeared during it.
 */
export class PageProblems {
  private problems: string[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      this.problems.push(`console error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.stack ?? error.message}`));
  }

  /** The problems since the last call, cleared. */
  take(): string[] {
    const taken = this.problems;
    this.problems = [];
    return taken;
  }
}
