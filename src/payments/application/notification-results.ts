/**
 * Payment results Alipay pushes (notifyPayment / notify_url), already signature-checked by the
 * notifications module. The amount and currency must match what was asked; a result after a cancel was
 * decided is only recorded (the state machine keeps the cancel). Idempotent: a repeat changes nothing.
 */
import { currencyByAlpha } from '@switch/alipay';
import { newApprovalCode } from '../domain/identifiers';
import type { RandomBytes } from '../domain/random';
import { note } from './history';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { PaymentRepository } from './ports/payment.repository.port';

export interface NotifiedResult {
  paymentRequestId: string;
  status: 'success' | 'failure';
  amount?: { amountMinor: number; currency: string /* ISO alpha */ };
  alipayTransactionId?: string;
}

export type NotificationApplied = 'applied' | 'ignored' | 'unknown-payment' | 'amount-mismatch';

export class NotificationResults {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly transitions: PaymentTransitions,
    private readonly clock: Clock,
    private readonly random?: RandomBytes,
  ) {}

  async record(result: NotifiedResult): Promise<NotificationApplied> {
    const payment = await this.payments.findByPaymentRequestId(result.paymentRequestId);
    if (!payment) return 'unknown-payment';
    const subject = { paymentId: payment.id };
    if (result.amount) {
      const currency = currencyByAlpha(result.amount.currency);
      if (
        result.amount.amountMinor !== payment.amountMinor ||
        currency?.numeric !== payment.currencyNumeric
      ) {
        await this.transitions.appendHistory(payment.id, () => [
          note(
            subject,
            this.clock.now(),
            `notification ignored: amount ${result.amount?.amountMinor} ${result.amount?.currency} does not match`,
          ),
        ]);
        return 'amount-mismatch';
      }
    }
    const history = [note(subject, this.clock.now(), `notification: ${result.status}`)];
    const applied =
      result.status === 'success'
        ? await this.transitions.apply(
            payment.id,
            {
              type: 'alipay-approved',
              alipayTransactionId: result.alipayTransactionId,
              approvalCode: newApprovalCode(this.random),
            },
            history,
          )
        : await this.transitions.apply(
            payment.id,
            { type: 'alipay-declined', reason: 'declined', code: 'NOTIFIED_FAILURE' },
            history,
          );
    return applied.kind === 'changed' ? 'applied' : 'ignored';
  }
}
