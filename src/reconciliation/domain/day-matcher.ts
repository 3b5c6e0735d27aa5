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
import { describeTotals, type SettlementTotalsMismatch, type StatementLine } from '@switch/alipay';
import { cancelRefundRequestId } from '../../reversals/domain/cancel-verdict';
import { money, type Difference, type DifferenceKind, type OrphanDebit } from './difference';
import { PaymentSlots } from './payment-slots';
import { switchHolds, type SwitchPaymentRecord, type SwitchRefundRecord } from './switch-records';

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
  private readonly payments = new PaymentSlots();
  private readonly refunds = new Map<string, RefundSlot>();
  /** MAPI cancels name Alipay's transaction id only; resolved through the payment lines at the end. */
  private readonly cancelsByAlipayId = new Set<string>();
  private readonly alipayIds = new Map<string, string>();
  /** Differences found while reading (unreadable rows, settlement totals), reported first. */
  private readonly unreadable: Difference[] = [];
  private linesRead = 0;
  private mapiCancels = false;

  /** `dayEnd`: the end of the file's day; cancels the switch confirmed after it are in a later file. */
  constructor(private readonly dayEnd: Date) {}

  addSwitchRecords(
    payments: Iterable<SwitchPaymentRecord>,
    refunds: Iterable<SwitchRefundRecord> = [],
  ): void {
    const dayEndMs = this.dayEnd.getTime();
    for (const p of payments) this.payments.take(this.payments.slot(p.paymentRequestId), p, dayEndMs);
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
        this.payments.pay(this.payments.slot(line.requestId), line.amountMinor, line.currency);
        if (line.alipayTransactionId && this.mapiCancels)
          this.alipayIds.set(line.alipayTransactionId, line.requestId);
        return;
      }
      case 'cancel':
        if (line.requestId !== undefined) this.payments.markReturned(this.payments.slot(line.requestId));
        else if (line.alipayTransactionId) this.cancelsByAlipayId.add(line.alipayTransactionId);
        else this.addUnreadable(`line ${this.linesRead}`, 'cancel without any id');
        return;
      case 'refund': {
        const id = line.requestId ?? '';
        // The full refund a cancel makes past the cancel window is that payment's cancel, not a refund.
        if (id.startsWith(CANCEL_REFUND_PREFIX) && !this.refunds.has(id)) {
          this.payments.markReturned(this.payments.slot(id.slice(CANCEL_REFUND_PREFIX.length)));
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

  /** A settlement batch whose items do not add up to its summary: people settle it. */
  addTotalsMismatch(found: SettlementTotalsMismatch): void {
    this.unreadable.push({
      kind: 'settlement-totals',
      reference: `batch ${found.batchId}`,
      switchSide: `items add up to ${describeTotals(found.items)}`,
      alipaySide: `summary TOTAL ${describeTotals(found.summary)}`,
    });
  }

  /** Ids seen in the file that no loaded record has: look them up and pass them to addSwitchRecords. */
  unresolvedRequestIds(): { payments: string[]; refunds: string[]; alipayTransactionIds: string[] } {
    const payments: string[] = [];
    for (let n = 0; n < this.payments.size; n++)
      if (!this.payments.known(n)) payments.push(this.payments.idOf(n));
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
      if (requestId !== undefined) this.payments.markReturned(this.payments.slot(requestId));
      else this.addUnreadable(alipayId, 'cancel of an Alipay transaction no payment line or record names');
    }
    const differences: Difference[] = [...this.unreadable];
    const orphans: OrphanDebit[] = [];
    let paymentsMatched = 0;
    for (let n = 0; n < this.payments.size; n++) {
      const found = this.judgePayment(n);
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

  private judgePayment(n: number): Difference | 'matched' | 'nothing' {
    const slots = this.payments;
    const record = slots.record(n);
    const paid = slots.paid(n);
    const returned = slots.returned(n);
    const alipayHolds = paid && !returned;
    // Most payments match: their id is only read back from the table for a difference.
    if (record && switchHolds(record) && alipayHolds)
      if (slots.paidMinor(n) === record.amountMinor && slots.paidCurrency(n) === record.currency)
        return 'matched';
    const id = slots.idOf(n);
    const alipaySide = !paid
      ? returned
        ? 'returned (cancel) only'
        : 'none'
      : `paid ${money(slots.paidMinor(n), slots.paidCurrency(n))}${returned ? ', returned by a cancel' : ''}`;
    const orphan = (switchSide: string): OrphanDebit => ({
      kind: 'orphan-debit',
      reference: id,
      switchSide,
      alipaySide,
      amountMinor: slots.paidMinor(n),
      currency: slots.paidCurrency(n),
    });
    if (!record) {
      if (!alipayHolds) return paid ? 'matched' : 'nothing';
      return orphan('never stored');
    }
    const switchSide = `${record.state}${record.state === 'APPROVED' ? (record.delivered ? ' delivered' : ' not delivered') : ''} ${money(record.amountMinor, record.currency)}`;
    const diff = (kind: DifferenceKind): Difference => ({ kind, reference: id, switchSide, alipaySide });
    if (switchHolds(record)) {
      if (!alipayHolds) return diff('missing-at-alipay');
      if (slots.paidMinor(n) !== record.amountMinor || slots.paidCurrency(n) !== record.currency)
        return diff('amount-mismatch');
      return 'matched';
    }
    if (!alipayHolds) return paid || returned ? 'matched' : 'nothing';
    if (record.state === 'CANCELLED' && slots.changedAfterDay(n)) return 'matched';
    const found: OrphanDebit = { ...orphan(switchSide), switchState: record.state };
    return found;
  }

  private refundSlot(id: string): RefundSlot {
    return slotOf(this.refunds, id, () => new RefundSlot(undefined));
  }

  /** Files whose cancels name only Alipay's id (MAPI): remember every payment line's Alipay id. */
  expectCancelsByAlipayId(): void {
    this.mapiCancels = true;
  }
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
