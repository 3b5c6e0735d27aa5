import { checkPaymentCode, hashPaymentCode, maskPaymentCode } from './payment-code';
import type { ChannelName } from './payment';

const digits = (prefix: string, length: number) => prefix + '1'.repeat(length - prefix.length);

describe('payment code rules', () => {
  it.each<[string, ChannelName, string, boolean | string]>([
    ['16 digits', 'openapi', digits('28', 16), true],
    ['24 digits', 'mapi', digits('25', 24), true],
    ['15 digits', 'openapi', digits('28', 15), 'length'],
    ['25 digits', 'openapi', digits('28', 25), 'length'],
    ['16 digits on AMS', 'ams', digits('28', 16), 'length'],
    ['17 digits on AMS', 'ams', digits('28', 17), true],
    ['32 digits on AMS', 'ams', digits('30', 32), true],
    ['33 digits on AMS', 'ams', digits('30', 33), 'length'],
    ['prefix 24', 'ams', digits('24', 18), 'prefix'],
    ['prefix 31', 'openapi', digits('31', 18), 'prefix'],
    ['prefix 30', 'mapi', digits('30', 18), true],
    ['a letter', 'ams', `${digits('28', 17)}A`, 'not-digits'],
    ['spaces', 'ams', ` ${digits('28', 18)}`, 'not-digits'],
    ['empty', 'ams', '', 'not-digits'],
  ])('%s (%s)', (_name, channel, code, expected) => {
    const result = checkPaymentCode(code, channel);
    if (expected === true) expect(result).toEqual({ ok: true });
    else expect(result).toEqual({ ok: false, problem: expected });
  });

  it('masks all but the first 2 and last 4 digits, keeping the length', () => {
    expect(maskPaymentCode('281234567890123456')).toBe('28************3456');
    expect(maskPaymentCode('123456')).toBe('******');
  });

  it('hashes with the key: same code and key match, another key does not', () => {
    const key = Buffer.alloc(32, 1);
    const code = '281234567890123456';
    expect(hashPaymentCode(code, key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPaymentCode(code, key)).toBe(hashPaymentCode(code, Buffer.alloc(32, 1)));
    expect(hashPaymentCode(code, Buffer.alloc(32, 2))).not.toBe(hashPaymentCode(code, key));
    expect(hashPaymentCode(code, key)).not.toContain(code);
  });
});
