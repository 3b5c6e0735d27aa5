/**
 * The contract between the retrying consumer and whatever does the work (a reversal worker calling
 * Alipay). Delivery is at least once: the same message can arrive again after a crash, a rebalance or a
 * lost commit, so a handler must be idempotent by the message key (for cancels: the same request id).
 */
export type HeaderMap = Readonly<Record<string, string>>;

export interface ForwardedMessage {
  readonly key: string;
  readonly value: Buffer;
  /** The producer's own headers; the toolkit's bookkeeping headers are taken out. */
  readonly headers: HeaderMap;
  /** The topic it was read from: the main topic or one of its retry topics. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the main topic, 2 on the first retry topic, and so on. */
  readonly attempt: number;
  /** When the message first entered the main topic (epoch ms). */
  readonly firstSeenMs: number;
  /** Why the previous attempt did not finish, when this is a retry. */
  readonly lastError?: string;
}

/**
 * - `'done'`: finished; the offset is committed.
 * - `{ retryAfterMs }`: try again later, no sooner than this (the retry step's own delay is the floor).
 * - `{ dead }`: no retry can help; the message goes to the dead-letter topic with this reason.
 * A handler that throws is treated as `{ retryAfterMs: 0 }`, so a poison message walks the retry topics to
 * the dead-letter topic instead of crash-looping the consumer.
 */
export type HandlerOutcome =
  'done' | { readonly retryAfterMs: number; readonly reason?: string } | { readonly dead: string };

export type ForwardingHandler = (message: ForwardedMessage) => Promise<HandlerOutcome>;
