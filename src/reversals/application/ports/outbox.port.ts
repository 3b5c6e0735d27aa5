/**
 * The transactional outbox as the relay sees it: rows the payments engine wrote in the same database
 * transaction as the state change they carry out, read in id order and stamped once handed on.
 */
export interface OutboxRow {
  /** Database id (a bigint, kept as text): the order rows were committed in, per key. */
  readonly id: string;
  readonly kind: string;
  /** The paymentRequestId for a CANCEL: the Kafka key, and what consumers dedupe on. */
  readonly key: string;
  /** JSON text, handed on unchanged. */
  readonly payload: string;
  readonly createdAt: Date;
}

export interface OutboxStore {
  /** Unrelayed rows of these kinds, oldest id first. */
  unrelayed(kinds: readonly string[], limit: number): Promise<OutboxRow[]>;
  markRelayed(ids: readonly string[], at: Date): Promise<void>;
  /**
   * Where several relays share the table (instances on one MySQL database): reads up to `limit` unrelayed
   * rows, locked so another relay skips them (never waits on them), hands them to `deliver` and stamps
   * them, in one transaction; resolves with how many. A store without it serves one relay.
   */
  relayLocked?(
    kinds: readonly string[],
    limit: number,
    deliver: (rows: readonly OutboxRow[]) => Promise<void>,
    now: () => Date,
  ): Promise<number>;
}

/** Where relayed rows go: the Kafka reversals topic, or the in-process cancel queue. */
export interface OutboxSink {
  /** Resolves once every row is durably accepted (acknowledged by Kafka, or committed to the job table). */
  deliver(rows: readonly OutboxRow[]): Promise<void>;
}
