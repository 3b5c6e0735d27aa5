/**
 * Retry topics the current settings no longer name. Retry topics are numbered by step (`<main>.retry.N`),
 * so a shorter `CANCEL_BACKOFF_MS` (or a shorter first phase) leaves the higher-numbered ones out of the
 * layout while they may still hold cancel orders. The consumer keeps reading every such topic it finds on
 * the broker at start: an order on one is tried again when due (its `not-before` header is absolute), as
 * the attempt its header carries, and goes on through the current layout or, past it, to people.
 */
import type { ForwardingTopics } from './kafka.config';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `<main>.retry.N` topics among `existing` that `topics` does not consume, with the attempt each holds. */
export function strandedRetryTopics(
  existing: readonly string[],
  topics: ForwardingTopics,
): { readonly topic: string; readonly attempt: number }[] {
  const pattern = new RegExp(`^${escape(topics.main)}\\.retry\\.(\\d{1,6})$`);
  const consumed = new Set(topics.retries);
  return existing
    .flatMap((topic) => {
      const step = pattern.exec(topic)?.[1];
      return step !== undefined && !consumed.has(topic) ? [{ topic, attempt: Number(step) + 1 }] : [];
    })
    .sort((a, b) => a.attempt - b.attempt);
}
