/**
 * Counts cancel decisions by reason (the gateway-timeout cancels among them) on their way into the outbox.
 * The payments engine asks its CancelRequester again when the update carrying the decision loses a version
 * race and is re-applied; a payment enters CANCEL_REQUESTED only once, so each payment is counted once
 * (remembered among the last RECENT decisions, far more than can be retrying at the same time).
 */
import type { CancelRequester } from '../../payments/application/ports/cancel-requester.port';
import type { OutboxMessage } from '../../payments/application/ports/payment.repository.port';
import type { CancelReason, Payment } from '../../payments/domain/payment';
import type { SwitchMetrics } from './switch-metrics';

const RECENT = 10_000;

export class CountingCancelRequester implements CancelRequester {
  private readonly counted = new Set<string>();

  constructor(
    private readonly inner: CancelRequester,
    private readonly metrics: SwitchMetrics,
  ) {}

  requestCancel(payment: Payment, reason: CancelReason, requestedAt: Date): OutboxMessage {
    const message = this.inner.requestCancel(payment, reason, requestedAt);
    if (!this.counted.has(payment.id)) {
      this.counted.add(payment.id);
      if (this.counted.size > RECENT) this.counted.delete(this.counted.values().next().value as string);
      this.metrics.cancelsRequested.labels(reason).inc();
    }
    return message;
  }
}
