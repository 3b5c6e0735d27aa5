/**
 * Finds REST payments and refunds whose engine state became final since their webhook was last told, and
 * turns each into a delivery in the same transaction that records it as told. Reading the engine's tables
 * (joined on the terminal, STAN and local time the REST order was stored under) rather than listening to the
 * engine means a result that arrived while the process was down is found on the next look. Every instance
 * looks; the conditional UPDATE that records an event as told lets one of them add its delivery.
 */
import { randomUUID } from 'node:crypto';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { RefundRepository } from '../../payments/application/ports/refund.repository.port';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { count, optionalText, rows, text } from '../../admin/http/sql';
import { paymentResource, paymentStatus, refundResource, refundStatus } from '../payments/payment-resources';
import type { ReceiptMerchants } from '../payments/receipt-merchants';
import type { WebhookDeliveries } from './webhook-deliveries';

const BATCH = 100;

const FINISHED_PAYMENTS = `SELECT o.id AS order_id, o.client_id, o.merchant_order_id, o.store_ref, o.webhook_url, p.id AS payment_id, p.state
  FROM merchant_api_payments o
  JOIN payments p ON p.terminal_id = o.terminal_id AND p.stan = o.stan AND p.local_date_time = o.local_date_time
  WHERE o.webhook_url IS NOT NULL
    AND p.state IN ('APPROVED', 'DECLINED', 'CANCELLED') AND NOT (p.state = 'APPROVED' AND p.delivery = 'undelivered')
    AND (o.notified_status IS NULL OR o.notified_status <> p.state)
  ORDER BY o.id LIMIT ${BATCH}`;

const FINISHED_REFUNDS = `SELECT o.id AS order_id, o.client_id, o.refund_request_id, o.webhook_url, r.id AS refund_id, r.state
  FROM merchant_api_refunds o
  JOIN payments p ON p.id = o.payment_id
  JOIN refunds r ON r.terminal_id = p.terminal_id AND r.stan = o.stan AND r.local_date_time = o.local_date_time
  WHERE o.webhook_url IS NOT NULL AND r.state IN ('SUCCEEDED', 'FAILED')
    AND (o.notified_status IS NULL OR o.notified_status <> r.state)
  ORDER BY o.id LIMIT ${BATCH}`;

export class WebhookEvents {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly deliveries: WebhookDeliveries,
    private readonly receipts: ReceiptMerchants,
  ) {}

  /** How many deliveries were added. */
  async collect(now: Date): Promise<number> {
    let added = 0;
    for (const row of await this.uow.read((m) => rows(m, FINISHED_PAYMENTS))) {
      const payment = await this.payments.findById(text(row.payment_id));
      if (!payment || payment.state !== text(row.state)) continue; // moved on since the read: the next look takes it
      const data = paymentResource(payment, { merchantOrderId: text(row.merchant_order_id), storeRef: optionalText(row.store_ref) }, await this.receipts.of(payment));
      await this.record('merchant_api_payments', count(row.order_id), payment.state, {
        clientId: text(row.client_id),
        eventType: `payment.${paymentStatus(payment).toLowerCase()}`,
        targetType: 'payment',
        targetId: payment.id,
        url: text(row.webhook_url),
        body: eventBody(`payment.${paymentStatus(payment).toLowerCase()}`, now, data),
      }, now);
      added++;
    }
    for (const row of await this.uow.read((m) => rows(m, FINISHED_REFUNDS))) {
      const refund = await this.refunds.findById(text(row.refund_id));
      const payment = refund && refund.state === text(row.state) ? await this.payments.findById(refund.paymentId) : undefined;
      if (!refund || !payment) continue; // moved on since the read: the next look takes it
      const type = `refund.${refundStatus(refund).toLowerCase()}`;
      await this.record('merchant_api_refunds', count(row.order_id), refund.state, {
        clientId: text(row.client_id),
        eventType: type,
        targetType: 'refund',
        targetId: refund.id,
        url: text(row.webhook_url),
        body: eventBody(type, now, refundResource(refund, text(row.refund_request_id), payment, await this.receipts.of(payment))),
      }, now);
      added++;
    }
    return added;
  }

  private record(table: 'merchant_api_payments' | 'merchant_api_refunds', orderId: number, state: string, delivery: Parameters<WebhookDeliveries['add']>[1], now: Date): Promise<void> {
    return this.uow.run(async (m) => {
      // Another instance that read the same result may have recorded it first: then it added the delivery.
      const told = await m
        .createQueryBuilder()
        .update(table)
        .set({ notified_status: state })
        .where('id = :orderId AND (notified_status IS NULL OR notified_status <> :state)', { orderId, state })
        .execute();
      if (told.affected === 1) await this.deliveries.add(m, delivery, now);
    });
  }
}

function eventBody(type: string, at: Date, data: object): string {
  return JSON.stringify({ id: randomUUID(), type, createdAt: at.toISOString(), data });
}
