import { forwardingTopics } from './kafka.config';
import { describeError, routeVerdict, verdictOf, verdictOfError, type RetrySchedule } from './retry-route';

const schedule: RetrySchedule = { topics: forwardingTopics('r', 2), delaysMs: [200, 1_000] };

describe('verdictOf', () => {
  it.each([
    ['done', { kind: 'done' }],
    [{ dead: 'merchant closed' }, { kind: 'dead', reason: 'merchant closed' }],
    [{ retryAfterMs: 1.2 }, { kind: 'retry', afterMs: 2, error: 'the handler asked for a retry' }],
    [
      { retryAfterMs: 0, reason: 'Alipay busy' },
      { kind: 'retry', afterMs: 0, error: 'Alipay busy' },
    ],
  ])('accepts %p', (outcome, verdict) => {
    expect(verdictOf(outcome)).toEqual(verdict);
  });

  it.each([undefined, 'ok', {}, { retryAfterMs: -1 }, { retryAfterMs: Number.NaN }, { dead: 42 }])(
    'treats %p as a retry, like a throw',
    (outcome) => {
      expect(verdictOf(outcome)).toEqual({
        kind: 'retry',
        afterMs: 0,
        error: 'the handler returned an invalid outcome',
      });
    },
  );

  it('masks payment codes in reasons', () => {
    expect(verdictOf({ dead: 'code 281234567890123456 refused' })).toEqual({
      kind: 'dead',
      reason: 'code 28************3456 refused',
    });
  });
});

describe('verdictOfError and describeError', () => {
  it('a thrown error is a retry due now, described by name and message, payment codes masked', () => {
    expect(verdictOfError(new TypeError('bad 281234567890123456'))).toEqual({
      kind: 'retry',
      afterMs: 0,
      error: 'TypeError: bad 28************3456',
    });
    expect(describeError('plain')).toBe('non-error thrown: plain');
  });
});

describe('routeVerdict', () => {
  const retry = { kind: 'retry', afterMs: 0, error: 'Error: down' } as const;

  it('done commits; dead goes to the dead-letter topic', () => {
    expect(routeVerdict({ kind: 'done' }, 1, schedule, 0)).toEqual({ kind: 'commit' });
    expect(routeVerdict({ kind: 'dead', reason: 'no' }, 2, schedule, 0)).toEqual({
      kind: 'dead',
      reason: 'no',
    });
  });

  it('attempt k goes to retry topic k, due after that step’s delay', () => {
    expect(routeVerdict(retry, 1, schedule, 10_000)).toEqual({
      kind: 'retry',
      topic: 'r.retry.1',
      attempt: 2,
      notBeforeMs: 10_200,
      lastError: 'Error: down',
    });
    expect(routeVerdict(retry, 2, schedule, 10_000)).toMatchObject({
      topic: 'r.retry.2',
      attempt: 3,
      notBeforeMs: 11_000,
    });
  });

  it('the handler may ask for a longer wait, never a shorter one', () => {
    expect(routeVerdict({ ...retry, afterMs: 5_000 }, 1, schedule, 0)).toMatchObject({ notBeforeMs: 5_000 });
    expect(routeVerdict({ ...retry, afterMs: 50 }, 1, schedule, 0)).toMatchObject({ notBeforeMs: 200 });
  });

  it('after the last retry topic the message is dead, with the last error kept', () => {
    expect(routeVerdict(retry, 3, schedule, 0)).toEqual({
      kind: 'dead',
      reason: 'gave up after 3 attempts',
      lastError: 'Error: down',
    });
    expect(routeVerdict(retry, 1, { topics: forwardingTopics('r', 0), delaysMs: [] }, 0)).toMatchObject({
      kind: 'dead',
    });
  });
});
