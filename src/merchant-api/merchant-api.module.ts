/**
 * The merchant REST payment API (/pay/v1 on PAY_API_PORT, apart from the admin API): API clients and their
 * signatures, idempotent POSTs, REST payments, cancels and refunds through the payments engine, and signed
 * webhooks with every attempt kept. Global: the admin API manages clients and deliveries (src/admin/merchant-api).
 */
import { DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LOGGER } from '../logging/logging.module';
import type { Logger } from '../logging/logger';
import type { PaymentsEngine } from '../payments/application/payments-engine';
import { MERCHANT_CHANNELS, PAYMENT_REPOSITORY, REFUND_REPOSITORY, type MerchantChannels, type PaymentRepository, type RefundRepository } from '../payments/application/ports';
import { PAYMENTS_ENGINE, PaymentsModule } from '../payments/delivery/payments.module';
import { SECRET_BOX, UNIT_OF_WORK } from '../persistence/persistence.tokens';
import type { SecretBox } from '../persistence/secret-box';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { ApiClientStore } from './clients/api-client-store';
import { IdempotencyStore } from './http/idempotency';
import { PayApiServer } from './http/pay-api-server';
import type { PayApiExtension } from './http/pay-api-extension';
import { ReceiptMerchants } from './payments/receipt-merchants';
import { RestOrders } from './payments/rest-orders';
import { RestPayments } from './payments/rest-payments';
import { InAppOrderWebhooks } from './webhooks/in-app-order-webhooks';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEvents } from './webhooks/webhook-events';
import { WebhookTargets } from './webhooks/webhook-targets';

@Injectable()
export class MerchantApiLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PayApiServer) private readonly server: PayApiServer,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.merchantApi.enabled) return;
    await this.server.start((token) => this.moduleRef.get<unknown>(token as never, { strict: false }));
    this.dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
    await this.server.close();
  }
}

@Module({})
export class MerchantApiModule {
  static register(options: { extensions?: readonly PayApiExtension[] } = {}): DynamicModule {
    return {
      module: MerchantApiModule,
      imports: [PaymentsModule],
      providers: [
        { provide: ApiClientStore, inject: [UNIT_OF_WORK, SECRET_BOX], useFactory: (uow: UnitOfWork, secrets: SecretBox) => new ApiClientStore(uow, secrets) },
        { provide: IdempotencyStore, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new IdempotencyStore(uow) },
        { provide: RestOrders, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new RestOrders(uow) },
        { provide: WebhookDeliveries, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new WebhookDeliveries(uow) },
        { provide: InAppOrderWebhooks, inject: [RestOrders], useFactory: (orders: RestOrders) => new InAppOrderWebhooks(orders) },
        { provide: ReceiptMerchants, inject: [MERCHANT_CHANNELS], useFactory: (merchants: MerchantChannels) => new ReceiptMerchants(merchants) },
        {
          provide: RestPayments,
          inject: [PAYMENTS_ENGINE, PAYMENT_REPOSITORY, REFUND_REPOSITORY, RestOrders, ReceiptMerchants, APP_CONFIG, LOGGER],
          useFactory: (engine: PaymentsEngine, payments: PaymentRepository, refunds: RefundRepository, orders: RestOrders, receipts: ReceiptMerchants, c: AppConfig, logger: Logger) =>
            new RestPayments(engine, payments, refunds, orders, receipts, c.merchantApi, logger.child({ component: 'merchant-api' })),
        },
        {
          provide: WebhookDispatcher,
          inject: [UNIT_OF_WORK, PAYMENT_REPOSITORY, REFUND_REPOSITORY, WebhookDeliveries, ApiClientStore, ReceiptMerchants, APP_CONFIG, LOGGER],
          useFactory: (uow: UnitOfWork, payments: PaymentRepository, refunds: RefundRepository, deliveries: WebhookDeliveries, clients: ApiClientStore, receipts: ReceiptMerchants, c: AppConfig, logger: Logger) =>
            new WebhookDispatcher(
              new WebhookEvents(uow, payments, refunds, deliveries, receipts),
              deliveries,
              clients,
              { pollMs: c.merchantApi.webhookPollMs, backoffMs: c.merchantApi.webhookBackoffMs, timeoutMs: c.merchantApi.webhookTimeoutMs },
              new WebhookTargets(c.merchantApi.webhookTargets),
              logger.child({ component: 'webhooks' }),
            ),
        },
        {
          provide: PayApiServer,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (c: AppConfig, logger: Logger) => new PayApiServer(c.merchantApi, options.extensions ?? [], logger.child({ component: 'merchant-api' })),
        },
        MerchantApiLifecycle,
      ],
      global: true,
      exports: [ApiClientStore, IdempotencyStore, RestOrders, RestPayments, WebhookDeliveries, WebhookDispatcher, PayApiServer, InAppOrderWebhooks],
    };
  }
}
