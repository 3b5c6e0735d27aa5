/**
 * Reads the dead-letter topic and makes sure each record has an open manual-intervention entry and a
 * flagged payment, through the same CancellationService.recordCancelOutcome the worker gives up with. The
 * worker records both itself before it reports an order dead; this catches the paths that skip it (an
 * attempt that kept failing to store its outcome, so the toolkit gave up on it), so that nothing reaches
 * the dead-letter topic in silence. Idempotent: an entry already open is left as it is.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { CancellationService } from '../../../payments/application/cancellation.service';
import type { ReversalsLog } from '../../application/ports/reversals-log.port';
import { ForwardingHeader, headersToStrings } from '../kafka';

export interface DeadLetterRecorderOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly sessionTimeoutMs?: number;
}

export class DeadLetterRecorder {
  private consumer: Consumer | undefined;

  constructor(
    private readonly options: DeadLetterRecorderOptions,
    private readonly cancellation: CancellationService,
    private readonly log: ReversalsLog,
  ) {}

  async start(): Promise<void> {
    const { groupId, sessionTimeoutMs } = this.options;
    const consumer = this.options.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 1_000,
      ...(sessionTimeoutMs !== undefined ? { sessionTimeout: sessionTimeoutMs } : {}),
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const key = message.key?.toString('utf8') ?? '';
        const headers = headersToStrings(message.headers);
        await this.record(
          key,
          headers[ForwardingHeader.DeadReason] ?? 'no reason given',
          headers[ForwardingHeader.LastError],
        );
        // Committed only once recorded; a failure above is thrown to kafkajs, which delivers it again.
        await consumer.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async record(key: string, deadReason: string, lastError: string | undefined): Promise<void> {
    const detail = lastError ? `${deadReason}; last error: ${lastError}` : deadReason;
    const payment = await this.cancellation.recordCancelOutcome(key || 'unknown', {
      kind: 'gave-up',
      reason: 'dead-letter',
      detail,
    });
    this.log.warn(
      { key, paymentId: payment?.id, detail },
      'dead-lettered cancel on the manual-intervention list',
    );
  }
}
