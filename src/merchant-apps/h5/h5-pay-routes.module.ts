/**
 * The H5 routes (`POST /pay/v1/oauth/alipay`, `POST /pay/v1/orders`, `GET /pay/v1/orders/{id}`) as an
 * extension of the merchant payment API's server (src/merchant-api/http/pay-api-extension.ts): mounted there
 * behind its signature check and Idempotency-Key, the merchant being the signed client's (`payMerchantId`).
 */
import { Module } from '@nestjs/common';
import { H5OrdersController } from './h5-orders.controller';
import { H5_ORDERS } from './h5.tokens';

@Module({ controllers: [H5OrdersController] })
export class H5PayRoutesModule {}

export const H5_PAY_API_EXTENSION = { module: H5PayRoutesModule, shared: [H5_ORDERS] } as const;
