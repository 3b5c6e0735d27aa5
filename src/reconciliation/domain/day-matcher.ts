/**
 * Matches one channel-day of Alipay's file with the switch's payments and refunds. Pure and streaming:
 * the switch's records for the day are loaded first (small records, one per payment), then every line of
 * the file is folded in as it is read, then `finish` classifies. Lines that name a payment or refund the
 * day did not load (made on another day, or never stored) are asked for once, in a batch
 * (`unresolvedRequestIds` → `addSwitchRecords`).
 *
 * The file tells, per payment, whether Alipay took the money that day and whether it gave it back (a
 * cancel, or the full refund a cancel past its window makes). A payment the switch cancelled after the
 * day ended has its cancel in a later file: not an orphan.
 */
import type { StatementLine } from '@switch/alipay';
import { cancelRefundRequestId } from '../../reversals/domain/cancel-verdict';
import { money, type Difference, type DifferenceKind, type OrphanDebit } from './difference';
import { PAYMENT_STATES, type PaymentState } from '../../payments/domain/payment';
import { switchHolds, type SwitchPaymentRecord, type SwitchRefundRecord } from './switch-records';

const KNOWN = 1;
const DELIVERED = 2;
const PAID = 4;
const RETURNED = 8;
/** The switch's last change (for a CANCELLED payment, the cancel) came after the file's day ended. */
const CHANGED_AFTER_DAY = 16;
const STATE_SHIFT = 5;
const STATES: readonly PaymentState[] = PAYMENT_STATES;

/**
 * One payment of the day: the switch's figures copied in (the record object itself is let go), then what
 * the file says. Five fields and one bit set, so a million-payment day keeps about 64 bytes per payment
 * besides its id.
 */
class PaymentSlot {
  flags = 0;
  amountMinor = 0;
  currency = '';
  paidMinor = 0;
  paidCurrency = '';

  take(p: SwitchPaymentRecord, dayEndMs: number): void {
    this.flags =
      (this.flags & (PAID | RETURNED)) |
      KNOWN |
      (p.delivered ? DELIVERED : 0) |
      (p.updatedAt.getTime() >= dayEndMs ? CHANGED_AFTER_DAY : 0) |
      (STATES.indexOf(p.state) << STATE_SHIFT);
    this.amountMinor = p.amountMinor;
    this.currency = p.currency;
  }

  get known(): boolean {
    return (this.flags & KNOWN) !== 0;
  }
  get paid(): boolean {
    return (this.flags & PAID) !== 0;
  }
  set paid(value: boolean) {
    this.flags = value ? this.flags | PAID : this.flags & ~PAID;
  }
  get returned(): boolean {
    return (this.flags & RETURNED) !== 0;
  }
  set returned(value: boolean) {
    this.flags = value ? this.flags | RETURNED : this.flags & ~RETURNED;
  }
  get changedAfterDay(): boolean {
    return (this.flags & CHANGED_AFTER_DAY) !== 0;
  }

  /** The switch's side again, for judging (once per payment, at the end). */
  get record(): Omit<SwitchPaymentRecord, 'paymentRequestId' | 'updatedAt'> | undefined {
    if (!this.known) return undefined;
    return {
      state: STATES[this.flags >> STATE_SHIFT],
      delivered: (this.flags & DELIVERED) !== 0,
      amountMinor: this.amountMinor,
      currency: this.currency,
    };
  }
}

class RefundSlot {
  alipayMinor: number | undefined;
  alipayCurrency = '';
  constructor(public record: SwitchRefundRecord | undefined) {}
}

export interface DayResult {
  readonly linesRead: number;
  readonly paymentsMatched: number;
  readonly refundsMatched: number;
  readonly differences: readonly Difference[];
  readonly orphans: readonly OrphanDebit[];
}

const CANCEL_REFUND_PREFIX = cancelRefundRequestId('');

