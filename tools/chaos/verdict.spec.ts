import type { TerminalTransaction } from './chaos-terminal';
import { judge, type LedgerEntry, type SwitchPaymentRow } from './verdict';

const tx = (stan: string, over: Partial<TerminalTransaction> = {}): TerminalTransaction => ({
  terminalId: 'TERM0001',
  stan,
  amountMinor: 100,
  behaviour: '000',
  printed: false,
  reversed: false,
  reversalAttempts: 0,
  ...over,
});
const row = (stan: string, state: string): SwitchPaymentRow => ({
  terminalId: 'TERM0001',
  stan,
  paymentRequestId: `P${stan}`,
  state,
  amountMinor: 100,
});
const entry = (status: LedgerEntry['status'], refundedMinor = 0): LedgerEntry => ({
  status,
  amountMinor: 100,
  refundedMinor,
});

describe('the chaos verdict', () => {
  it('accepts printed approvals paid at Alipay and reversed purchases that took no money', () => {
    const verdict = judge(
      [
        tx('1', { printed: true, responseCode: '00' }),
        tx('2', { reversed: true, reversalAttempts: 2 }),
        tx('3', { responseCode: '51' }),
        tx('4', { reversed: true }),
      ],
      [row('1', 'APPROVED'), row('2', 'CANCELLED'), row('3', 'DECLINED')],
      new Map([
        ['P1', entry('SUCCESS')],
        ['P2', entry('REFUNDED', 100)],
        ['P3', entry('FAILED')],
      ]),
      [],
    );
    expect(verdict.mismatches).toEqual([]);
    expect(verdict.counts).toMatchObject({
      transactions: 4,
      'printed 00': 1,
      'reversed (no answer)': 2,
      'never stored': 1,
      'reversal messages': 2,
    });
  });

  it('names every kind of disagreement', () => {
    const verdict = judge(
      [
        tx('1', { printed: true, responseCode: '00' }), // cancelled at Alipay after printing
        tx('2', { reversed: true }), // reversed, but Alipay kept the money
        tx('3', { responseCode: '91' }), // still being cancelled
        tx('4', { printed: true, responseCode: '00' }), // printed, never stored
        tx('5', { printed: true, responseCode: '00', retransmitted: true }), // the 0201 got the 00; cancelled later
      ],
      [
        row('1', 'CANCELLED'),
        row('2', 'APPROVED'),
        row('3', 'CANCEL_REQUESTED'),
        row('5', 'CANCELLED'),
        { ...row('9', 'APPROVED'), terminalId: 'TERM0002' },
      ],
      new Map([
        ['P1', entry('CANCELLED')],
        ['P2', entry('SUCCESS')],
        ['P3', entry('PROCESSING')],
        ['P5', entry('CANCELLED')],
        ['P9', entry('SUCCESS')],
        ['P8', entry('REFUNDED', 40)],
      ]),
      [
        { paymentRequestId: 'P2', reason: 'retries-exhausted' },
        { paymentRequestId: 'P3', reason: 'dead-letter' },
      ],
    );
    const text = verdict.mismatches.join('\n');
    expect(text).toMatch(/STAN 1 .*printed, but Alipay has CANCELLED/);
    expect(text).toMatch(/STAN 1 .*printed, but the switch ended CANCELLED/);
    expect(text).toMatch(/STAN 2 .*not printed, but Alipay holds the money/);
    expect(text).toMatch(/STAN 3 .*unfinished at the switch \(CANCEL_REQUESTED\)/);
    expect(text).toMatch(/STAN 3 .*unfinished at Alipay/);
    expect(text).toMatch(/STAN 4 .*printed, but the switch has no payment/);
    expect(text).toMatch(/STAN 5 \(000, printed 00 after a 0201\): printed, but Alipay has CANCELLED/);
    expect(text).toMatch(/P9 \(SUCCESS\) belongs to no terminal purchase/);
    expect(text).toMatch(/P8 \(REFUNDED\) belongs to no terminal purchase/);
    expect(text).toMatch(
      /manual intervention P3 \(dead-letter\): switch CANCEL_REQUESTED, Alipay PROCESSING/,
    );
    expect(text).not.toMatch(/manual intervention P2/);
  });
});
