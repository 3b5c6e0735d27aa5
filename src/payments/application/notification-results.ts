/**
 * Payment results Alipay pushes (notifyPayment / notify_url), already signature-checked by the
 * notifications module. The amount and currency must match what was asked; a result after a cancel was
 * decided is only recorded (the state machine keeps the cancel). Idempotent: a repeat changes nothing.
 */
import { currencyByAlpha } from '@switch/alipay';
import { newApprovalCode } from '../domain/identifiers';
import type { ChannelName, Payment, PaymentState } from '../domain/payment';
import type { RandomBytes } from '../domain/random';
import { note } from './history';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { PaymentRepository } from './ports/payment.repository.port';

/**
 * A notification repeating the payment's settled result (the usual case: Alipay notifies every approval the
 * pay call already returned) writes nothing to the payment; the notification log is its record.
 */
const QUIET_REPEAT = { silentWhenRestated: true } as const;

export interface NotifiedResult {
  paymentRequestId: string;
  status: 'success' | 'failure';
  amount?: { amountMinor: number; currency: string /* ISO alpha */ };
  alipayTransactionId?: string;
}

export type NotificationApplied =
  | 'applied'
  | 'ignored'
  | 'unknown-payment'
  | 'amount-mismatch'
  | 'merchant-mismatch';

/** Who the notification proves it comes from: its channel and the merchants sharing that Alipay identity. */
export interface NotificationSender {
  channel: ChannelName;
  merchantIds: readonly string[];
}

export interface NotificationSettled {
  outcome: NotificationApplied;
  paymentId?: string;
  /** The payment's state after the notification (unchanged unless `applied`). */
  state?: PaymentState;
}

export class NotificationResults {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly transitions: PaymentTransitions,
    private readonly clock: Clock,
    private readonly random?: RandomBytes,
  ) {}

  async record(result: NotifiedResult): Promise<NotificationApplied> {
    return (await this.settle(result)).outcome;
  }

  /** The payment a notification names (for `settle`, read ahead by a caller that reads other things too). */
  find(paymentRequestId: string): Promise<Payment | undefined> {
    return this.payments.findByPaymentRequestId(paymentRequestId);
  }

  /** The payment as this process last wrote it, without a read, if it still holds that copy. */
  recent(paymentRequestId: string): Payment | undefined {
    return this.payments.recentByPaymentRequestId?.(paymentRequestId);
  }

  /**
   * Like record, and first checks that `sender` owns the payment (a notification signed for one merchant
   * never settles another's payment); reports the payment and its state for the notification log.
   */
  async settle(
    result: NotifiedResult,
    sender?: NotificationSender,
    found: Promise<Payment | undefined> = this.find(result.paymentRequestId),
  ): Promise<NotificationSettled> {
    const payment = await found;
    if (!payment) return { outcome: 'unknown-payment' };
    const seen = { paymentId: payment.id, state: payment.state };
    if (sender && (sender.channel !== payment.channel || !sender.merchantIds.includes(payment.merchantId))) {
      return { ...seen, outcome: 'merchant-mismatch' };
    }
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
        return { ...seen, outcome: 'amount-mismatch' };
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
            QUIET_REPEAT,
          )
        : await this.transitions.apply(
            payment.id,
            { type: 'alipay-declined', reason: 'declined', code: 'NOTIFIED_FAILURE' },
            history,
            QUIET_REPEAT,
          );
    return {
      outcome: applied.kind === 'changed' ? 'applied' : 'ignored',
      paymentId: payment.id,
      state: applied.payment.state,
    };
  }
}
