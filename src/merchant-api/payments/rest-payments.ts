/**
 * REST payments through the payments engine, the terminals' road: a payment is a PurchaseCommand on the API
 * client's virtual terminal, a cancel is the reversal's cancel (CANCEL_REQUESTED and a cancel order in the
 * outbox, carried by the reversal workers or Kafka), a refund a RefundCommand through RefundService with the
 * same checks and reservation. The answer waits at most the gateway's own timeout (PAY_API_REPLY_TIMEOUT_MS,
 * seed 004's RESTful model): final, or PROCESSING while the engine carries on until the merchant's timeout;
 * the result then reaches the merchant by GET and by webhook.
 */
import { currencyByAlpha } from '@switch/alipay';
import { localDateTime, refusalOf } from '../../admin/transactions/transaction-actions';
import { AdminProblem, conflict, notFound, unprocessable } from '../../admin/http/problem';
import type { EngineAnswer, PurchaseCommand, RefundCommand } from '../../payments/application/commands';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { RefundRepository } from '../../payments/application/ports/refund.repository.port';
import type { Payment } from '../../payments/domain/payment';
import type { Logger } from '../../logging/logger';
import type { ApiClient } from '../clients/api-client-store';
import { paymentResource, refundResource, type PaymentResource, type RefundResource } from './payment-resources';
import type { ReceiptMerchants } from './receipt-merchants';
import type { RestOrders } from './rest-orders';

/** Field 3 and the MTI the engine stores REST requests under, as a terminal's would be. */
const PURCHASE_PROCESSING_CODE = '000000';
const REFUND_PROCESSING_CODE = '200000';
const REQUEST_MTI = '0200';

export interface PaymentRequest {
  paymentCode: string;
  amountMinor: number;
  currency: string;
  merchantOrderId: string;
  storeRef?: string;
  webhookUrl?: string;
}

export interface RefundRequest {
  amountMinor: number;
  refundRequestId: string;
  webhookUrl?: string;
}

export interface RestPaymentsOptions {
  replyTimeoutMs: number;
  merchantTimeoutMs: number;
}

export class RestPayments {
  constructor(
    private readonly engine: PaymentsEngine,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly orders: RestOrders,
    private readonly receipts: ReceiptMerchants,
    private readonly options: RestPaymentsOptions,
    private readonly logger: Logger,
  ) {}

  async pay(client: ApiClient, request: PaymentRequest): Promise<PaymentResource> {
    const currency = currencyByAlpha(request.currency);
    if (!currency) throw unprocessable(`currency ${request.currency} is not one the switch knows`);
    const now = new Date();
    const order = await this.orders.addPayment({
      clientId: client.clientId,
      merchantId: client.merchantId,
      merchantOrderId: request.merchantOrderId,
      storeRef: request.storeRef,
      terminalId: client.terminalId,
      localDateTime: localDateTime(now),
      webhookUrl: request.webhookUrl,
    });
    if (!order) throw conflict(`merchantOrderId ${request.merchantOrderId} was used for another payment`);
    const command: PurchaseCommand = {
      terminalId: order.terminalId,
      merchantId: order.merchantId,
      stan: order.stan,
      localDateTime: order.localDateTime,
      requestMti: REQUEST_MTI,
      processingCode: PURCHASE_PROCESSING_CODE,
      receivedAt: now,
      replyDeadlineAt: new Date(now.getTime() + this.options.merchantTimeoutMs),
      amountMinor: request.amountMinor,
      currencyNumeric: currency.numeric,
      paymentCode: request.paymentCode,
    };
    const answer = await this.withinReplyTimeout(this.delivered(this.engine.purchase.purchase(command), { paymentId: order.id }));
    const payment = (await this.payments.findByTerminalStan(order.terminalId, order.stan)).find((p) => p.localDateTime === order.localDateTime);
    await this.orders.settlePayment(order.id, payment?.id);
    if (!payment) throw refusalOfPayment(answer);
    return paymentResource(payment, order, await this.receipts.of(payment));
  }

  async read(client: ApiClient, paymentId: string): Promise<PaymentResource> {
    const { payment, order } = await this.own(client, paymentId);
    return paymentResource(payment, order, await this.receipts.of(payment));
  }

  /** Cancel until confirmed: the reversal's road, whatever the payment's state; a decline has nothing to cancel. */
  async cancel(client: ApiClient, paymentId: string): Promise<PaymentResource> {
    const { order } = await this.own(client, paymentId);
    const requested = await this.engine.cancellation.requestCancel(paymentId, 'terminal-reversal');
    switch (requested.kind) {
      case 'requested':
      case 'already':
        return paymentResource(requested.payment, order, await this.receipts.of(requested.payment));
      case 'not-needed':
        throw conflict('the payment was declined: Alipay took nothing, there is nothing to cancel');
      case 'not-found':
      case 'not-a-payment':
        throw notFound(`no payment ${paymentId}`);
    }
  }

