import type { Payment } from '../../payments/domain/payment';

/**
 * The payments this process wrote last, as written. The engine re-reads a payment before each change;
 * for one it has just written itself (the usual case: pay, approve, deliver) the row it would read is
 * this one, so the read is skipped. Safe because every update is checked against the version: if anything
 * else changed the row, the update fails, the entry is forgotten and the next read goes to the database.
 */
export class RecentPayments {
  private readonly byId = new Map<string, Payment>();
  private readonly idByRequest = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  get(id: string): Payment | undefined {
    const payment = this.byId.get(id);
    return payment && { ...payment };
  }

  /** By the paymentRequestId sent to Alipay (which a notification names). */
  getByPaymentRequestId(paymentRequestId: string): Payment | undefined {
    const id = this.idByRequest.get(paymentRequestId);
    return id === undefined ? undefined : this.get(id);
  }

  /** The remembered copy itself, for reading only (e.g. to write just the columns that changed). */
  peek(id: string): Readonly<Payment> | undefined {
    return this.byId.get(id);
  }

  remember(payment: Payment): void {
    this.byId.delete(payment.id);
    this.byId.set(payment.id, { ...payment });
    this.idByRequest.set(payment.paymentRequestId, payment.id);
    // Maps iterate in insertion order: the first key is the one written longest ago.
    if (this.byId.size > this.capacity) this.forget(this.byId.keys().next().value!);
  }

  forget(paymentId: string): void {
    const payment = this.byId.get(paymentId);
    if (!payment) return;
    this.byId.delete(paymentId);
    this.idByRequest.delete(payment.paymentRequestId);
  }
}
