import { cancelRetryPolicy, delayAfterAttempt, isLastAttempt, RetryPolicyError } from './retry-policy';

describe('cancelRetryPolicy', () => {
  it('retries every interval for the window (seed 004: 7.5 s for 60 s), then after each backoff wait', () => {
    const policy = cancelRetryPolicy({ intervalMs: 7_500, windowMs: 60_000, backoffMs: [60_000, 300_000] });
    expect(policy.delaysMs).toEqual([
      7_500, 7_500, 7_500, 7_500, 7_500, 7_500, 7_500, 7_500, 60_000, 300_000,
    ]);
    expect(policy.maxAttempts).toBe(11);
    const quickPhase = policy.delaysMs.slice(0, 8).reduce((sum, wait) => sum + wait, 0);
    expect(quickPhase).toBe(60_000);
  });

  it('names the last attempt and the wait after each one', () => {
    const policy = cancelRetryPolicy({ intervalMs: 100, windowMs: 250, backoffMs: [1_000] });
    expect(policy.delaysMs).toEqual([100, 100, 1_000]);
    expect([1, 2, 3, 4].map((n) => isLastAttempt(policy, n))).toEqual([false, false, false, true]);
    expect([1, 2, 3, 4].map((n) => delayAfterAttempt(policy, n))).toEqual([100, 100, 1_000, undefined]);
  });

  it('may have no retries at all: the first failure goes to people', () => {
    const policy = cancelRetryPolicy({ intervalMs: 100, windowMs: 0, backoffMs: [] });
    expect(policy).toEqual({ delaysMs: [], maxAttempts: 1 });
    expect(isLastAttempt(policy, 1)).toBe(true);
  });

  it('refuses waits that cannot be timers', () => {
    expect(() => cancelRetryPolicy({ intervalMs: 0, windowMs: 60_000, backoffMs: [] })).toThrow(
      RetryPolicyError,
    );
    expect(() => cancelRetryPolicy({ intervalMs: 100, windowMs: -1, backoffMs: [] })).toThrow(/window/);
    expect(() => cancelRetryPolicy({ intervalMs: 100, windowMs: 100, backoffMs: [5, 1.5] })).toThrow(
      /backoff/,
    );
  });
});
