/**
 * When a cancel that got no definite answer is tried again (seed 004): the same request every
 * `intervalMs` (5-10 s) for `windowMs` (60 s), then after each of the growing `backoffMs` waits; when
 * those run out a person must act. Every wait is one step of the delayed queue (a Kafka retry topic, or a
 * timer of the in-process worker), so the partition a cancel waits on is never blocked.
 */
export interface CancelRetrySettings {
  readonly intervalMs: number;
  readonly windowMs: number;
  readonly backoffMs: readonly number[];
}

export interface CancelRetryPolicy {
  /** `delaysMs[n - 1]` is the wait between attempt n and attempt n + 1. */
  readonly delaysMs: readonly number[];
  /** Attempts before the cancel is handed to people: one more than the waits. */
  readonly maxAttempts: number;
}

export class RetryPolicyError extends Error {
  readonly code = 'REVERSALS.BAD_RETRY_POLICY';
  constructor(message: string) {
    super(message);
    this.name = 'RetryPolicyError';
  }
}

export function cancelRetryPolicy(settings: CancelRetrySettings): CancelRetryPolicy {
  const { intervalMs, windowMs, backoffMs } = settings;
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) {
    throw new RetryPolicyError(`the retry interval must be a whole number of ms >= 1, got ${intervalMs}`);
  }
  if (!Number.isSafeInteger(windowMs) || windowMs < 0) {
    throw new RetryPolicyError(`the retry window must be a whole number of ms >= 0, got ${windowMs}`);
  }
  if (!backoffMs.every((wait) => Number.isSafeInteger(wait) && wait >= 1)) {
    throw new RetryPolicyError(`backoff waits must be whole numbers of ms >= 1, got ${backoffMs.join(', ')}`);
  }
  // Retries at interval, 2 x interval, ... up to the end of the window: 60 s at 7.5 s is 8 retries.
  const quickRetries = Math.floor(windowMs / intervalMs);
  const delaysMs = Object.freeze([...Array.from({ length: quickRetries }, () => intervalMs), ...backoffMs]);
  return Object.freeze({ delaysMs, maxAttempts: delaysMs.length + 1 });
}

/** Whether attempt `attempt` (1-based) is the last one the policy allows. */
export function isLastAttempt(policy: CancelRetryPolicy, attempt: number): boolean {
  return attempt >= policy.maxAttempts;
}

/** The wait after attempt `attempt` before the next one; undefined after the last. */
export function delayAfterAttempt(policy: CancelRetryPolicy, attempt: number): number | undefined {
  return policy.delaysMs[attempt - 1];
}