export class DayMatcher {
  private readonly payments = new Map<string, PaymentSlot>();
  private readonly refunds = new Map<string, RefundSlot>();
  /** MAPI cancels name Alipay's transaction id only; resolved through the payment lines at the end. */
  private readonly cancelsByAlipayId = new Set<string>();
  private readonly alipayIds = new Map<string, string>();
  private readonly unreadable: Difference[] = [];
  private linesRead = 0;
  private mapiCancels = false;

  /** `dayEnd`: the end of the file's day; cancels the switch confirmed after it are in a later file. */
  constructor(private readonly dayEnd: Date) {}

  addSwitchRecords(
    payments: Iterable<SwitchPaymentRecord>,
    refunds: Iterable<SwitchRefundRecord> = [],
  ): void {
    for (const p of payments) this.paymentSlot(p.paymentRequestId).take(p, this.dayEnd.getTime());
    for (const r of refunds) {
      const slot = this.refunds.get(r.refundRequestId);
      if (slot) slot.record = r;
      else this.refunds.set(r.refundRequestId, new RefundSlot(r));
    }
  }

  addLine(line: StatementLine): void {
    this.linesRead += 1;
    switch (line.kind) {
      case 'payment': {
        if (line.requestId === undefined)
          return this.addUnreadable(`line ${this.linesRead}`, 'payment without id');
        const slot = this.paymentSlot(line.requestId);
        slot.paid = true;
        slot.paidMinor += line.amountMinor;
        // The switch's (interned) code when they agree: a million slots need not keep a million copies.
        slot.paidCurrency = line.currency === slot.currency ? slot.currency : line.currency;
        if (line.alipayTransactionId && this.mapiCancels)
          this.alipayIds.set(line.alipayTransactionId, line.requestId);
        return;
      }
      case 'cancel':
        if (line.requestId !== undefined) this.paymentSlot(line.requestId).returned = true;
        else if (line.alipayTransactionId) this.cancelsByAlipayId.add(line.alipayTransactionId);
        else this.addUnreadable(`line ${this.linesRead}`, 'cancel without any id');
        return;
      case 'refund': {
        const id = line.requestId ?? '';
        // The full refund a cancel makes past the cancel window is that payment's cancel, not a refund.
        if (id.startsWith(CANCEL_REFUND_PREFIX) && !this.refunds.has(id)) {
          this.paymentSlot(id.slice(CANCEL_REFUND_PREFIX.length)).returned = true;
          return;
        }
        const slot = this.refundSlot(id);
        slot.alipayMinor = (slot.alipayMinor ?? 0) + line.amountMinor;
        slot.alipayCurrency = line.currency;
        return;
      }
    }
  }

  addUnreadable(reference: string, problem: string): void {
    this.unreadable.push({ kind: 'unreadable-line', reference, switchSide: 'none', alipaySide: problem });
  }

  /** Ids seen in the file that no loaded record has: look them up and pass them to addSwitchRecords. */
  unresolvedRequestIds(): { payments: string[]; refunds: string[]; alipayTransactionIds: string[] } {
    const payments: string[] = [];
    for (const [id, slot] of this.payments) if (!slot.known) payments.push(id);
    const refunds: string[] = [];
    for (const [id, slot] of this.refunds) if (!slot.record) refunds.push(id);
    const alipayTransactionIds = [...this.cancelsByAlipayId].filter((id) => !this.alipayIds.has(id));
    return { payments, refunds, alipayTransactionIds };
  }

  /** A MAPI cancel whose payment line is in another file: the switch's record names the Alipay id. */
  addAlipayTransactionIds(pairs: Iterable<{ alipayTransactionId: string; paymentRequestId: string }>): void {
    for (const p of pairs) this.alipayIds.set(p.alipayTransactionId, p.paymentRequestId);
  }

