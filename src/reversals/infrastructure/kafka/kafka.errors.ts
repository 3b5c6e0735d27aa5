/** Errors of the Kafka forwarding toolkit. Codes are namespaced so logs and alerts can match on them. */
export abstract class KafkaForwardingError extends Error {
  abstract readonly code: string;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A broker list, topic name or retry schedule that cannot work; raised at start-up, never mid-stream. */
export class KafkaConfigError extends KafkaForwardingError {
  readonly code = 'KAFKA.BAD_CONFIG';

  constructor(message: string) {
    super(message);
  }
}

/**
 * The broker did not acknowledge a record within the producer's retry budget. The record may or may not
 * have been written (an acknowledgement can be lost after the write), so a caller that sends it again
 * may create a duplicate: consumers are idempotent by key for exactly this reason.
 */
export class KafkaSendError extends KafkaForwardingError {
  readonly code = 'KAFKA.SEND_FAILED';

  constructor(
    readonly topic: string,
    cause: unknown,
  ) {
    super(
      `Kafka did not acknowledge a record for ${topic}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}
