/**
 * In-app (H5) orders placed by a signed API client with a webhookUrl: the order's payment gets a REST order
 * row (merchant_api_payments, keyed by the payment's terminal, STAN and local time like a REST payment's), so
 * the webhook events find its result as they find a REST payment's and push the same signed event.
 */
import type { Payment } from '../../payments/domain/payment';
import type { RestOrders } from '../payments/rest-orders';

export class InAppOrderWebhooks {
  constructor(private readonly orders: RestOrders) {}

  async follow(order: { clientId: string; payment: Payment; tableRef: string; webhookUrl: string }): Promise<void> {
    const { payment } = order;
    await this.orders.addFollowedPayment({
      clientId: order.clientId,
      merchantId: payment.merchantId,
      // The order has no merchant's own id: its number at Alipay stands for it.
      merchantOrderId: payment.paymentRequestId,
      storeRef: order.tableRef,
      terminalId: payment.terminalId,
      stan: payment.stan,
      localDateTime: payment.localDateTime,
      paymentId: payment.id,
      webhookUrl: order.webhookUrl,
    });
  }
}
