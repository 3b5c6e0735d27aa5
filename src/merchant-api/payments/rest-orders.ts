/**
 * The REST side of each payment and refund (tables merchant_api_payments, merchant_api_refunds): which client
 * asked, the merchant's own references, the webhook URL, and what the webhook was last told. Each row is
 * written before the engine hears of the request; its id gives the STAN the engine keys the request by on
 * the client's virtual terminal (payments 000000-499999, refunds 500000-999999, so the two never collide).
 */
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { count, optionalText, rows, text, utcText, type Row } from '../../admin/http/sql';

const STAN_SPAN = 500_000;

export interface PaymentOrder {
  id: number;
  clientId: string;
  merchantId: string;
  merchantOrderId: string;
  storeRef?: string;
  terminalId: string;
  stan: string;
  localDateTime: string;
  paymentId?: string;
  webhookUrl?: string;
}

export interface RefundOrder {
  id: number;
  clientId: string;
  paymentId: string;
  refundRequestId: string;
  amountMinor: number;
  stan: string;
  localDateTime: string;
  refundId?: string;
  webhookUrl?: string;
}

export class RestOrders {
  constructor(private readonly uow: UnitOfWork) {}

  /** Undefined when the merchant order id was used before (also by a request racing this one). */
  async addPayment(order: Omit<PaymentOrder, 'id' | 'stan'>): Promise<PaymentOrder | undefined> {
    try {
      return await this.insertPayment(order);
    } catch (err) {
      const [taken] = await this.uow.read((m) => rows(m, 'SELECT 1 AS taken FROM `merchant_api_payments` WHERE `merchant_id` = ? AND `merchant_order_id` = ?', [order.merchantId, order.merchantOrderId]));
      if (taken) return undefined;
      throw err;
    }
  }

  private insertPayment(order: Omit<PaymentOrder, 'id' | 'stan'>): Promise<PaymentOrder | undefined> {
    return this.uow.run(async (m) => {
      const [taken] = await rows(m, 'SELECT 1 AS taken FROM `merchant_api_payments` WHERE `merchant_id` = ? AND `merchant_order_id` = ?', [order.merchantId, order.merchantOrderId]);
      if (taken) return undefined;
      await m.query(
        'INSERT INTO `merchant_api_payments` (`client_id`, `merchant_id`, `merchant_order_id`, `store_ref`, `terminal_id`, `stan`, `local_date_time`, `webhook_url`, `created_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [order.clientId, order.merchantId, order.merchantOrderId, order.storeRef ?? null, order.terminalId, '', order.localDateTime, order.webhookUrl ?? null, utcText(new Date())],
      );
      const [row] = await rows(m, 'SELECT `id` FROM `merchant_api_payments` WHERE `merchant_id` = ? AND `merchant_order_id` = ?', [order.merchantId, order.merchantOrderId]);
      const id = count(row.id);
      const stan = stanOf(id, 0);
      await m.query('UPDATE `merchant_api_payments` SET `stan` = ? WHERE `id` = ?', [stan, id]);
      return { ...order, id, stan };
    });
  }

  /** A payment the engine took another way (an in-app order) whose result the client follows by webhook. */
  async addFollowedPayment(order: Omit<PaymentOrder, 'id'> & { paymentId: string }): Promise<void> {
    await this.uow.run((m) =>
      m.query(
        'INSERT INTO `merchant_api_payments` (`client_id`, `merchant_id`, `merchant_order_id`, `store_ref`, `terminal_id`, `stan`, `local_date_time`, `payment_id`, `webhook_url`, `created_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [order.clientId, order.merchantId, order.merchantOrderId, order.storeRef ?? null, order.terminalId, order.stan, order.localDateTime, order.paymentId, order.webhookUrl ?? null, utcText(new Date())],
      ),
    );
  }

  async settlePayment(id: number, paymentId: string | undefined): Promise<void> {
    await this.uow.run((m) =>
      paymentId === undefined
        ? m.query('DELETE FROM `merchant_api_payments` WHERE `id` = ?', [id])
        : m.query('UPDATE `merchant_api_payments` SET `payment_id` = ? WHERE `id` = ?', [paymentId, id]),
    );
  }

