import {
  deadLetterHeaders,
  ForwardingHeader,
  headersToStrings,
  readEnvelope,
  retryHeaders,
} from './forwarding-headers';

describe('headersToStrings', () => {
  it('decodes buffers, keeps strings, takes the last of a repeated header and skips undefined', () => {
    expect(
      headersToStrings({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), '2'], d: undefined }),
    ).toEqual({ a: 'x', b: 'y', c: '2' });
    expect(headersToStrings(undefined)).toEqual({});
  });
});

describe('readEnvelope', () => {
  const bookkeeping = {
    [ForwardingHeader.Attempt]: '9',
    [ForwardingHeader.NotBefore]: '5000',
    [ForwardingHeader.FirstSeen]: '1000',
    [ForwardingHeader.LastError]: 'Error: timeout',
  };

  it('on the main topic: attempt 1, due now, first seen from the fallback, app headers only', () => {
    expect(readEnvelope({ 'trace-id': 't1' }, 1, 777)).toEqual({
      attempt: 1,
      notBeforeMs: 0,
      firstSeenMs: 777,
      appHeaders: { 'trace-id': 't1' },
    });
  });

  it('on the main topic ignores not-before, so new work is never held back', () => {
    expect(readEnvelope(bookkeeping, 1, 777).notBeforeMs).toBe(0);
  });

  it('on a retry topic reads the schedule, and the topic (not the header) says which attempt it is', () => {
    expect(readEnvelope({ ...bookkeeping, 'trace-id': 't1' }, 3, 777)).toEqual({
      attempt: 3,
      notBeforeMs: 5000,
      firstSeenMs: 1000,
      lastError: 'Error: timeout',
      appHeaders: { 'trace-id': 't1' },
    });
  });

  it('treats damaged headers as due now and first seen at the fallback instead of failing', () => {
    const envelope = readEnvelope(
      { [ForwardingHeader.NotBefore]: 'soon', [ForwardingHeader.FirstSeen]: '-5' },
      2,
      777,
    );
    expect(envelope).toMatchObject({ attempt: 2, notBeforeMs: 0, firstSeenMs: 777 });
  });
});

describe('retryHeaders and deadLetterHeaders', () => {
  const envelope = readEnvelope({ 'trace-id': 't1', [ForwardingHeader.FirstSeen]: '1000' }, 2, 777);

  it('a retry copy keeps the app headers and carries the next attempt, when it is due and why', () => {
    expect(retryHeaders(envelope, { attempt: 3, notBeforeMs: 9000, lastError: 'Error: down' })).toEqual({
      'trace-id': 't1',
      attempt: '3',
      'not-before': '9000',
      'first-seen': '1000',
      'last-error': 'Error: down',
    });
  });

  it('a dead-letter copy says where it came from and why it died; long texts are cut', () => {
    const headers = deadLetterHeaders(
      envelope,
      { topic: 'r.retry.1', partition: 2, offset: '41' },
      {
        reason: 'x'.repeat(2_000),
        lastError: 'Error: down',
      },
    );
    expect(headers).toMatchObject({
      'trace-id': 't1',
      attempt: '2',
      'first-seen': '1000',
      'last-error': 'Error: down',
      'origin-topic': 'r.retry.1',
      'origin-partition': '2',
      'origin-offset': '41',
    });
    expect(headers['dead-reason']).toHaveLength(500);
    expect(headers).not.toHaveProperty('not-before');
  });
});
