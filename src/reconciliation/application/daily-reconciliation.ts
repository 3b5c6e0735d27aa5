/**
 * The daily run: at RECON_DAILY_AT (UTC) every configured channel reconciles its previous day, the day
 * counted in that channel's file time zone (Alipay makes T-day files on T+1). Off until the time is set.
 */
import { STATEMENT_UTC_OFFSET_MINUTES, type ChannelName } from '@switch/alipay';
import type { ReconciliationLog, ReconciliationService } from './reconciliation.service';

const DAY_MS = 24 * 60 * 60_000;

export class DailyReconciliation {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: ReconciliationService,
    private readonly settings: { dailyAtUtc?: string; channels: readonly ChannelName[] },
    private readonly log: ReconciliationLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.settings.dailyAtUtc === undefined) return;
    const wait = msUntil(this.settings.dailyAtUtc, this.now());
    this.timer = setTimeout(() => void this.runAll().finally(() => this.start()), wait);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async runAll(): Promise<void> {
    for (const channel of this.settings.channels) {
      const day = previousDay(channel, this.now());
      try {
        await this.service.reconcileAll(channel, day);
      } catch (err) {
        this.log.warn(
          { channel, day, err: err instanceof Error ? err.message : String(err) },
          'daily reconciliation failed',
        );
      }
    }
  }
}

/** Yesterday as the channel's files count days ("yyyy-MM-dd"). */
export function previousDay(channel: ChannelName, now: Date): string {
  const local = new Date(now.getTime() + STATEMENT_UTC_OFFSET_MINUTES[channel] * 60_000 - DAY_MS);
  return local.toISOString().slice(0, 10);
}

export function msUntil(hhmm: string, now: Date): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m);
  return next > now.getTime() ? next - now.getTime() : next + DAY_MS - now.getTime();
}
