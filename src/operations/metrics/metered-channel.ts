/**
 * A WalletChannel decorator that counts and times every Alipay call. Label children are made once per
 * (API, outcome) and kept, so a call costs two map reads, an increment and a histogram observation.
 */
import type {
  CancelRequest,
  ChannelOutcome,
  IncomingNotification,
  InquireRequest,
  PayRequest,
  RefundRequest,
  WalletChannel,
} from '@switch/alipay';
import type { SwitchMetrics } from './switch-metrics';

type Api = 'pay' | 'inquire' | 'cancel' | 'refund';
type OutcomeKind = ChannelOutcome['kind'];

interface OutcomeMeters {
  calls: { inc(): void };
  seconds: { observe(value: number): void };
  inquiries?: { inc(): void };
}

/** Alipay's "system error" answers: AMS and MAPI SYSTEM_ERROR, Open Platform ACQ.SYSTEM_ERROR, or an HTTP 5xx. */
export function isSystemError(outcome: ChannelOutcome): boolean {
  const raw = outcome.raw;
  if (!raw) return false;
  return (raw.resultCode?.endsWith('SYSTEM_ERROR') ?? false) || (raw.httpStatus ?? 0) >= 500;
}

export class MeteredChannel implements WalletChannel {
  readonly name: WalletChannel['name'];
  /** In-app orders are not metered yet; the inner channel's are passed through as they are. */
  readonly inApp: WalletChannel['inApp'];
  private readonly meters = new Map<Api, Map<OutcomeKind, OutcomeMeters>>();

  constructor(
    private readonly inner: WalletChannel,
    private readonly metrics: SwitchMetrics,
  ) {
    this.name = inner.name;
    this.inApp = inner.inApp;
  }

  pay(req: PayRequest): Promise<ChannelOutcome> {
    return this.measure('pay', this.inner.pay(req));
  }

  inquire(req: InquireRequest): Promise<ChannelOutcome> {
    return this.measure('inquire', this.inner.inquire(req));
  }

  cancel(req: CancelRequest): Promise<ChannelOutcome> {
    return this.measure('cancel', this.inner.cancel(req));
  }

  refund(req: RefundRequest): Promise<ChannelOutcome> {
    return this.measure('refund', this.inner.refund(req));
  }

  verifyNotification(n: IncomingNotification): boolean {
    return this.inner.verifyNotification(n);
  }

  parseNotification(n: IncomingNotification): ReturnType<WalletChannel['parseNotification']> {
    return this.inner.parseNotification(n);
  }

  private async measure(api: Api, call: Promise<ChannelOutcome>): Promise<ChannelOutcome> {
    const startedAt = performance.now();
    const outcome = await call;
    const meters = this.metersFor(api, outcome.kind);
    meters.calls.inc();
    meters.seconds.observe((outcome.raw?.latencyMs ?? performance.now() - startedAt) / 1000);
    meters.inquiries?.inc();
    if (outcome.kind === 'unknown') this.metrics.unknownOutcomes.labels(this.name, api, outcome.cause).inc();
    if (isSystemError(outcome)) this.metrics.systemErrors.labels(this.name, api).inc();
    return outcome;
  }

  private metersFor(api: Api, kind: OutcomeKind): OutcomeMeters {
    let byOutcome = this.meters.get(api);
    if (!byOutcome) this.meters.set(api, (byOutcome = new Map<OutcomeKind, OutcomeMeters>()));
    let meters = byOutcome.get(kind);
    if (!meters) {
      meters = {
        calls: this.metrics.alipayCalls.labels(this.name, api, kind),
        seconds: this.metrics.alipayCallSeconds.labels(this.name, api, kind),
        inquiries: api === 'inquire' ? this.metrics.inquiries.labels(this.name, kind) : undefined,
      };
      byOutcome.set(kind, meters);
    }
    return meters;
  }
}
