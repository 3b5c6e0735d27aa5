/**
 * Reversals in Nest: the 0400/0420 handlers, the outbox relay and the cancel workers (Kafka when
 * KAFKA_BROKERS is set, otherwise the in-process queue). Ports come from the global persistence module
 * (UNIT_OF_WORK, DATA_SOURCE, PAYMENT_REPOSITORY, REFUND_REPOSITORY, MERCHANT_DIRECTORY, CHANNEL_REGISTRY)
 * and the payments engine (PAYMENTS_ENGINE). Forwarding starts on application bootstrap and stops on shutdown.
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
import { MerchantRoutes } from '../../payments/application/merchant-routes';
import { OriginalLocator } from '../../payments/application/original-locator';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import {
  CHANNEL_REGISTRY,
  MERCHANT_DIRECTORY,
  PAYMENT_REPOSITORY,
  REFUND_REPOSITORY,
  type ChannelRegistry,
  type MerchantDirectory,
  type PaymentRepository,
  type RefundRepository,
} from '../../payments/application/ports';
import { systemClock } from '../../payments/application/system-time';
import { PAYMENTS_ENGINE, PaymentsModule } from '../../payments/delivery/payments.module';
import { DATA_SOURCE, SQL_SESSION, UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import type { SqlSession } from '../../persistence/sql';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { CancelWorker } from '../application/cancel-worker';
import {
  CANCEL_JOB_STORE,
  EARLY_REVERSAL_STORE,
  MANUAL_INTERVENTIONS,
  OUTBOX_STORE,
  REVERSALS_LOG,
  type CancelJobStore,
  type EarlyReversalStore,
  type ManualInterventions,
  type OutboxStore,
  type ReversalsLog,
} from '../application/ports';
import { ReversalService } from '../application/reversal.service';
import { cancelRetryPolicy, type CancelRetryPolicy } from '../domain/retry-policy';
import type { ForwardingRuntime } from '../infrastructure/forwarding/forwarding-runtime';
import { KafkaForwarding } from '../infrastructure/forwarding/kafka-forwarding';
import { LocalForwarding } from '../infrastructure/forwarding/local-forwarding';
import { OutboxCommitSignal } from '../infrastructure/typeorm/outbox-commit-signal';
import { TypeOrmCancelJobStore } from '../infrastructure/typeorm/typeorm-cancel-job.store';
import { TypeOrmManualInterventions } from '../infrastructure/typeorm/typeorm-manual-interventions';
import { TypeOrmOutboxStore } from '../infrastructure/typeorm/typeorm-outbox.store';
import { EarlyReversalsModule } from './early-reversals.module';
import { ReversalController } from './reversal.controller';
import { ReversalHandler } from './reversal-handler';

export const CANCEL_RETRY_POLICY = Symbol('CANCEL_RETRY_POLICY'); // CancelRetryPolicy
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
  imports: [PaymentsModule, EarlyReversalsModule],
  controllers: [ReversalController],
  providers: [
    {
      provide: REVERSALS_LOG,
      inject: [LOGGER],
      useFactory: (logger: Logger): ReversalsLog => logger.child({ component: 'reversals' }),
    },
    {
      provide: CANCEL_RETRY_POLICY,
      inject: [APP_CONFIG],
      useFactory: ({ reversals }: AppConfig): CancelRetryPolicy =>
        cancelRetryPolicy({
          intervalMs: reversals.cancelRetryIntervalMs,
          windowMs: reversals.cancelRetryWindowMs,
          backoffMs: reversals.cancelBackoffMs,
        }),
    },
    {
      provide: OUTBOX_STORE,
      inject: [UNIT_OF_WORK],
      useFactory: (uow: UnitOfWork) => new TypeOrmOutboxStore(uow),
    },
    {
      provide: MANUAL_INTERVENTIONS,
      inject: [UNIT_OF_WORK],
      useFactory: (uow: UnitOfWork) => new TypeOrmManualInterventions(uow),
    },
    {
      provide: CANCEL_JOB_STORE,
      inject: [UNIT_OF_WORK],
      useFactory: (uow: UnitOfWork) => new TypeOrmCancelJobStore(uow),
    },
    {
      provide: ReversalService,
      inject: [PAYMENTS_ENGINE, PAYMENT_REPOSITORY, REFUND_REPOSITORY, EARLY_REVERSAL_STORE],
      useFactory: (
        engine: PaymentsEngine,
        payments: PaymentRepository,
        refunds: RefundRepository,
        early: EarlyReversalStore,
      ) =>
        new ReversalService(new OriginalLocator(payments, refunds), engine.cancellation, early, systemClock),
    },
    {
      provide: ReversalHandler,
      inject: [ReversalService, REVERSALS_LOG],
      useFactory: (service: ReversalService, log: ReversalsLog) => new ReversalHandler(service, log),
    },
    {
      provide: CancelWorker,
      inject: [
        PAYMENTS_ENGINE,
        PAYMENT_REPOSITORY,
        MERCHANT_DIRECTORY,
        CHANNEL_REGISTRY,
        MANUAL_INTERVENTIONS,
        REVERSALS_LOG,
        CANCEL_RETRY_POLICY,
        APP_CONFIG,
      ],
      useFactory: (
        engine: PaymentsEngine,
        payments: PaymentRepository,
        merchants: MerchantDirectory,
        channels: ChannelRegistry,
        manual: ManualInterventions,
        log: ReversalsLog,
        policy: CancelRetryPolicy,
        config: AppConfig,
      ) =>
        new CancelWorker(
          payments,
          engine.cancellation,
          new MerchantRoutes(merchants, channels),
          manual,
          systemClock,
          log,
          {
            policy,
            // Seed 004's retry window: a pay still on its way to Alipay has surely landed by then.
            absentFinalAfterMs: config.reversals.cancelRetryWindowMs,
          },
        ),
    },
    {
      provide: FORWARDING_RUNTIME,
      inject: [
        APP_CONFIG,
        OUTBOX_STORE,
        CANCEL_JOB_STORE,
        CancelWorker,
        MANUAL_INTERVENTIONS,
        PAYMENT_REPOSITORY,
        PAYMENTS_ENGINE,
        REVERSALS_LOG,
        CANCEL_RETRY_POLICY,
      ],
      useFactory: (
        config: AppConfig,
        outbox: OutboxStore,
        jobs: CancelJobStore,
        worker: CancelWorker,
        manual: ManualInterventions,
        payments: PaymentRepository,
        engine: PaymentsEngine,
        log: ReversalsLog,
        policy: CancelRetryPolicy,
      ): ForwardingRuntime => {
        const { reversals, kafka } = config;
        const common = {
          policy,
          concurrency: reversals.workerConcurrency,
          pollIntervalMs: reversals.outboxPollIntervalMs,
          batchSize: reversals.outboxBatchSize,
        };
        if (!kafka) return new LocalForwarding(outbox, jobs, worker, systemClock, log, common);
        return new KafkaForwarding(
          { outbox, worker, manual, payments, cancellation: engine.cancellation, clock: systemClock, log },
          {
            ...common,
            brokers: kafka.brokers,
            clientId: kafka.clientId,
            ssl: kafka.tls,
            sasl: kafka.sasl,
            topicPrefix: kafka.topicPrefix,
            partitions: reversals.topicPartitions,
            cancelsPerPartition: reversals.cancelsPerPartition,
            sessionTimeoutMs: reversals.sessionTimeoutMs,
          },
        );
      },
    },
    ReversalsLifecycle,
  ],
  exports: [FORWARDING_RUNTIME, MANUAL_INTERVENTIONS],
})
export class ReversalsModule {}
