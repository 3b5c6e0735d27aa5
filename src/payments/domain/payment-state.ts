/**
 * The payment state machine: a pure function from (payment, event) to the next payment and what the
 * service must do about it. Every state handles every event explicitly, so adding either breaks the build
 * until each combination is decided.
 *
 * The rule it exists to keep: once a cancel is decided (CANCEL_REQUESTED), the payment never becomes
 * anything but CANCELLED, whatever Alipay or the terminal says afterwards. Late news is kept as a note,
 * except a success after CANCELLED: Alipay holds money again, so the cancel is ordered again.
 */
import type { CancelReason, FailureReason, Payment, PaymentState } from './payment';

export type PaymentEventInput =
  /** Alipay took the money (pay, inquiry or notification said so). */
  | { type: 'alipay-approved'; alipayTransactionId?: string; approvalCode: string }
  /** Alipay refused for good. */
  | { type: 'alipay-declined'; reason: FailureReason; code: string }
  /** Alipay is still processing, or the answer was lost: keep asking. */
  | { type: 'alipay-in-doubt' }
  /** The transport wrote (true) or dropped (false) an approval reply. */
  | { type: 'approval-delivery'; delivered: boolean }
  /**
   * The terminal is answered something other than an approval (91 in doubt, a system error), or nothing
   * can reach it any more (found open after a restart). Stored before that answer is written, so an approval
   * learned later is known to be undelivered and is cancelled at the gateway timeout. Without it, an
   * approval whose delivery is unknown counts as delivered: the terminal that did not get it reverses it.
   */
  | { type: 'answered-without-approval' }
  | { type: 'cancel-requested'; reason: CancelReason }
  /** Alipay confirmed the cancel (or refunded the whole payment instead). */
  | { type: 'cancel-confirmed' }
  /** The cancel policy ran out without a confirmation: people must act. */
  | { type: 'cancel-gave-up' }
  /**
   * The terminal reversed this purchase before it arrived (the reversal was stored first): it is refused
   * without calling Alipay. Only possible before the pay call, i.e. in RECEIVED.
   */
  | { type: 'reversed-before-arrival' }
  /**
   * The terminal's reply deadline (less the reply margin) passed before the pay call could go out: nothing
   * could tell the terminal an approval in time, so Alipay is not asked. Only possible in RECEIVED.
   */
  | { type: 'deadline-passed-before-pay' };

export type PaymentEventType = PaymentEventInput['type'];

/** failureCode of a purchase refused because its reversal arrived first (no Alipay code exists for it). */
export const REVERSED_BEFORE_ARRIVAL = 'REVERSED_BEFORE_ARRIVAL';

/** failureCode of a purchase refused because the terminal's time ran out before the pay call. */
export const REPLY_DEADLINE_PASSED = 'REPLY_DEADLINE_PASSED';

/** What the caller must do besides storing the new payment. */
export type PaymentEffect = { kind: 'enqueue-cancel'; reason: CancelReason } | { kind: 'stop-inquiries' };

export type TransitionResult =
  /** Store `payment` (the caller bumps its version) and carry out `effects`. */
  | { kind: 'changed'; payment: Payment; effects: PaymentEffect[] }
  /** Nothing changes; `note` explains why, for the event history. */
  | { kind: 'ignored'; note: string }
  /** The event cannot happen in this state: a bug in the caller. */
  | { kind: 'rejected'; note: string };

export function transition(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (payment.state) {
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
      return fromOpen(payment, event, at);
    case 'APPROVED':
      return fromApproved(payment, event, at);
    case 'DECLINED':
      return fromDeclined(payment, event, at);
    case 'CANCEL_REQUESTED':
      return fromCancelRequested(payment, event, at);
    case 'CANCELLED':
      return fromCancelled(payment, event, at);
  }
}

