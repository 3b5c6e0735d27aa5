/**
 * The one place the reversals' parts are wired, on top of the payments engine's: the reversal service
 * (the engine's original locator and cancellation), the cancel worker and the forwarding that feeds it
 * (Kafka when configured, otherwise the in-process queue). The Nest module only hands the result out.
 */
import type { AppConfig } from '../../config/app-config';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import type { MerchantChannels, PaymentRepository } from '../../payments/application/ports';
import type { Clock } from '../../payments/application/ports/clock.port';
import { systemClock } from '../../payments/application/system-time';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { CancelWorker } from '../application/cancel-worker';
import type { EarlyReversalStore, ManualInterventions, ReversalsLog } from '../application/ports';
import { ReversalService } from '../application/reversal.service';
import { cancelRetryPolicy } from '../domain/retry-policy';
import type { ForwardingRuntime } from '../infrastructure/forwarding/forwarding-runtime';
import { KafkaForwarding } from '../infrastructure/forwarding/kafka-forwarding';
import { LocalForwarding } from '../infrastructure/forwarding/local-forwarding';
import { TypeOrmCancelJobStore } from '../infrastructure/typeorm/typeorm-cancel-job.store';
import { TypeOrmOutboxStore } from '../infrastructure/typeorm/typeorm-outbox.store';

export interface ReversalsDeps {
  engine: PaymentsEngine;
  payments: PaymentRepository;
  merchants: MerchantChannels;
  early: EarlyReversalStore;
  manual: ManualInterventions;
  uow: UnitOfWork;
  config: AppConfig;
  log: ReversalsLog;
  clock?: Clock;
}

export interface Reversals {
  service: ReversalService;
  /** The running relay and workers ('kafka' or 'in-process'); tests reach the relay and queue through it. */
  runtime: ForwardingRuntime;
}

export function createReversals(deps: ReversalsDeps): Reversals {
  const { engine, payments, uow, log } = deps;
  const { reversals, kafka } = deps.config;
  const clock = deps.clock ?? systemClock;
  const policy = cancelRetryPolicy({
    intervalMs: reversals.cancelRetryIntervalMs,
    windowMs: reversals.cancelRetryWindowMs,
    backoffMs: reversals.cancelBackoffMs,
  });
  const outbox = new TypeOrmOutboxStore(uow);
  const worker = new CancelWorker(payments, engine.cancellation, deps.merchants, clock, log, {
    policy,
    absentFinalAfterMs: reversals.cancelAbsentFinalAfterMs,
  });
  const common = {
    policy,
    concurrency: reversals.workerConcurrency,
    pollIntervalMs: reversals.outboxPollIntervalMs,
    batchSize: reversals.outboxBatchSize,
  };
  const runtime: ForwardingRuntime = kafka
    ? new KafkaForwarding(
        { outbox, worker, cancellation: engine.cancellation, clock, log },
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
      )
    : new LocalForwarding(outbox, new TypeOrmCancelJobStore(uow), worker, clock, log, common);
  return {
    service: new ReversalService(engine.originals, engine.cancellation, deps.early, clock),
    runtime,
  };
}
