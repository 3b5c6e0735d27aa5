/** No Kafka configured: the relay fills the in-process cancel queue, whose timers run the worker. */
import type { Clock } from '../../../payments/application/ports/clock.port';
import type { CancelWorker } from '../../application/cancel-worker';
import { LocalCancelQueue } from '../../application/local-cancel-queue';
import { OutboxRelay } from '../../application/outbox-relay';
import type { CancelJobStore } from '../../application/ports/cancel-jobs.port';
import type { OutboxStore } from '../../application/ports/outbox.port';
import type { ReversalsLog } from '../../application/ports/reversals-log.port';
import type { CancelRetryPolicy } from '../../domain/retry-policy';
import { RELAYED_KINDS, type ForwardingRuntime } from './forwarding-runtime';

export interface LocalForwardingOptions {
  readonly policy: CancelRetryPolicy;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
}

export class LocalForwarding implements ForwardingRuntime {
  readonly mode = 'in-process';
  readonly relay: OutboxRelay;
  readonly queue: LocalCancelQueue;

  constructor(
    outbox: OutboxStore,
    jobs: CancelJobStore,
    worker: CancelWorker,
    clock: Clock,
    log: ReversalsLog,
    options: LocalForwardingOptions,
  ) {
    this.queue = new LocalCancelQueue(jobs, worker, clock, log, {
      policy: options.policy,
      concurrency: options.concurrency,
      pollIntervalMs: options.pollIntervalMs,
    });
    this.relay = new OutboxRelay(outbox, this.queue, clock, log, {
      kinds: RELAYED_KINDS,
      batchSize: options.batchSize,
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  start(): void {
    this.queue.start();
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.queue.stop();
  }
}