function fromOpen(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (event.type) {
    case 'alipay-approved':
      return approve(payment, event, at);
    case 'alipay-declined':
      return changed(payment, at, 'DECLINED', { failureReason: event.reason, failureCode: event.code }, [
        { kind: 'stop-inquiries' },
      ]);
    case 'alipay-in-doubt':
      return payment.state === 'AWAITING_ALIPAY'
        ? ignored('still in doubt')
        : changed(payment, at, 'AWAITING_ALIPAY', {}, []);
    case 'approval-delivery':
      return rejected(payment, event);
    case 'answered-without-approval':
      return markUndelivered(payment, at);
    case 'cancel-requested':
      return requestCancel(payment, event.reason, at);
    case 'cancel-confirmed':
    case 'cancel-gave-up':
      return rejected(payment, event);
    case 'reversed-before-arrival':
      return declineUnpaid(payment, event, at, REVERSED_BEFORE_ARRIVAL);
    case 'deadline-passed-before-pay':
      return declineUnpaid(payment, event, at, REPLY_DEADLINE_PASSED);
  }
}

/** Declined without the pay call; after it (AWAITING_ALIPAY) only a cancel can undo the payment. */
function declineUnpaid(payment: Payment, event: PaymentEventInput, at: Date, failureCode: string): TransitionResult {
  return payment.state === 'RECEIVED'
    ? changed(payment, at, 'DECLINED', { failureReason: 'declined', failureCode }, [{ kind: 'stop-inquiries' }])
    : rejected(payment, event);
}

function fromApproved(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (event.type) {
    case 'alipay-approved':
      return ignored('already approved');
    case 'alipay-declined':
      // Alipay said success before; a later "closed" (e.g. after a full refund) does not undo it.
      return ignored(`approved payment reported as ${event.reason} (${event.code}); kept approved`);
    case 'alipay-in-doubt':
      return ignored('already approved');
    case 'approval-delivery':
      if (event.delivered) {
        return payment.delivery === 'delivered'
          ? ignored('approval already delivered')
          : changed(payment, at, 'APPROVED', { delivery: 'delivered' }, []);
      }
      // A repeat's failed write does not undo an earlier successful one.
      return payment.delivery === 'pending'
        ? changed(payment, at, 'APPROVED', { delivery: 'undelivered' }, [])
        : ignored(`approval delivery failed; delivery stays ${payment.delivery}`);
    case 'answered-without-approval':
      // An approval written before (delivered) stays delivered; one never written is now known undelivered.
      return payment.delivery === 'delivered'
        ? ignored('approval already delivered')
        : markUndelivered(payment, at);
    case 'cancel-requested':
      // The gateway timeout never cancels an approval the terminal got. Checked here, on the row being
      // written, not only by the timer: it decided on a copy that a delivery recorded meanwhile (by a
      // retransmission answered at another instance, say) may have made stale. An approval racing the
      // timeout with its delivery still unknown is cancelled: the terminal's deadline passed long ago.
      if (event.reason === 'gateway-timeout' && payment.delivery === 'delivered') {
        return ignored('approval delivered: the gateway timeout leaves it');
      }
      return requestCancel(payment, event.reason, at);
    case 'cancel-confirmed':
    case 'cancel-gave-up':
    case 'reversed-before-arrival':
    case 'deadline-passed-before-pay':
      return rejected(payment, event);
  }
}

function fromDeclined(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (event.type) {
    case 'alipay-approved':
      // The terminal was told "declined" but Alipay took the money: give it back.
      return requestCancel(
        { ...payment, alipayTransactionId: event.alipayTransactionId ?? payment.alipayTransactionId },
        'late-approval',
        at,
      );
    case 'alipay-declined':
    case 'alipay-in-doubt':
      return ignored('already declined');
    case 'approval-delivery':
      return ignored('declined payments have no approval to deliver');
    case 'answered-without-approval':
      return ignored('declined: the answer was the decline');
    case 'cancel-requested':
      // Nothing was taken, nothing to cancel; the reversal is answered as done.
      return ignored(`cancel (${event.reason}) of a declined payment needs no Alipay call`);
    case 'reversed-before-arrival':
    case 'deadline-passed-before-pay':
      return ignored('already declined');
    case 'cancel-confirmed':
    case 'cancel-gave-up':
      return rejected(payment, event);
  }
}

