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
import { PaymentsModule } from '../../payments/delivery/payments.module';
import { DEMO_MENU } from './demo-menu';
import { H5Orders } from './h5-orders';
import { H5_ORDERS } from './h5.tokens';

/** Receipts print the merchant's local time; merchants without a time zone of their own print this one. */
export const DEFAULT_RECEIPT_TIME_ZONE = 'UTC';

@Module({
  imports: [PaymentsModule],
  providers: [
    {
      provide: H5_ORDERS,
      inject: [MERCHANT_CHANNELS, PAYMENTS_ENGINE, PAYMENT_REPOSITORY, APP_CONFIG, PAYMENTS_LOG],
      useFactory: (
        merchants: MerchantChannels,
        engine: PaymentsEngine,
        payments: PaymentRepository,
        config: AppConfig,
        log: PaymentsLog,
      ): H5Orders =>
        new H5Orders(
          merchants,
          engine.inAppOrders,
          payments,
          { terminalId: config.h5.terminalId, menu: DEMO_MENU, defaultTimeZone: DEFAULT_RECEIPT_TIME_ZONE },
          log,
        ),
    },
  ],
  exports: [H5_ORDERS],
})
export class H5Module {}
