import type { ChannelOutcome, FailureReason } from '@switch/alipay';
import { cancelRefundRequestId, judgeCancel, judgeRefund, judgeStatusAfterCancel } from './cancel-verdict';

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
    ['closed', failure('closed', 'ORDER_IS_CLOSED'), 'verify'],
    // Generic status errors the mappers read as "closed" confirm nothing by themselves.
    ['ACQ.TRADE_STATUS_ERROR', failure('closed', 'ACQ.TRADE_STATUS_ERROR'), 'verify'],
    ['ACQ.REASON_TRADE_STATUS_INVALID', failure('closed', 'ACQ.REASON_TRADE_STATUS_INVALID'), 'verify'],
    ['MAPI TRADE_STATUS_ERROR', failure('closed', 'TRADE_STATUS_ERROR'), 'verify'],
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

describe('judgeStatusAfterCancel (the inquiry after "closed" or "no such payment")', () => {
  it.each<[string, ChannelOutcome, boolean, string]>([
    ['paid: cancel again', { kind: 'success', raw }, true, 'retry'],
    ['still processing', { kind: 'processing', raw }, true, 'retry'],
    ['no answer', unknown, true, 'retry'],
    ['closed', failure('closed', 'TRADE_CLOSED'), true, 'confirmed'],
    ['the payment failed', failure('declined', 'PAYMENT_FAIL'), true, 'confirmed'],
    ['not found after the floor', failure('not-found', 'ORDER_NOT_EXIST'), true, 'confirmed'],
    ['not found before the floor', failure('not-found', 'ORDER_NOT_EXIST'), false, 'retry'],
    ['no status in the answer', failure('invalid-request', 'PARAM_ILLEGAL'), true, 'retry'],
  ])('%s', (_label, outcome, absentIsFinal, verdict) => {
    expect(judgeStatusAfterCancel(outcome, absentIsFinal).kind).toBe(verdict);
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