  finish(): DayResult {
    for (const alipayId of this.cancelsByAlipayId) {
      const requestId = this.alipayIds.get(alipayId);
      if (requestId !== undefined) this.paymentSlot(requestId).returned = true;
      else this.addUnreadable(alipayId, 'cancel of an Alipay transaction no payment line or record names');
    }
    const differences: Difference[] = [...this.unreadable];
    const orphans: OrphanDebit[] = [];
    let paymentsMatched = 0;
    for (const [id, slot] of this.payments) {
      const found = this.judgePayment(id, slot);
      if (found === 'matched') paymentsMatched += 1;
      else if (found !== 'nothing') {
        differences.push(found);
        if (found.kind === 'orphan-debit') orphans.push(found as OrphanDebit);
      }
    }
    let refundsMatched = 0;
    for (const [id, slot] of this.refunds) {
      const found = judgeRefund(id, slot);
      if (found === 'matched') refundsMatched += 1;
      else if (found !== 'nothing') differences.push(found);
    }
    return { linesRead: this.linesRead, paymentsMatched, refundsMatched, differences, orphans };
  }

  private judgePayment(id: string, slot: PaymentSlot): Difference | 'matched' | 'nothing' {
    const record = slot.record;
    const alipayHolds = slot.paid && !slot.returned;
    const alipaySide = !slot.paid
      ? slot.returned
        ? 'returned (cancel) only'
        : 'none'
      : `paid ${money(slot.paidMinor, slot.paidCurrency)}${slot.returned ? ', returned by a cancel' : ''}`;
    if (!record) {
      if (!alipayHolds) return slot.paid ? 'matched' : 'nothing';
      return orphan(id, 'never stored', alipaySide, slot);
    }
    const switchSide = `${record.state}${record.state === 'APPROVED' ? (record.delivered ? ' delivered' : ' not delivered') : ''} ${money(record.amountMinor, record.currency)}`;
    const diff = (kind: DifferenceKind): Difference => ({ kind, reference: id, switchSide, alipaySide });
    if (switchHolds(record)) {
      if (!alipayHolds) return diff('missing-at-alipay');
      if (slot.paidMinor !== record.amountMinor || slot.paidCurrency !== record.currency)
        return diff('amount-mismatch');
      return 'matched';
    }
    if (!alipayHolds) return slot.paid || slot.returned ? 'matched' : 'nothing';
    if (record.state === 'CANCELLED' && slot.changedAfterDay) return 'matched';
    const found: OrphanDebit = { ...orphan(id, switchSide, alipaySide, slot), switchState: record.state };
    return found;
  }

  private paymentSlot(id: string): PaymentSlot {
    return slotOf(this.payments, id, () => new PaymentSlot());
  }

  private refundSlot(id: string): RefundSlot {
    return slotOf(this.refunds, id, () => new RefundSlot(undefined));
  }

  /** Files whose cancels name only Alipay's id (MAPI): remember every payment line's Alipay id. */
  expectCancelsByAlipayId(): void {
    this.mapiCancels = true;
  }
}

function orphan(id: string, switchSide: string, alipaySide: string, slot: PaymentSlot): OrphanDebit {
  return {
    kind: 'orphan-debit',
    reference: id,
    switchSide,
    alipaySide,
    amountMinor: slot.paidMinor,
    currency: slot.paidCurrency,
  };
}

function judgeRefund(id: string, slot: RefundSlot): Difference | 'matched' | 'nothing' {
  const record = slot.record;
  const alipaySide =
    slot.alipayMinor === undefined ? 'none' : `refunded ${money(slot.alipayMinor, slot.alipayCurrency)}`;
  const succeeded = record?.state === 'SUCCEEDED';
  if (!succeeded && slot.alipayMinor === undefined) return 'nothing';
  if (succeeded && slot.alipayMinor === record.amountMinor && slot.alipayCurrency === record.currency)
    return 'matched';
  const switchSide = record ? `${record.state} ${money(record.amountMinor, record.currency)}` : 'none';
  return { kind: 'refund-difference', reference: id, switchSide, alipaySide };
}

function slotOf<S>(slots: Map<string, S>, id: string, create: () => S): S {
  let slot = slots.get(id);
  if (slot === undefined) {
    slot = create();
    slots.set(id, slot);
  }
  return slot;
}