function fromCancelRequested(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (event.type) {
    case 'alipay-approved':
      return ignored('success reported after the cancel was decided; the cancel stands');
    case 'alipay-declined':
      return ignored(
        `${event.reason} (${event.code}) reported after the cancel was decided; the cancel stands`,
      );
    case 'alipay-in-doubt':
      return ignored('cancel pending');
    case 'approval-delivery':
      return ignored(
        `approval ${event.delivered ? 'delivered' : 'not delivered'} after the cancel was decided`,
      );
    case 'answered-without-approval':
      return ignored('the cancel is decided');
    case 'cancel-requested':
      return ignored(`cancel already requested (${payment.cancelReason ?? 'unknown'})`);
    case 'cancel-confirmed':
      return changed(payment, at, 'CANCELLED', { manualIntervention: false }, []);
    case 'cancel-gave-up':
      return payment.manualIntervention
        ? ignored('already flagged for manual intervention')
        : changed(payment, at, 'CANCEL_REQUESTED', { manualIntervention: true }, []);
    case 'reversed-before-arrival':
      return ignored('reversal arrived again; the cancel stands');
    case 'deadline-passed-before-pay':
      return ignored('not paid: the cancel stands');
  }
}

function fromCancelled(payment: Payment, event: PaymentEventInput, at: Date): TransitionResult {
  switch (event.type) {
    case 'alipay-approved':
      // Alipay holds money after the cancel was confirmed (a "closed" that was not, a pay that landed
      // late): cancel again. The payment still ends CANCELLED; its first cancel reason is kept.
      return changed(payment, at, 'CANCEL_REQUESTED', { manualIntervention: false }, [
        { kind: 'enqueue-cancel', reason: 'late-approval' },
      ]);
    case 'alipay-declined':
    case 'alipay-in-doubt':
    case 'approval-delivery':
    case 'answered-without-approval':
    case 'cancel-requested':
    case 'cancel-confirmed':
    case 'cancel-gave-up':
    case 'reversed-before-arrival':
    case 'deadline-passed-before-pay':
      return ignored(`${event.type} after the payment was cancelled`);
  }
}

function approve(
  payment: Payment,
  event: Extract<PaymentEventInput, { type: 'alipay-approved' }>,
  at: Date,
): TransitionResult {
  return changed(
    payment,
    at,
    'APPROVED',
    {
      alipayTransactionId: event.alipayTransactionId ?? payment.alipayTransactionId,
      approvalCode: event.approvalCode,
    },
    [{ kind: 'stop-inquiries' }],
  );
}

function markUndelivered(payment: Payment, at: Date): TransitionResult {
  return payment.delivery === 'undelivered'
    ? ignored('already known undelivered')
    : changed(payment, at, payment.state, { delivery: 'undelivered' }, []);
}

function requestCancel(payment: Payment, reason: CancelReason, at: Date): TransitionResult {
  return changed(payment, at, 'CANCEL_REQUESTED', { cancelReason: reason }, [
    { kind: 'stop-inquiries' },
    { kind: 'enqueue-cancel', reason },
  ]);
}

type Changes = Partial<
  Pick<
    Payment,
    | 'alipayTransactionId'
    | 'approvalCode'
    | 'failureReason'
    | 'failureCode'
    | 'cancelReason'
    | 'delivery'
    | 'manualIntervention'
  >
>;

function changed(
  payment: Payment,
  at: Date,
  state: PaymentState,
  changes: Changes,
  effects: PaymentEffect[],
): TransitionResult {
  return { kind: 'changed', payment: { ...payment, ...changes, state, updatedAt: at }, effects };
}

function ignored(note: string): TransitionResult {
  return { kind: 'ignored', note };
}

function rejected(payment: Payment, event: PaymentEventInput): TransitionResult {
  return { kind: 'rejected', note: `${event.type} is not possible in state ${payment.state}` };
}
