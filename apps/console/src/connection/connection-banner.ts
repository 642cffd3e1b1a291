import { setText } from '../ui/dom';
import { formatClock } from '../ui/format';
import type { ConnectionView } from './connection-view';

/**
 * Shows a {@link ConnectionView} in the banner element: its text, and for tests and styling
 * `data-state` (`connecting`, `connected`, `reconnecting`, `closed`), `data-ready`,
 * `data-subscribed`, `data-resume` (`fresh`, `gapless`, `gap`) and `data-retry-at` (ms).
 * While reconnecting it counts down to the next attempt once a second.
 */
export class ConnectionBanner {
  private countdown: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly banner: HTMLElement,
    private readonly text: HTMLElement,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows `view`. */
  show(view: ConnectionView): void {
    clearInterval(this.countdown);
    this.countdown = undefined;
    const data = this.banner.dataset;
    data['state'] = view.kind;
    data['ready'] = String(view.kind === 'connected' && view.ready);
    data['subscribed'] = view.kind === 'connected' ? view.subscribed.join(' ') : '';
    if (view.kind === 'connected' && view.resume !== undefined) data['resume'] = view.resume;
    else delete data['resume'];
    if (view.kind === 'reconnecting' && view.retryAt !== undefined) data['retryAt'] = String(view.retryAt);
    else delete data['retryAt'];
    setText(this.text, this.describe(view));
    if (view.kind === 'reconnecting' && view.retryAt !== undefined) {
      // Only the seconds change: the text is updated in place, and aria-live stays quiet about it (see index.html).
      this.countdown = setInterval(() => setText(this.text, this.describe(view)), 1_000);
    }
  }

  private describe(view: ConnectionView): string {
    switch (view.kind) {
      case 'connecting':
        return view.state === 'open' ? 'Connected, authenticating…' : 'Connecting…';
      case 'connected':
        if (!view.ready) return 'Connected, subscribing…';
        if (view.resume === 'gapless') return `Connected · resumed without a gap at ${formatClock(view.since)}`;
        if (view.resume === 'gap') return `Connected · resumed with a gap on ${view.gaps.map((g) => `${g.channel} (${g.reason.replace('_', ' ')})`).join(', ')}: reloaded what can be`;
        return `Connected since ${formatClock(view.since)}`;
      case 'reconnecting': {
        if (view.retryAt === undefined) return 'Connection lost. Reconnecting…';
        const seconds = Math.max(0, Math.ceil((view.retryAt - this.now()) / 1000));
        return `Connection lost. Reconnecting at ${formatClock(view.retryAt)} (in ${seconds} s)…`;
      }
      case 'closed':
        return `Disconnected: ${view.reason}`;
    }
  }
}