  /** The REST order of an engine payment, when it was made through the API by this merchant. */
  async paymentOrder(merchantId: string, payment: { terminalId: string; stan: string; localDateTime: string }): Promise<PaymentOrder | undefined> {
    const [row] = await this.uow.read((m) =>
      rows(m, 'SELECT * FROM `merchant_api_payments` WHERE `terminal_id` = ? AND `stan` = ? AND `local_date_time` = ? AND `merchant_id` = ?', [payment.terminalId, payment.stan, payment.localDateTime, merchantId]),
    );
    return row ? paymentOrderOf(row) : undefined;
  }

  /** Adds the refund order, or gives back the one already stored under this refundRequestId (also by a racing request). */
  async addRefund(order: Omit<RefundOrder, 'id' | 'stan'>): Promise<{ order: RefundOrder; created: boolean }> {
    try {
      return await this.insertRefund(order);
    } catch (err) {
      const existing = await this.uow.read((m) => this.refundOrder(m, order.paymentId, order.refundRequestId));
      if (existing) return { order: existing, created: false };
      throw err;
    }
  }

  private insertRefund(order: Omit<RefundOrder, 'id' | 'stan'>): Promise<{ order: RefundOrder; created: boolean }> {
    return this.uow.run(async (m) => {
      const existing = await this.refundOrder(m, order.paymentId, order.refundRequestId);
      if (existing) return { order: existing, created: false };
      await m.query(
        'INSERT INTO `merchant_api_refunds` (`client_id`, `payment_id`, `refund_request_id`, `amount_minor`, `stan`, `local_date_time`, `webhook_url`, `created_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [order.clientId, order.paymentId, order.refundRequestId, order.amountMinor, '', order.localDateTime, order.webhookUrl ?? null, utcText(new Date())],
      );
      const stored = (await this.refundOrder(m, order.paymentId, order.refundRequestId))!;
      const stan = stanOf(stored.id, STAN_SPAN);
      await m.query('UPDATE `merchant_api_refunds` SET `stan` = ? WHERE `id` = ?', [stan, stored.id]);
      return { order: { ...stored, stan }, created: true };
    });
  }

  async settleRefund(id: number, refundId: string | undefined): Promise<void> {
    await this.uow.run((m) =>
      refundId === undefined
        ? m.query('DELETE FROM `merchant_api_refunds` WHERE `id` = ?', [id])
        : m.query('UPDATE `merchant_api_refunds` SET `refund_id` = ? WHERE `id` = ?', [refundId, id]),
    );
  }

  private async refundOrder(m: EntityManager, paymentId: string, refundRequestId: string): Promise<RefundOrder | undefined> {
    const [row] = await rows(m, 'SELECT * FROM `merchant_api_refunds` WHERE `payment_id` = ? AND `refund_request_id` = ?', [paymentId, refundRequestId]);
    return row ? refundOrderOf(row) : undefined;
  }
}

function stanOf(id: number, base: number): string {
  return String(base + (id % STAN_SPAN)).padStart(6, '0');
}

function paymentOrderOf(r: Row): PaymentOrder {
  return {
    id: count(r.id),
    clientId: text(r.client_id),
    merchantId: text(r.merchant_id),
    merchantOrderId: text(r.merchant_order_id),
    storeRef: optionalText(r.store_ref),
    terminalId: text(r.terminal_id),
    stan: text(r.stan),
    localDateTime: text(r.local_date_time),
    paymentId: optionalText(r.payment_id),
    webhookUrl: optionalText(r.webhook_url),
  };
}

function refundOrderOf(r: Row): RefundOrder {
  return {
    id: count(r.id),
    clientId: text(r.client_id),
    paymentId: text(r.payment_id),
    refundRequestId: text(r.refund_request_id),
    amountMinor: count(r.amount_minor),
    stan: text(r.stan),
    localDateTime: text(r.local_date_time),
    refundId: optionalText(r.refund_id),
    webhookUrl: optionalText(r.webhook_url),
  };
}
