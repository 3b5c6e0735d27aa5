/**
 * Reversals in Nest: the 0400/0420 handler and what createReversals builds (the reversal service, the
 * outbox relay and the cancel workers). Ports come from the global persistence module (UNIT_OF_WORK,
 * DATA_SOURCE, SQL_SESSION, PAYMENT_REPOSITORY, MERCHANT_CHANNELS) and the payments engine
 * (PAYMENTS_ENGINE). Forwarding starts on application bootstrap and stops on shutdown.
 */
import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LOGGER } from '../../logging/logging.module';
import type { Logger } from '../../logging/logger';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import {
  MERCHANT_CHANNELS,
  PAYMENT_REPOSITORY,
  type MerchantChannels,
  type PaymentRepository,
} from '../../payments/application/ports';
import { PAYMENTS_ENGINE, PaymentsModule } from '../../payments/delivery/payments.module';
import { DATA_SOURCE, SQL_SESSION, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { SqlSession } from '../../persistence/sql';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import {
  EARLY_REVERSAL_STORE,
  MANUAL_INTERVENTIONS,
  REVERSALS_LOG,
  type EarlyReversalStore,
  type ManualInterventions,
  type ReversalsLog,
} from '../application/ports';
import { ReversalService } from '../application/reversal.service';
import type { ForwardingRuntime } from '../infrastructure/forwarding/forwarding-runtime';
import { OutboxCommitSignal } from '../infrastructure/typeorm/outbox-commit-signal';
import { ReversalStoresModule } from './reversal-stores.module';
import { ReversalHandler } from './reversal-handler';
import { createReversals, type Reversals } from './reversals-wiring';

const REVERSALS = Symbol('REVERSALS'); // Reversals
/** The running relay and workers ('kafka' or 'in-process'); tests reach the relay and queue through it. */
export const FORWARDING_RUNTIME = Symbol('FORWARDING_RUNTIME'); // ForwardingRuntime

@Injectable()
export class ReversalsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private detach: (() => void) | undefined;

  constructor(
    @Inject(FORWARDING_RUNTIME) private readonly runtime: ForwardingRuntime,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SQL_SESSION) private readonly sql: SqlSession,
    @Inject(REVERSALS_LOG) private readonly log: ReversalsLog,
  ) {}

  onApplicationBootstrap(): void {
    this.detach = new OutboxCommitSignal(() => this.runtime.relay.wake()).attach(this.dataSource, this.sql);
    this.runtime.start();
    this.log.info({ mode: this.runtime.mode }, 'cancel forwarding started');
  }

  async onModuleDestroy(): Promise<void> {
    this.detach?.();
    await this.runtime.stop();
  }
}

@Module({
  imports: [PaymentsModule, ReversalStoresModule],
  controllers: [ReversalHandler],
  providers: [
    {
      provide: REVERSALS_LOG,
      inject: [LOGGER],
      useFactory: (logger: Logger): ReversalsLog => logger.child({ component: 'reversals' }),
    },
    {
      provide: REVERSALS,
      inject: [
        PAYMENTS_ENGINE,
        PAYMENT_REPOSITORY,
        MERCHANT_CHANNELS,
        EARLY_REVERSAL_STORE,
        MANUAL_INTERVENTIONS,
        UNIT_OF_WORK,
        APP_CONFIG,
        REVERSALS_LOG,
      ],
      useFactory: (
        engine: PaymentsEngine,
        payments: PaymentRepository,
        merchants: MerchantChannels,
        early: EarlyReversalStore,
        manual: ManualInterventions,
        uow: UnitOfWork,
        config: AppConfig,
        log: ReversalsLog,
      ): Reversals => createReversals({ engine, payments, merchants, early, manual, uow, config, log }),
    },
    { provide: ReversalService, inject: [REVERSALS], useFactory: (r: Reversals) => r.service },
    { provide: FORWARDING_RUNTIME, inject: [REVERSALS], useFactory: (r: Reversals) => r.runtime },
    ReversalsLifecycle,
  ],
  exports: [FORWARDING_RUNTIME, ReversalStoresModule],
})
export class ReversalsModule {}
