import {
  earlyReversalKey,
  LEGACY_MATCH_WINDOW_MS,
  namesPurchase,
  type EarlyReversal,
  type PurchaseIdentity,
} from './early-reversal';

const at = new Date('2025-01-15T10:00:00.000Z');
const reversal = (overrides: Partial<EarlyReversal> = {}): EarlyReversal => ({
  id: 'r1',
  terminalId: 'TERM0001',
  merchantId: 'MERCHANT0000001',
  originalStan: '000123',
  originalMti: '0200',
  originalLocalDateTime: '0115095958',
  reversalMti: '0420',
  reversalLocalDateTime: '0115100000',
  receivedAt: at,
  ...overrides,
});
const purchase = (overrides: Partial<PurchaseIdentity> = {}): PurchaseIdentity => ({
  id: 'p1',
  terminalId: 'TERM0001',
  merchantId: 'MERCHANT0000001',
  stan: '000123',
  localDateTime: '0115095958',
  requestMti: '0200',
  createdAt: new Date(at.getTime() + 5_000),
  ...overrides,
});

describe('namesPurchase', () => {
  it('matches the purchase field 90 describes', () => {
    expect(namesPurchase(reversal(), purchase())).toBe(true);
  });

  it.each<[string, Partial<PurchaseIdentity>]>([
    ['another terminal', { terminalId: 'TERM0002' }],
    ['another merchant', { merchantId: 'MERCHANT0000002' }],
    ['another STAN', { stan: '000124' }],
    ['another date/time', { localDateTime: '0115095959' }],
    ['another MTI', { requestMti: '0100' }],
  ])('does not match %s', (_label, overrides) => {
    expect(namesPurchase(reversal(), purchase(overrides))).toBe(false);
  });

  it('stays with the purchase it was bound to', () => {
    const bound = reversal({ matchedPaymentId: 'p1' });
    expect(namesPurchase(bound, purchase())).toBe(true);
    expect(namesPurchase(bound, purchase({ id: 'p2' }))).toBe(false);
  });

  it('matches a legacy reversal (STAN only) within its window', () => {
    const legacy = reversal({ originalLocalDateTime: undefined, originalMti: undefined });
    expect(namesPurchase(legacy, purchase({ localDateTime: '0101000000' }))).toBe(true);
    const muchLater = new Date(at.getTime() + LEGACY_MATCH_WINDOW_MS + 1);
    expect(namesPurchase(legacy, purchase({ createdAt: muchLater }))).toBe(false);
  });
});

describe('earlyReversalKey', () => {
  it('is the same for a repeat and differs for another legacy reversal of the same STAN', () => {
    expect(earlyReversalKey(reversal())).toBe(
      earlyReversalKey(reversal({ reversalMti: '0420', receivedAt: new Date() })),
    );
    const legacy = reversal({ originalLocalDateTime: undefined });
    expect(earlyReversalKey(legacy)).not.toBe(
      earlyReversalKey({ ...legacy, reversalLocalDateTime: '0116100000' }),
    );
    expect(earlyReversalKey(reversal())).not.toBe(earlyReversalKey(legacy));
  });
});
