/**
 * The payment aggregate: one purchase from one terminal, from the moment it is stored until Alipay and the
 * switch agree on its final state. Plain data, changed only through `payment-state.ts`.
 *
 * Optional fields are `undefined` when absent (a persistence mapper turns SQL NULL into `undefined`).
 */

import type { ChannelName, FailureReason } from '@switch/alipay';

// The wallet port's vocabulary is the domain's too (the domain may depend on libs, never on Nest or TypeORM).
export type { ChannelName, FailureReason };

/**
 * RECEIVED: stored, pay call not answered yet (it may or may not have reached Alipay).
 * AWAITING_ALIPAY: Alipay answered "processing" or the outcome is in doubt; inquiries run.
 * APPROVED: Alipay took the money; final once the approval reached the terminal (`delivery = 'delivered'`).
 * DECLINED: Alipay refused, or the switch refused before calling; final.
 * CANCEL_REQUESTED: the switch decided to cancel; a cancel order sits in the outbox; nothing can undo it.
 * CANCELLED: Alipay confirmed the cancel (or a refund of the whole amount when past the cancel window); final.
 */
export type PaymentState =
  'RECEIVED' | 'AWAITING_ALIPAY' | 'APPROVED' | 'DECLINED' | 'CANCEL_REQUESTED' | 'CANCELLED';

export const PAYMENT_STATES: readonly PaymentState[] = [
  'RECEIVED',
  'AWAITING_ALIPAY',
  'APPROVED',
  'DECLINED',
  'CANCEL_REQUESTED',
  'CANCELLED',
];

/** Whether the approval reached the terminal: only an approval reply moves this off 'pending'. */
export type DeliveryStatus = 'pending' | 'delivered' | 'undelivered';

/** Why the switch decided to cancel. */
export type CancelReason =
  | 'gateway-timeout' // no approval delivered to the terminal by the gateway timeout
  | 'in-doubt-on-resume' // found unfinished and past its gateway timeout after a restart
  | 'terminal-reversal' // the terminal sent 0400/0420
  | 'late-approval' // Alipay reported success for a payment the terminal was told was declined
  | 'operator' // an admin asked for it
  | 'reconciliation'; // Alipay's file shows money taken the switch does not consider approved and delivered

export interface Payment {
  /** Switch-assigned id (UUID). */
  readonly id: string;
  /** The id sent to Alipay (`paymentRequestId` / `out_trade_no` / `partner_trans_id`); see payment-request-id.ts. */
  readonly paymentRequestId: string;
  readonly terminalId: string;
  readonly merchantId: string;
  /** Field 11, 6 digits. */
  readonly stan: string;
  /** Fields 13 + 12 as the terminal sent them: 'MMDDhhmmss' terminal local time. */
  readonly localDateTime: string;
  /** Field 37, 12 characters, assigned by the switch, unique. */
  readonly rrn: string;
  /** MTI of the request with the repeat digit cleared: '0100' or '0200' (needed to match field 90). */
  readonly requestMti: string;
  /** Field 3 as received (6 digits). */
  readonly processingCode: string;
  /** Field 4: integer minor units of `currencyNumeric`. */
  readonly amountMinor: number;
  /** Field 49: ISO 4217 numeric, 3 digits. */
  readonly currencyNumeric: string;
  /** Payment code with only the first 2 and last 4 digits visible; the clear code is never stored. */
  readonly paymentCodeMasked: string;
  /** HMAC-SHA256(PAYMENT_CODE_HASH_KEY, code), lowercase hex: detects a retransmission with another code. */
  readonly paymentCodeHash: string;
  readonly channel: ChannelName;
  readonly state: PaymentState;
  readonly delivery: DeliveryStatus;
  readonly alipayTransactionId?: string;
  /** Field 38 on approval, 6 characters. */
  readonly approvalCode?: string;
  readonly failureReason?: FailureReason;
  /** The channel's own result code, kept for support (e.g. 'USER_BALANCE_NOT_ENOUGH', 'ACQ.TRADE_HAS_CLOSE'). */
  readonly failureCode?: string;
  readonly cancelReason?: CancelReason;
  /** Set when the cancel policy ran out; the payment stays CANCEL_REQUESTED and shows on the ops list. */
  readonly manualIntervention: boolean;
  /** Sum of refunds Alipay confirmed. */
  readonly refundedMinor: number;
  /** Sum of refunds in flight; refundedMinor + reservedRefundMinor never exceeds amountMinor. */
  readonly reservedRefundMinor: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The terminal's merchant timeout: no reply after it. */
  readonly merchantDeadlineAt: Date;
  /** createdAt + gateway timeout: an approval not delivered by then is cancelled. */
  readonly gatewayDeadlineAt: Date;
  /** Optimistic lock: 1 on insert, +1 on every update. */
  readonly version: number;
  /**
   * The switch instance whose timers (inquiries, gateway timeout) drive the payment while it is unfinished;
   * absent once it is final, and on payments stored before instances were recorded. docs/architecture.md,
   * "Ownership and takeover".
   */
  readonly ownerInstance?: string;
}

type PaymentStart = Pick<
  Payment,
  | 'state'
  | 'delivery'
  | 'manualIntervention'
  | 'refundedMinor'
  | 'reservedRefundMinor'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
  | 'ownerInstance'
>;

/**
 * What every payment starts with, however it was taken (a terminal's purchase, an in-app order). The owner
 * is written in the same INSERT: owning a payment costs no round trip.
 */
export function paymentStart(now: Date, ownerInstance: string | undefined): PaymentStart {
  return {
    state: 'RECEIVED',
    delivery: 'pending',
    manualIntervention: false,
    refundedMinor: 0,
    reservedRefundMinor: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...(ownerInstance !== undefined ? { ownerInstance } : {}),
  };
}

/**
 * Whether another instance drives the payment. An engine without an instance id (unit tests, tools) owns
 * everything, and a payment without an owner is nobody's in particular.
 */
export function ownedElsewhere(payment: Payment, instanceId: string | undefined): boolean {
  return instanceId !== undefined && payment.ownerInstance !== undefined && payment.ownerInstance !== instanceId;
}

/** Final states: nothing more will happen to the payment (besides refunds of an approved one). */
export function isFinal(payment: Payment): boolean {
  switch (payment.state) {
    case 'DECLINED':
    case 'CANCELLED':
      return true;
    case 'APPROVED':
      return payment.delivery === 'delivered';
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
    case 'CANCEL_REQUESTED':
      return false;
  }
}

/** Alipay has not given a definite answer yet: inquiries run. */
export function isOpen(payment: Payment): boolean {
  return payment.state === 'RECEIVED' || payment.state === 'AWAITING_ALIPAY';
}
