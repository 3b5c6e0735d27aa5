import { maskPaymentCodesIn } from '../../../logging/mask';
import type { ForwardingTopics } from './kafka.config';

/** A handler's answer, checked: what the consumer will do with the message. */
export type Verdict =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly afterMs: number; readonly error: string }
  | { readonly kind: 'dead'; readonly reason: string };

/** Where a delivery goes next. */
export type Route =
  | { readonly kind: 'commit' }
  | {
      readonly kind: 'retry';
      readonly topic: string;
      readonly attempt: number;
      readonly notBeforeMs: number;
      readonly lastError: string;
    }
  | { readonly kind: 'dead'; readonly reason: string; readonly lastError?: string };

/** The retry topics in order and the wait before each; `delaysMs[i]` belongs to `topics.retries[i]`. */
export interface RetrySchedule {
  readonly topics: ForwardingTopics;
  readonly delaysMs: readonly number[];
}

/**
 * Error text that may travel in headers and logs. Payment codes are masked here too, as a second line of
 * defence: handlers are expected to throw errors that carry no customer data in the first place.
 */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${String(error)}`;
  return maskPaymentCodesIn(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks what a handler resolved to; anything malformed is a retry, like a throw. */
export function verdictOf(outcome: unknown): Verdict {
  if (outcome === 'done') return { kind: 'done' };
  if (isRecord(outcome) && typeof outcome.dead === 'string') {
    return { kind: 'dead', reason: maskPaymentCodesIn(outcome.dead) };
  }
  if (
    isRecord(outcome) &&
    typeof outcome.retryAfterMs === 'number' &&
    Number.isFinite(outcome.retryAfterMs) &&
    outcome.retryAfterMs >= 0
  ) {
    const reason =
      typeof outcome.reason === 'string'
        ? maskPaymentCodesIn(outcome.reason)
        : 'the handler asked for a retry';
    return { kind: 'retry', afterMs: Math.ceil(outcome.retryAfterMs), error: reason };
  }
  return { kind: 'retry', afterMs: 0, error: 'the handler returned an invalid outcome' };
}

export function verdictOfError(error: unknown): Verdict {
  return { kind: 'retry', afterMs: 0, error: describeError(error) };
}

/**
 * After attempt `attempt` (1-based) a retry goes to retry topic `attempt`, to be tried again no sooner than
 * the longer of that step's delay and the handler's own wait. After the last retry topic it is dead.
 */
export function routeVerdict(
  verdict: Verdict,
  attempt: number,
  schedule: RetrySchedule,
  nowMs: number,
): Route {
  switch (verdict.kind) {
    case 'done':
      return { kind: 'commit' };
    case 'dead':
      return { kind: 'dead', reason: verdict.reason };
    case 'retry': {
      const step = attempt - 1;
      const topic = schedule.topics.retries[step];
      const delayMs = schedule.delaysMs[step];
      if (topic === undefined || delayMs === undefined) {
        return { kind: 'dead', reason: `gave up after ${attempt} attempts`, lastError: verdict.error };
      }
      return {
        kind: 'retry',
        topic,
        attempt: attempt + 1,
        notBeforeMs: nowMs + Math.max(delayMs, verdict.afterMs),
        lastError: verdict.error,
      };
    }
  }
}
