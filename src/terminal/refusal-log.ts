import type { IsoLogger } from './iso-logger';

/** Why a connection was turned away at or soon after accept. */
export type RefusalReason =
  | 'shutting-down'
  | 'connection-limit'
  | 'source-limit'
  | 'no-valid-first-frame'
  /** From a trusted load balancer, without a valid PROXY protocol header in time. */
  | 'bad-proxy-header';

const SOURCES_NAMED = 5;

/**
 * Counts refused connections and writes them as one warning per interval, with the busiest sources: a host
 * opening thousands of connections gets a few log lines, not one per connection.
 */
export class RefusalLog {
  private counts = new Map<RefusalReason, number>();
  private sources = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: IsoLogger,
    private readonly intervalMs: number,
  ) {}

  count(reason: RefusalReason, remote: string | undefined): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const source = remote ?? 'unknown';
    // Bounded: past the first thousand distinct sources in an interval, the rest count under "other".
    const key = this.sources.has(source) || this.sources.size < 1_000 ? source : 'other';
    this.sources.set(key, (this.sources.get(key) ?? 0) + 1);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes what was counted since the last line (if anything) and starts a new interval. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counts.size === 0) return;
    const busiest = [...this.sources.entries()].sort((a, b) => b[1] - a[1]).slice(0, SOURCES_NAMED);
    const refused = Object.fromEntries(this.counts);
    const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
    this.counts = new Map();
    this.sources = new Map();
    this.logger.warn(
      { refused, total, sources: Object.fromEntries(busiest), intervalMs: this.intervalMs },
      'terminal connections refused',
    );
  }
}
