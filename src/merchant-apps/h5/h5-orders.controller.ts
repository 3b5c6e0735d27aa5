/**
 * The H5 routes of the merchant REST API (/pay/v1): no server wiring here, so the server that
 * authenticates merchants mounts them as they are; the merchant comes from @PayMerchant.
 */
import { Body, Controller, Get, HttpCode, HttpException, Inject, Param, Post } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { H5Answer, H5Orders } from './h5-orders';
import { H5_ORDERS } from './h5.tokens';
import type { OrderView } from './order-view';
import { PayClientId, PayMerchant } from './pay-merchant.decorator';

/** POST /pay/v1/orders as the OpenAPI document shows it (order-request.ts checks it). */
const ORDER_BODY = {
  type: 'object',
  required: ['tableRef', 'buyerId', 'currency'],
  properties: {
    tableRef: { type: 'string', example: 'T7' },
    buyerId: { type: 'string', example: '2088000011112222', description: 'From POST /pay/v1/oauth/alipay' },
    currency: { type: 'string', example: 'CNY' },
    items: { type: 'array', items: { type: 'object', properties: { dishId: { type: 'string' }, quantity: { type: 'integer' } } } },
    amountMinor: { type: 'integer', description: 'Without items: the amount the customer typed, in minor units' },
    webhookUrl: { type: 'string', description: 'Signed API clients only: where the final result is POSTed (signed), as for a payment' },
  },
};

@Controller('pay/v1')
export class H5OrdersController {
  constructor(@Inject(H5_ORDERS) private readonly h5: H5Orders) {}

  /** {authCode} from ap.getAuthCode -> {buyerId}, the Alipay user id (alipay.system.oauth.token). */
  @Post('oauth/alipay')
  @HttpCode(200)
  async exchangeAuthCode(@PayMerchant() merchantId: string, @Body() body: unknown): Promise<{ buyerId: string }> {
    const authCode = typeof body === 'object' && body !== null ? (body as { authCode?: unknown }).authCode : undefined;
    return answer(await this.h5.exchangeAuthCode(merchantId, authCode));
  }

  /** {tableRef, buyerId, currency, items: [{dishId, quantity}] | amountMinor, webhookUrl?} -> the order with its tradeNo for tradePay. */
  @Post('orders')
  @HttpCode(201)
  @ApiBody({ schema: ORDER_BODY })
  async createOrder(@PayMerchant() merchantId: string, @PayClientId() clientId: string | undefined, @Body() body: unknown): Promise<OrderView> {
    return answer(await this.h5.createOrder(merchantId, body, clientId));
  }

  @Get('orders/:id')
  async readOrder(@PayMerchant() merchantId: string, @Param('id') id: string): Promise<OrderView> {
    return answer(await this.h5.readOrder(merchantId, id));
  }
}

function answer<T>(result: H5Answer<T>): T {
  if (result.ok) return result.value;
  const { status, error, message, orderId } = result;
  throw new HttpException({ error, message, ...(orderId !== undefined ? { orderId } : {}) }, status);
}
