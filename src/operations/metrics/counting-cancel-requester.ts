/**
 * Counts cancel decisions by reason (the gateway-timeout cancels among them) on their way into the outbox.
 * The payments engine asks its CancelRequester once per stored decision, plus once per version-conflict
 * retry of the same decision, which is rare enough not to matter for a rate.
 */
import type { CancelReason, Payment } from '../../payments/domain/payment';
import type { CancelRequester } from '../../payments/application/ports/cancel-requester.port';
import type { OutboxMessage } from '../../payments/application/ports/payment.repository.port';
import type { SwitchMetrics } from './switch-metrics';

export class CountingCancelRequester implements CancelRequester {
  constructor(
    private readonly inner: CancelRequester,
    private readonly metrics: SwitchMetrics,
  ) {}

  requestCancel(payment: Payment, reason: CancelReason, requestedAt: Date): OutboxMessage {
    const message = this.inner.requestCancel(payment, reason, requestedAt);
    this.metrics.cancelsRequested.labels(reason).inc();
    return message;
  }
}
