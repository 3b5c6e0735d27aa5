import { statementDayWindow, type StatementLine } from '../../reconciliation';
import type { Ledger, SandboxPayment } from '../ledger';
import type { SandboxProtocol } from '../protocol';
import type { StatementPlants } from './statement-plants';

/**
 * What the sandbox's file for a protocol and day says, from its ledger: a payment line when the money
 * was taken, a cancel line when a cancel gave it back, a refund line per refund, each on the day (in the
 * channel's file time zone) it happened; then the planted discrepancies; in time order.
 */
export function statementLines(
  ledger: Ledger,
  plants: StatementPlants,
  protocol: SandboxProtocol,
  day: string,
): StatementLine[] {
  const { start, end } = statementDayWindow(protocol, day);
  const within = (at: Date | undefined): at is Date =>
    at !== undefined && at.getTime() >= start.getTime() && at.getTime() < end.getTime();
  const lines: StatementLine[] = [];
  for (const payment of ledger.list({ protocol })) {
    if (plants.isDropped(protocol, payment.id)) continue;
    const common = { alipayTransactionId: payment.alipayTransactionId, currency: payment.currency };
    if (within(payment.paidAt))
      lines.push({
        kind: 'payment',
        requestId: payment.id,
        amountMinor: plants.amountOf(protocol, payment.id, payment.amountMinor),
        at: payment.paidAt,
        ...common,
      });
    if (payment.cancelAction === 'refund' && within(payment.cancelledAt))
      lines.push({
        kind: 'cancel',
        requestId: payment.id,
        paymentRequestId: payment.id,
        amountMinor: payment.amountMinor - refundedBefore(payment, payment.cancelledAt),
        at: payment.cancelledAt,
        ...common,
      });
    for (const refund of payment.refunds.values()) {
      if (!within(refund.at)) continue;
      lines.push({
        kind: 'refund',
        requestId: refund.refundRequestId,
        paymentRequestId: payment.id,
        amountMinor: plants.refundAmountOf(protocol, refund.refundRequestId, refund.amountMinor),
        at: refund.at,
        ...common,
      });
    }
  }
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function refundedBefore(payment: SandboxPayment, at: Date): number {
  let sum = 0;
  for (const r of payment.refunds.values()) if (r.at.getTime() <= at.getTime()) sum += r.amountMinor;
  return sum;
}
