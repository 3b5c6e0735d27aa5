/**
 * The smart-restaurant H5 flow (seed 002) as plain application code: the page's auth_code becomes the
 * Alipay user id, an order becomes a payment in the switch's ledger with an Alipay trade for tradePay, and
 * an order is read back in the customer's words. The HTTP edge (h5-orders.controller.ts) only maps these
 * answers to status codes; the merchant is whoever the server authenticated.
 */
import type { InAppOrderService } from '../../payments/application/in-app-order.service';
import type { MerchantChannels, MerchantRoute } from '../../payments/application/ports/merchant-channels.port';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { PaymentsLog } from '../../payments/application/ports/log.port';
import type { Payment } from '../../payments/domain/payment';
import { receiptMerchant, type ReceiptMerchant } from '../../payments/domain/receipt';
import {
  ALIPAY_NOT_ANSWERING,
  declinedMessage,
  invalidMessage,
  ORDER_NOT_CONFIRMED,
  SIGN_IN_AGAIN,
} from './customer-messages';
import type { Dish } from './demo-menu';
import { parseOrderRequest } from './order-request';
import { orderView, type OrderView } from './order-view';

/** A refusal: the HTTP status, a stable code and the sentence the page shows. */
export interface H5Problem {
  status: 400 | 401 | 404 | 422 | 502 | 503;
  error: string;
  message: string;
  /** The order stored before it was refused, when there is one. */
  orderId?: string;
}

export type H5Answer<T> = { ok: true; value: T } | ({ ok: false } & H5Problem);

export interface H5OrdersOptions {
  /** The ordering point H5 payments are booked under (H5_TERMINAL_ID). */
  terminalId: string;
  menu: readonly Dish[];
  /** The merchant's time zone for receipts, when the catalogue has none. */
  defaultTimeZone: string;
}

/** Who pushes an order's final result to the merchant's webhook (the merchant API's webhooks); none on the demo. */
export interface OrderFollowers {
  follow(order: { clientId: string; payment: Payment; tableRef: string; webhookUrl: string }): Promise<void>;
}

export class H5Orders {
  constructor(
    private readonly merchants: MerchantChannels,
    private readonly orders: InAppOrderService,
    private readonly payments: PaymentRepository,
    private readonly options: H5OrdersOptions,
    private readonly log: PaymentsLog,
    private readonly followers?: OrderFollowers,
  ) {}

  async exchangeAuthCode(merchantId: string, authCode: unknown): Promise<H5Answer<{ buyerId: string }>> {
    if (typeof authCode !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(authCode)) {
      return problem(400, 'INVALID_AUTH_CODE', SIGN_IN_AGAIN);
    }
    const route = await this.route(merchantId);
    if (!route?.channel.inApp) return problem(422, 'MERCHANT_UNAVAILABLE', invalidMessage('merchant-unavailable'));
    const outcome = await route.channel.inApp.exchangeAuthCode({ authCode, merchant: route.context });
    switch (outcome.kind) {
      case 'user':
        return { ok: true, value: { buyerId: outcome.userId } };
      case 'refused':
        this.log.warn({ merchantId, code: outcome.code }, 'H5 auth code refused by Alipay');
        return problem(401, 'AUTH_CODE_REFUSED', SIGN_IN_AGAIN);
      case 'unknown':
        this.log.warn({ merchantId, cause: outcome.cause, detail: outcome.detail }, 'H5 auth code exchange without an answer');
        return problem(503, 'ALIPAY_UNAVAILABLE', ALIPAY_NOT_ANSWERING);
    }
  }

  /** `clientId`: the signed API client placing it, whose secret signs the order's webhook. */
  async createOrder(merchantId: string, body: unknown, clientId?: string): Promise<H5Answer<OrderView>> {
    const parsed = parseOrderRequest(body, this.options.menu);
    if (!parsed.ok) {
      return problem(400, 'INVALID_ORDER', `${invalidMessage('format')} (${parsed.field}: ${parsed.problem})`);
    }
    const { order } = parsed;
    if (order.webhookUrl !== undefined && (clientId === undefined || !this.followers)) {
      return problem(400, 'INVALID_ORDER', `${invalidMessage('format')} (webhookUrl: only for orders signed by an API client)`);
    }
    const route = await this.route(merchantId);
    const storeName = route?.merchant.storeName || route?.merchant.merchantName || 'Restaurant';
    const result = await this.orders.open({
      merchantId,
      terminalId: this.options.terminalId,
      amountMinor: order.amountMinor,
      currencyNumeric: order.currencyNumeric,
      buyerId: order.buyerId,
      subject: `${storeName} table ${order.tableRef}`,
    });
    if (result.payment && order.webhookUrl !== undefined && clientId !== undefined) {
      await this.follow({ clientId, payment: result.payment, tableRef: order.tableRef, webhookUrl: order.webhookUrl });
    }
    switch (result.kind) {
      case 'created':
        return { ok: true, value: orderView(result.payment, this.merchantOf(route), result.tradeNo) };
      case 'in-doubt':
        return problem(503, 'ORDER_NOT_CONFIRMED', ORDER_NOT_CONFIRMED, result.payment.id);
      case 'refused': {
        const outcome = result.outcome;
        if (outcome.kind === 'invalid') {
          const status = outcome.problem === 'merchant-unavailable' || outcome.problem === 'transaction' ? 422 : 400;
          return problem(status, `INVALID_${outcome.problem.toUpperCase().replace(/-/g, '_')}`, invalidMessage(outcome.problem));
        }
        const reason = outcome.kind === 'declined' ? outcome.reason : undefined;
        return problem(422, 'ORDER_DECLINED', declinedMessage(reason), result.payment?.id);
      }
    }
  }

  /** The order, if it is this merchant's H5 order; another merchant's reads as not found. */
  async readOrder(merchantId: string, orderId: string): Promise<H5Answer<OrderView>> {
    const payment = /^[0-9a-f-]{36}$/.test(orderId) ? await this.payments.findById(orderId) : undefined;
    if (!payment || payment.merchantId !== merchantId || payment.terminalId !== this.options.terminalId) {
      return problem(404, 'ORDER_NOT_FOUND', 'We cannot find this order. Please ask a member of staff.');
    }
    return { ok: true, value: orderView(payment, this.merchantOf(await this.route(merchantId))) };
  }

  /**
   * Never fails the order: it is taken (the customer pays it in the app); without its row the merchant
   * learns the result by GET /pay/v1/orders/{id} only.
   */
  private async follow(order: Parameters<OrderFollowers['follow']>[0]): Promise<void> {
    try {
      await this.followers?.follow(order);
    } catch (err) {
      this.log.error({ paymentId: order.payment.id, err: err instanceof Error ? err.message : String(err) }, 'H5 order webhook not recorded');
    }
  }

  menu(): readonly Dish[] {
    return this.options.menu;
  }

  private route(merchantId: string): Promise<MerchantRoute | undefined> {
    return this.merchants.route(merchantId, this.options.terminalId);
  }

  private merchantOf(route: MerchantRoute | undefined): ReceiptMerchant {
    return receiptMerchant(route?.merchant, this.options.defaultTimeZone);
  }
}

function problem(status: H5Problem['status'], error: string, message: string, orderId?: string): H5Answer<never> {
  return { ok: false, status, error, message, ...(orderId !== undefined ? { orderId } : {}) };
}
