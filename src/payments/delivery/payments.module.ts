/**
 * The payments engine in Nest. Its ports are filled by tokens another (global) module provides:
 * PAYMENT_REPOSITORY, REFUND_REPOSITORY, MERCHANT_CHANNELS (src/persistence), APP_CONFIG
 * and LOGGER. Optional: CANCEL_REQUESTER (defaults to the outbox requester), CLOCK, SCHEDULER, EARLY_REVERSALS
 * (src/reversals: purchases whose reversal arrived first are refused without calling Alipay).
 * On bootstrap it resumes unfinished transactions; on shutdown it stops its timers.
 */
import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LOGGER } from '../../logging/logging.module';
import type { Logger } from '../../logging/logger';
import { createPaymentsEngine, type PaymentsEngine } from '../application/payments-engine';
import type { PaymentsConfig } from '../application/payments.config';
import {
  CANCEL_REQUESTER,
  CLOCK,
  EARLY_REVERSALS,
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  PAYMENTS_CONFIG,
  PAYMENTS_LOG,
  REFUND_REPOSITORY,
  SCHEDULER,
  type CancelRequester,
  type Clock,
  type EarlyReversals,
  type MerchantChannels,
  type PaymentRepository,
  type PaymentsLog,
  type RefundRepository,
  type Scheduler,
} from '../application/ports';
import { describeError } from '../application/payment-timers';
import { FinancialController } from './financial.controller';
import { FinancialHandler } from './financial-handler';
import { paymentsConfigFrom } from './payments-config';

/** The engine's services (purchase, refund, inquiry, cancellation, notifications, resume) for other modules. */
export const PAYMENTS_ENGINE = Symbol('PAYMENTS_ENGINE');

@Injectable()
export class PaymentsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PAYMENTS_ENGINE) private readonly engine: PaymentsEngine,
    @Inject(PAYMENTS_LOG) private readonly log: PaymentsLog,
  ) {}

  onApplicationBootstrap(): void {
    // Detached: terminals may be served while old transactions are being settled.
    this.engine.resume
      .resume()
      .catch((err: unknown) =>
        this.log.error({ err: describeError(err) }, 'resuming unfinished transactions failed'),
      );
  }

  onModuleDestroy(): void {
    this.engine.dispose();
  }
}

@Module({
  controllers: [FinancialController],
  providers: [
    {
      provide: PAYMENTS_CONFIG,
      inject: [APP_CONFIG],
      useFactory: (app: AppConfig): PaymentsConfig => paymentsConfigFrom(app),
    },
    {
      provide: PAYMENTS_LOG,
      inject: [LOGGER],
      useFactory: (logger: Logger): PaymentsLog => logger.child({ component: 'payments' }),
    },
    {
      provide: PAYMENTS_ENGINE,
      inject: [
        PAYMENT_REPOSITORY,
        REFUND_REPOSITORY,
        MERCHANT_CHANNELS,
        PAYMENTS_CONFIG,
        PAYMENTS_LOG,
        { token: CANCEL_REQUESTER, optional: true },
        { token: CLOCK, optional: true },
        { token: SCHEDULER, optional: true },
        { token: EARLY_REVERSALS, optional: true },
      ],
      useFactory: (
        payments: PaymentRepository,
        refunds: RefundRepository,
        merchants: MerchantChannels,
        config: PaymentsConfig,
        log: PaymentsLog,
        cancelRequester?: CancelRequester,
        clock?: Clock,
        scheduler?: Scheduler,
        earlyReversals?: EarlyReversals,
      ): PaymentsEngine =>
        createPaymentsEngine({
          payments,
          refunds,
          merchants,
          config,
          log,
          cancelRequester,
          clock,
          scheduler,
          earlyReversals,
        }),
    },
    {
      provide: FinancialHandler,
      inject: [PAYMENTS_ENGINE, PAYMENTS_LOG],
      useFactory: (engine: PaymentsEngine, log: PaymentsLog) => new FinancialHandler(engine, log),
    },
    PaymentsLifecycle,
  ],
  exports: [PAYMENTS_ENGINE],
})
export class PaymentsModule {}
