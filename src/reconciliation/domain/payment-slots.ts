/**
 * The day's payments as the matcher keeps them: request ids numbered in an off-heap table (./id-table.ts),
 * and the slots' figures in typed arrays (22 bytes a payment) instead of one object each. The
 * bench:reconcile memory goal (under 300 MB for a million payments) rests on this.
 */
import { IdTable } from './id-table';
import { PAYMENT_STATES } from '../../payments/domain/payment';
import type { SwitchPaymentRecord } from './switch-records';

const KNOWN = 1;
const DELIVERED = 2;
const PAID = 4;
const RETURNED = 8;
/** The switch's last change (for a CANCELLED payment, the cancel) came after the file's day ended. */
const CHANGED_AFTER_DAY = 16;
const STATE_SHIFT = 5;

/** The switch's side of one slot, for judging (once per payment, at the end). */
export type SlotRecord = Pick<SwitchPaymentRecord, 'state' | 'delivered' | 'amountMinor' | 'currency'>;

export class PaymentSlots {
  private readonly ids = new IdTable();
  private readonly currencies: string[] = [];
  private readonly currencyIndex = new Map<string, number>();
  private flags = new Uint16Array(1024);
  private amount = new Float64Array(1024);
  private paidAmount = new Float64Array(1024);
  private currency = new Uint16Array(1024);
  private paidCurrencyOf = new Uint16Array(1024);

  /** The slot of a request id, made empty when new. */
  slot(id: string): number {
    const n = this.ids.slot(id);
    if (n === this.flags.length) this.grow();
    return n;
  }

  take(n: number, p: SwitchPaymentRecord, dayEndMs: number): void {
    this.flags[n] =
      (this.flags[n] & (PAID | RETURNED)) |
      KNOWN |
      (p.delivered ? DELIVERED : 0) |
      (p.updatedAt.getTime() >= dayEndMs ? CHANGED_AFTER_DAY : 0) |
      (PAYMENT_STATES.indexOf(p.state) << STATE_SHIFT);
    this.amount[n] = p.amountMinor;
    this.currency[n] = this.currencyCode(p.currency);
  }

  /** Alipay's file took `amountMinor` for this payment (added up when it does so more than once). */
  pay(n: number, amountMinor: number, currency: string): void {
    this.flags[n] |= PAID;
    this.paidAmount[n] += amountMinor;
    this.paidCurrencyOf[n] = this.currencyCode(currency);
  }

  markReturned(n: number): void {
    this.flags[n] |= RETURNED;
  }

  known(n: number): boolean {
    return (this.flags[n] & KNOWN) !== 0;
  }
  paid(n: number): boolean {
    return (this.flags[n] & PAID) !== 0;
  }
  returned(n: number): boolean {
    return (this.flags[n] & RETURNED) !== 0;
  }
  changedAfterDay(n: number): boolean {
    return (this.flags[n] & CHANGED_AFTER_DAY) !== 0;
  }
  paidMinor(n: number): number {
    return this.paidAmount[n];
  }
  paidCurrency(n: number): string {
    return this.currencies[this.paidCurrencyOf[n]] ?? '';
  }

  record(n: number): SlotRecord | undefined {
    if (!this.known(n)) return undefined;
    return {
      state: PAYMENT_STATES[this.flags[n] >> STATE_SHIFT],
      delivered: (this.flags[n] & DELIVERED) !== 0,
      amountMinor: this.amount[n],
      currency: this.currencies[this.currency[n]] ?? '',
    };
  }

  get size(): number {
    return this.ids.size;
  }

  idOf(n: number): string {
    return this.ids.idOf(n);
  }

  private currencyCode(alpha: string): number {
    let code = this.currencyIndex.get(alpha);
    if (code === undefined) {
      code = this.currencies.length;
      this.currencies.push(alpha);
      this.currencyIndex.set(alpha, code);
    }
    return code;
  }

  private grow(): void {
    const size = this.flags.length * 2;
    const widen = <T extends Uint16Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.flags = widen(this.flags, (n) => new Uint16Array(n));
    this.amount = widen(this.amount, (n) => new Float64Array(n));
    this.paidAmount = widen(this.paidAmount, (n) => new Float64Array(n));
    this.currency = widen(this.currency, (n) => new Uint16Array(n));
    this.paidCurrencyOf = widen(this.paidCurrencyOf, (n) => new Uint16Array(n));
  }
}
