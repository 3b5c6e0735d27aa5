import { describeMessage } from './describe';
import { IsoMessage } from './message';

describe('describeMessage', () => {
  const message = new IsoMessage('0200', {
    2: '6214123456789012',
    4: '000000012345',
    11: '000123',
    35: '6214123456789012=2512101',
    48: '281234567890123456',
    52: Buffer.from('0123456789abcdef', 'hex'),
    55: Buffer.from('9f2608a1b2', 'hex'),
    64: Buffer.from('1122334455667788', 'hex'),
  });

  it('masks PAN, track 2, payment code, PIN block, ICC data and MAC by default', () => {
    const text = describeMessage(message);
    expect(text).toContain('[621412******9012]');
    for (const secret of [
      '6214123456789012',
      '281234567890123456',
      '0123456789ABCDEF',
      '9F2608A1B2',
      '1122334455667788',
    ]) {
      expect(text.toUpperCase()).not.toContain(secret.toUpperCase());
    }
    expect(text).toContain('<masked, 18 chars>');
    expect(text).toContain('<masked, 8 bytes>');
    expect(text).toContain(' 11 System trace audit number (STAN): [000123]');
    expect(text.split('\n')[0]).toBe('MTI 0200');
  });

  it('shows everything when asked to', () => {
    const text = describeMessage(message, { unmasked: true });
    expect(text).toContain('[281234567890123456]');
    expect(text).toContain('<0123456789ABCDEF>');
  });
});