  /**
   * A refund of the payment; its refundRequestId is the merchant's stable id: a repeat gives the same refund
   * (another amount under the same id is refused), never a second one.
   */
  async refund(client: ApiClient, paymentId: string, request: RefundRequest): Promise<RefundResource> {
    const { payment } = await this.own(client, paymentId);
    const now = new Date();
    const { order, created } = await this.orders.addRefund({
      clientId: client.clientId,
      paymentId,
      refundRequestId: request.refundRequestId,
      amountMinor: request.amountMinor,
      localDateTime: localDateTime(now),
      webhookUrl: request.webhookUrl,
    });
    if (!created) {
      if (order.amountMinor !== request.amountMinor) throw unprocessable(`refundRequestId ${request.refundRequestId} was used for another amount`);
      const earlier = order.refundId === undefined ? undefined : await this.refunds.findById(order.refundId);
      if (!earlier) throw conflict(`refund ${request.refundRequestId} is still being taken; repeat the request later`);
      return refundResource(earlier, order.refundRequestId, payment, await this.receipts.of(payment));
    }
    const command: RefundCommand = {
      terminalId: payment.terminalId,
      merchantId: payment.merchantId,
      stan: order.stan,
      localDateTime: order.localDateTime,
      requestMti: REQUEST_MTI,
      processingCode: REFUND_PROCESSING_CODE,
      receivedAt: now,
      replyDeadlineAt: new Date(now.getTime() + this.options.merchantTimeoutMs),
      amountMinor: request.amountMinor,
      currencyNumeric: payment.currencyNumeric,
      original: { kind: 'rrn', rrn: payment.rrn },
    };
    const answer = await this.withinReplyTimeout(this.delivered(this.engine.refund.refund(command), { refundOrder: order.id }));
    const refund = (await this.refunds.findByTerminalStan(command.terminalId, command.stan)).find((r) => r.localDateTime === command.localDateTime);
    await this.orders.settleRefund(order.id, refund?.id);
    if (!refund) throw (answer === 'processing' ? undefined : refusalOf(answer, payment)) ?? new AdminProblem(500, 'the refund ended without a record');
    return refundResource(refund, order.refundRequestId, payment, await this.receipts.of(payment));
  }

  private async own(client: ApiClient, paymentId: string): Promise<{ payment: Payment; order: NonNullable<Awaited<ReturnType<RestOrders['paymentOrder']>>> }> {
    const payment = await this.payments.findById(paymentId);
    const order = payment && payment.merchantId === client.merchantId ? await this.orders.paymentOrder(client.merchantId, payment) : undefined;
    if (!payment || !order) throw notFound(`no payment ${paymentId}`);
    return { payment, order };
  }

  /**
   * The engine's answer, with an approval reported delivered: the merchant learns it by this answer, by GET
   * or by webhook, so the gateway timeout must not cancel it. Never rejects.
   */
  private async delivered(run: Promise<EngineAnswer>, context: object): Promise<EngineAnswer> {
    try {
      const answer = await run;
      if (answer.approvalOf) await this.engine.recordDelivery(answer.approvalOf, true);
      return answer;
    } catch (err) {
      this.logger.error({ ...context, err: err instanceof Error ? err.message : String(err) }, 'REST request failed in the engine');
      return { outcome: { kind: 'system-error' } };
    }
  }

  private withinReplyTimeout(answer: Promise<EngineAnswer>): Promise<EngineAnswer | 'processing'> {
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<'processing'>((resolve) => {
      timer = setTimeout(() => resolve('processing'), this.options.replyTimeoutMs);
    });
    return Promise.race([answer, due]).finally(() => clearTimeout(timer));
  }
}

/** A payment the engine refused before storing it, in HTTP words. */
function refusalOfPayment(answer: EngineAnswer | 'processing'): AdminProblem {
  if (answer === 'processing') return new AdminProblem(500, 'the payment was not stored in time; ask for it again with the same Idempotency-Key');
  const outcome = answer.outcome;
  if (outcome.kind === 'invalid') {
    const field = { amount: 'amountMinor', currency: 'currency', 'payment-code': 'paymentCode' }[outcome.problem as string];
    return field ? unprocessable(`${field} is not accepted for this merchant (${outcome.problem})`) : unprocessable(`the payment was refused: ${outcome.problem}`);
  }
  if (outcome.kind === 'unavailable') return new AdminProblem(502, 'Alipay could not be reached; nothing was taken');
  return new AdminProblem(500, `the payment ended as ${outcome.kind} without a record`);
}
