import { ResponseCode } from '../../terminal/iso-reply';
import type { Outcome } from '../domain/outcome';
import { FAILURE_REASON_CODES, INVALID_KIND_CODES, isoAnswerFor } from './response-codes';

const KNOWN_CODES = new Set<string>(Object.values(ResponseCode));

describe('ISO response codes', () => {
  it('maps every failure reason to a code the terminals know, with a short ASCII cashier message', () => {
    for (const [reason, code] of Object.entries(FAILURE_REASON_CODES)) {
      expect(KNOWN_CODES.has(code)).toBe(true);
      const answer = isoAnswerFor({ kind: 'declined', reason: reason as keyof typeof FAILURE_REASON_CODES });
      expect(answer.responseCode).toBe(code);
      expect(answer.cashierMessage).toMatch(/^[\x20-\x7e]{1,25}$/);
    }
  });

  it.each<[Outcome, string]>([
    [{ kind: 'approved', receipt: { rrn: 'R', requestId: 'Q' } }, '00'],
    [{ kind: 'declined', reason: 'insufficient-balance' }, '51'],
    [{ kind: 'declined', reason: 'expired-code' }, '54'],
    [{ kind: 'declined', reason: 'user-verification-failed' }, '55'],
    [{ kind: 'declined', reason: 'risk-rejected' }, '59'],
    [{ kind: 'declined', reason: 'amount-limit' }, '61'],
    [{ kind: 'declined', reason: 'count-limit' }, '65'],
    [{ kind: 'declined', reason: 'invalid-code' }, '14'],
    [{ kind: 'cancelled', receipt: { rrn: 'R', requestId: 'Q' } }, '05'],
    [{ kind: 'invalid', problem: 'format' }, '30'],
    [{ kind: 'invalid', problem: 'merchant-mismatch' }, '58'],
    [{ kind: 'duplicate' }, '94'],
    [{ kind: 'original-not-found' }, '25'],
    [{ kind: 'in-doubt' }, '91'],
    [{ kind: 'unavailable' }, '91'],
    [{ kind: 'system-error' }, '96'],
  ])('%j -> %s', (outcome, code) => {
    expect(isoAnswerFor(outcome).responseCode).toBe(code);
  });

  it('maps every refusal before Alipay', () => {
    for (const code of Object.values(INVALID_KIND_CODES)) expect(KNOWN_CODES.has(code)).toBe(true);
  });
});
