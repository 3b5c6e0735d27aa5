/**
 * The payments engine in Nest: the engine (built by createPaymentsEngine, the one place its parts are
 * wired) as PAYMENTS_ENGINE, and the 0100/0200 handler. Its ports come from the global persistence module
 * (PAYMENT_REPOSITORY, REFUND_REPOSITORY, MERCHANT_CHANNELS), APP_CONFIG and LOGGER; EARLY_REVERSALS
 * (src/reversals: purchases whose reversal arrived first are refused without calling Alipay) and
 * MANUAL_INTERVENTIONS (where cancels given up on are listed) are optional.
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
  CANCEL_DECISIONS,
  EARLY_REVERSALS,
  INSTANCE_LEASES,
  MANUAL_INTERVENTIONS,
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  PAYMENTS_CONFIG,
  PAYMENTS_ENGINE,
  PAYMENTS_LOG,
  REFUND_ALLOWANCE,
  REFUND_REPOSITORY,
  type EarlyReversals,
  type ManualInterventions,
  type MerchantChannels,
  type PaymentRepository,
  type PaymentsLog,
  type RefundAllowance,
  type CancelDecisions,
  type InstanceLeases,
  type RefundRepository,
} from '../application/ports';
import { describeError } from '../application/payment-timers';
import { FinancialHandler } from './financial-handler';
import { paymentsConfigFrom } from './payments-config';

export { PAYMENTS_ENGINE };

@Injectable()
export class PaymentsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PAYMENTS_ENGINE) private readonly engine: PaymentsEngine,
    @Inject(PAYMENTS_LOG) private readonly log: PaymentsLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ownership, resume } = this.engine;
    // Before any terminal is served: a payment of an instance without a lease would be taken over at once.
    await ownership?.register();
    // The embedded database is one instance by construction: nobody to renew a lease for or take over from.
    if (this.config.database.kind === 'mysql') ownership?.start((claimed) => resume.resumeTakenOver(claimed));
    // Detached: terminals may be served while old transactions are being settled.
    resume
      .resume()
      .catch((err: unknown) =>
        this.log.error({ err: describeError(err) }, 'resuming unfinished transactions failed'),
      );
  }

  /** Runs after the ISO listener drained (bootstrap closes it first): releasing the lease hands what is left over at once. */
  async onModuleDestroy(): Promise<void> {
    this.engine.dispose();
    await this.engine.ownership
      ?.stop(true)
      .catch((err: unknown) => this.log.error({ err: describeError(err) }, 'releasing the lease failed'));
  }
}

@Module({
  controllers: [FinancialHandler],
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
        { token: EARLY_REVERSALS, optional: true },
        { token: REFUND_ALLOWANCE, optional: true },
        { token: MANUAL_INTERVENTIONS, optional: true },
        { token: CANCEL_DECISIONS, optional: true },
        { token: INSTANCE_LEASES, optional: true },
      ],
      useFactory: (
        payments: PaymentRepository,
        refunds: RefundRepository,
        merchants: MerchantChannels,
        config: PaymentsConfig,
        log: PaymentsLog,
        earlyReversals?: EarlyReversals,
        refundAllowance?: RefundAllowance,
        manualInterventions?: ManualInterventions,
        cancelDecisions?: CancelDecisions,
        leases?: InstanceLeases,
      ): PaymentsEngine =>
        createPaymentsEngine({
          payments,
          refunds,
          merchants,
          config,
          log,
          earlyReversals,
          refundAllowance,
          manualInterventions,
          cancelDecisions,
          leases,
        }),
    },
    PaymentsLifecycle,
  ],
  exports: [PAYMENTS_ENGINE, PAYMENTS_LOG],
})
export class PaymentsModule {}
