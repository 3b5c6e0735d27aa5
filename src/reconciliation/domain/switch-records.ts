/**
 * The switch's side of a reconciliation, reduced to what matching needs. A day holds up to millions of
 * these, so they are small: no payment code, no history, the currency as its ISO alpha code.
 */
import type { PaymentState } from '../../payments/domain/payment';
import type { RefundState } from '../../payments/domain/refund';

export interface SwitchPaymentRecord {
  readonly paymentRequestId: string;
  readonly state: PaymentState;
  readonly delivered: boolean;
  readonly amountMinor: number;
  /** ISO 4217 alpha. */
  readonly currency: string;
  /** For a CANCELLED payment, when Alipay confirmed the cancel (the row's last change). */
  readonly updatedAt: Date;
}

export interface SwitchRefundRecord {
  readonly refundRequestId: string;
  readonly state: RefundState;
  readonly amountMinor: number;
  readonly currency: string;
}

/** The switch holds money for it: approved, and the approval reached the terminal. */
export const switchHolds = (p: Pick<SwitchPaymentRecord, 'state' | 'delivered'>): boolean =>
  p.state === 'APPROVED' && p.delivered;
