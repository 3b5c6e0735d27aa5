import type { ChannelOutcome, FailureReason } from '@switch/alipay';
import { cancelRefundRequestId, judgeCancel, judgeRefund } from './cancel-verdict';

const raw = { api: 'cancel', requestId: 'R1', latencyMs: 3 };
const failure = (reason: FailureReason, code = 'X'): ChannelOutcome => ({
  kind: 'failure',
  reason,
  code,
  message: reason,
  raw,
});
const unknown: ChannelOutcome = { kind: 'unknown', cause: 'timeout', detail: 'no answer in 5000 ms' };

describe('judgeCancel', () => {
  it.each<[string, ChannelOutcome, string]>([
    ['success', { kind: 'success', raw }, 'confirmed'],
    ['closed', failure('closed', 'ORDER_IS_CLOSED'), 'confirmed'],
    ['unknown', unknown, 'retry'],
    ['processing', { kind: 'processing', raw }, 'retry'],
    ['cancel window passed', failure('cancel-window-exceeded', 'CANCEL_WINDOW_EXCEED'), 'refund-instead'],
    ['order not found', failure('not-found', 'ORDER_NOT_EXIST'), 'absent'],
    ['merchant refused', failure('merchant-not-permitted', 'ACCESS_DENIED'), 'hopeless'],
    ['bad request', failure('invalid-request', 'PARAM_ILLEGAL'), 'hopeless'],
  ])('%s -> %s', (_label, outcome, verdict) => {
    expect(judgeCancel(outcome).kind).toBe(verdict);
  });

  it('says why a refusal is hopeless', () => {
    expect(judgeCancel(failure('invalid-request', 'INVALID_SIGNATURE'))).toEqual({
      kind: 'hopeless',
      detail: 'cancel refused: invalid-request (INVALID_SIGNATURE)',
    });
  });
});

describe('judgeRefund', () => {
  it.each<[string, ChannelOutcome, string]>([
    ['success', { kind: 'success', raw }, 'confirmed'],
    ['unknown', unknown, 'retry'],
    ['refused', failure('refund-amount-exceeded', 'REFUND_AMOUNT_EXCEED'), 'hopeless'],
  ])('%s -> %s', (_label, outcome, verdict) => {
    expect(judgeRefund(outcome).kind).toBe(verdict);
  });
});

describe('cancelRefundRequestId', () => {
  it('is the same for every retry, apart from terminal refunds, and at most 64 characters', () => {
    const id = '20250115100000TERM000100000000100000012301234567890abcdef';
    expect(cancelRefundRequestId(id)).toBe(`C${id}`);
    expect(cancelRefundRequestId(id)).toBe(cancelRefundRequestId(id));
    expect(cancelRefundRequestId('x'.repeat(64))).toHaveLength(64);
  });
});
