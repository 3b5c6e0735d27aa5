/** The outbox relay's sink when Kafka is configured: each CANCEL row becomes a record on the reversals topic. */
import type { OutboxRow, OutboxSink } from '../../application/ports/outbox.port';
import type { ForwardingProducer } from '../kafka';

/** Headers the relay puts on every record (the toolkit adds its own on retry and dead-letter copies). */
export const RecordHeader = { Kind: 'kind', OutboxId: 'outbox-id' } as const;

export class KafkaCancelSink implements OutboxSink {
  constructor(
    private readonly producer: ForwardingProducer,
    private readonly topic: string,
    /** Topics created and the producer connected; called before every batch (cheap once done). */
    private readonly prepare: () => Promise<void>,
  ) {}

  async deliver(rows: readonly OutboxRow[]): Promise<void> {
    await this.prepare();
    // One at a time, in id order: records of one key (one partition) stay in the order they were committed.
    for (const row of rows) {
      await this.producer.send(this.topic, row.key, row.payload, {
        [RecordHeader.Kind]: row.kind,
        [RecordHeader.OutboxId]: row.id,
      });
    }
  }
}
