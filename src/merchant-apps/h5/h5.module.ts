/**
 * The smart-restaurant H5 flow in Nest: H5_ORDERS (the application, h5-orders.ts) built from the payments
 * engine and the merchant catalogue. Its controllers are mounted by the server that authenticates merchants;
 * until the merchant API has one, the embedded demo mounts them on its own (h5-demo-server.ts).
 */
import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import {
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  PAYMENTS_ENGINE,
  PAYMENTS_LOG,
  type MerchantChannels,
  type PaymentRepository,
  type PaymentsLog,
} from '../../payments/application/ports';
import { DEFAULT_RECEIPT_TIME_ZONE } from '../../payments/domain/receipt';
import { PaymentsModule } from '../../payments/delivery/payments.module';
import { InAppOrderWebhooks } from '../../merchant-api/webhooks/in-app-order-webhooks';
import { DEMO_MENU } from './demo-menu';
import { H5Orders } from './h5-orders';
import { H5_ORDERS } from './h5.tokens';


@Module({
  imports: [PaymentsModule],
  providers: [
    {
      provide: H5_ORDERS,
      // The merchant API's webhooks, when the application has them (its module is global).
      inject: [MERCHANT_CHANNELS, PAYMENTS_ENGINE, PAYMENT_REPOSITORY, APP_CONFIG, PAYMENTS_LOG, { token: InAppOrderWebhooks, optional: true }],
      useFactory: (
        merchants: MerchantChannels,
        engine: PaymentsEngine,
        payments: PaymentRepository,
        config: AppConfig,
        log: PaymentsLog,
        webhooks?: InAppOrderWebhooks,
      ): H5Orders =>
        new H5Orders(
          merchants,
          engine.inAppOrders,
          payments,
          { terminalId: config.h5.terminalId, menu: DEMO_MENU, defaultTimeZone: DEFAULT_RECEIPT_TIME_ZONE },
          log,
          webhooks,
        ),
    },
  ],
  exports: [H5_ORDERS],
})
export class H5Module {}
