/**
 * What operators run the switch with: /health/live and /health/ready (terminus), /metrics (prom-client),
 * the retention job and the start-up credential check. Global, because it also hands two decorators to
 * other modules' ports: the metered WalletChannel (persistence's merchant catalog) and the cancel-decisions
 * meter (the payments engine).
 */
import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { WalletChannel } from '@switch/alipay';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logging.module';
import { WALLET_CHANNEL_DECORATOR, UNIT_OF_WORK } from '../persistence/persistence.tokens';
import type { UnitOfWork } from '../persistence/unit-of-work';
import { CANCEL_DECISIONS } from '../payments/application/ports';
import { HealthProbesController } from './health/health-probes.controller';
import { CHECK_TIMEOUT_MS, Readiness } from './health/readiness';
import { KafkaProbe } from './kafka-probe';
import { CancelDecisionsMeter } from './metrics/cancel-decisions-meter';
import { MeteredChannel } from './metrics/metered-channel';
import { MetricsController } from './metrics/metrics.controller';
import { QueueGauges } from './metrics/queue-gauges';
import { SwitchMetrics } from './metrics/switch-metrics';
import { RetentionJob } from './retention/retention-job';

export const KAFKA_PROBE = Symbol('KAFKA_PROBE');

class OperationsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(RetentionJob) private readonly retention: RetentionJob,
    @Inject(KAFKA_PROBE) private readonly kafka: KafkaProbe | null,
  ) {}

  onApplicationBootstrap(): void {
    this.retention.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.retention.stop();
    await this.kafka?.close();
  }
}

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthProbesController, MetricsController],
  providers: [
    { provide: SwitchMetrics, useFactory: () => new SwitchMetrics() },
    {
      provide: WALLET_CHANNEL_DECORATOR,
      inject: [SwitchMetrics],
      useFactory:
        (metrics: SwitchMetrics) =>
        (channel: WalletChannel): WalletChannel =>
          new MeteredChannel(channel, metrics),
    },
    {
      provide: CANCEL_DECISIONS,
      inject: [SwitchMetrics],
      useFactory: (metrics: SwitchMetrics) => new CancelDecisionsMeter(metrics),
    },
    {
      provide: KAFKA_PROBE,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig): KafkaProbe | null =>
        c.kafka ? new KafkaProbe({ ...c.kafka, timeoutMs: CHECK_TIMEOUT_MS }) : null,
    },
    {
      provide: QueueGauges,
      inject: [SwitchMetrics, UNIT_OF_WORK, KAFKA_PROBE, LOGGER],
      useFactory: (metrics: SwitchMetrics, uow: UnitOfWork, kafka: KafkaProbe | null, logger: Logger) =>
        new QueueGauges(metrics, uow, kafka ?? undefined, logger.child({ component: 'metrics' })),
    },
    {
      provide: Readiness,
      inject: [HealthIndicatorService, UNIT_OF_WORK, KAFKA_PROBE, APP_CONFIG],
      useFactory: (
        indicators: HealthIndicatorService,
        uow: UnitOfWork,
        kafka: KafkaProbe | null,
        c: AppConfig,
      ) => new Readiness(indicators, uow, kafka ?? undefined, c.operations.readyMaxOutboxAgeMs),
    },
    {
      provide: RetentionJob,
      inject: [UNIT_OF_WORK, APP_CONFIG, LOGGER, SwitchMetrics],
      useFactory: (uow: UnitOfWork, c: AppConfig, logger: Logger, metrics: SwitchMetrics) =>
        new RetentionJob(
          uow,
          {
            retentionDays: c.operations.retentionDays,
            intervalMs: c.operations.retentionIntervalMs,
            batchSize: c.operations.retentionBatchSize,
          },
          logger.child({ component: 'retention' }),
          (pruned) => {
            for (const [table, rows] of Object.entries(pruned))
              metrics.retentionPruned.labels(table).inc(rows);
          },
        ),
    },
    OperationsLifecycle,
  ],
  exports: [SwitchMetrics, WALLET_CHANNEL_DECORATOR, CANCEL_DECISIONS, RetentionJob],
})
export class OperationsModule {}
