/** Counts cancel decisions by reason (the gateway-timeout cancels among them), once each, after commit. */
import type { CancelReason, Payment } from '../../payments/domain/payment';
import type { CancelDecisions } from '../../payments/application/ports/cancel-decisions.port';
import type { SwitchMetrics } from './switch-metrics';

export class CancelDecisionsMeter implements CancelDecisions {
  constructor(private readonly metrics: SwitchMetrics) {}

  decided(_payment: Payment, reason: CancelReason): void {
    this.metrics.cancelsRequested.labels(reason).inc();
  }
}
