import {
  isValidRequestId,
  newPaymentRequestId,
  newRefundRequestId,
  parsePaymentRequestId,
  utcTimestamp,
} from './payment-request-id';

const parts = {
  at: new Date('2025-03-04T05:06:07.890Z'),
  terminalId: 'TERM0001',
  amountMinor: 12345,
  stan: '000042',
};

describe('payment request ids', () => {
  it('reads as time + terminal + amount + STAN + random, at most 64 letters and digits', () => {
    const id = newPaymentRequestId(parts);
    expect(id).toMatch(/^[A-Za-z0-9]{1,64}$/);
    expect(id.length).toBe(56);
    expect(parsePaymentRequestId(id)).toEqual({
      timestamp: '20250304050607',
      terminalId: 'TERM0001',
      amountMinor: 12345,
      stan: '000042',
      random: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('uses UTC to the second', () => {
    expect(utcTimestamp(new Date('2025-12-31T23:59:59.999Z'))).toBe('20251231235959');
  });

  it('keeps the id alphanumeric and fixed-width whatever field 41 carries', () => {
    const id = newPaymentRequestId({ ...parts, terminalId: 'T-1 2' });
    expect(isValidRequestId(id)).toBe(true);
    expect(parsePaymentRequestId(id)?.terminalId).toBe('00000T12');
    expect(parsePaymentRequestId(newPaymentRequestId({ ...parts, terminalId: 'T1' }))).toBeDefined();
  });

  it('gives 10,000 attempts of the same terminal, amount, STAN and second 10,000 different, non-sequential ids', () => {
    const ids = Array.from({ length: 10_000 }, () => newPaymentRequestId(parts));
    expect(new Set(ids).size).toBe(10_000);
    const tails = ids.map((id) => BigInt(`0x${parsePaymentRequestId(id)!.random}`));
    const steps = tails.slice(1).map((tail, i) => tail - tails[i]);
    // A counter would step by a constant; random tails step by wildly different amounts.
    expect(new Set(steps.map(String)).size).toBeGreaterThan(9_990);
    expect(steps.filter((step) => step === 1n).length).toBe(0);
  });

  it('refund request ids are distinct from payment ids and equally safe for every channel', () => {
    const id = newRefundRequestId(parts);
    expect(id.startsWith('RF')).toBe(true);
    expect(isValidRequestId(id)).toBe(true);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(parsePaymentRequestId(id)).toBeUndefined();
  });

  it('depends on the random source for uniqueness (a stuck source repeats)', () => {
    const stuck = (size: number) => Buffer.alloc(size, 7);
    expect(newPaymentRequestId(parts, stuck)).toBe(newPaymentRequestId(parts, stuck));
  });
});
