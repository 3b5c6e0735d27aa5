import { readBcd, writeBcd } from './bcd';

describe('BCD encoding', () => {
  const cases: Array<{ value: string; padLeft: boolean; track2: boolean; hex: string }> = [
    { value: '123456', padLeft: true, track2: false, hex: '123456' },
    { value: '031', padLeft: true, track2: false, hex: '0031' },
    { value: '031', padLeft: false, track2: false, hex: '0310' },
    { value: '7', padLeft: true, track2: false, hex: '07' },
    { value: '', padLeft: true, track2: false, hex: '' },
    { value: '4761=2512', padLeft: false, track2: true, hex: '4761d25120' },
    { value: '4761D2512', padLeft: true, track2: true, hex: '04761d2512' },
  ];

  it.each(cases)('writes $value (padLeft=$padLeft) as $hex', ({ value, padLeft, track2, hex }) => {
    const target = Buffer.alloc(8, 0xee);
    const end = writeBcd(target, 1, value, padLeft, track2);
    expect(target.subarray(1, end).toString('hex')).toBe(hex);
  });

  it.each(cases)('reads $hex back (separator reads as "=")', ({ value, padLeft, track2, hex }) => {
    expect(readBcd(Buffer.from(hex, 'hex'), 0, value.length, padLeft, track2)).toBe(value.replace('D', '='));
  });

  it('rejects non-digits when writing', () => {
    expect(writeBcd(Buffer.alloc(4), 0, '12a4', true, false)).toBe(-1);
    expect(writeBcd(Buffer.alloc(4), 0, '12=4', true, false)).toBe(-1);
    expect(writeBcd(Buffer.alloc(4), 0, '12?4', true, true)).toBe(-1);
  });

  it('rejects nibbles above 9 and odd filler nibbles when reading, but accepts an F filler', () => {
    expect(readBcd(Buffer.from('1a', 'hex'), 0, 2, true, false)).toBeUndefined();
    expect(readBcd(Buffer.from('4d', 'hex'), 0, 2, true, false)).toBeUndefined();
    expect(readBcd(Buffer.from('51', 'hex'), 0, 1, true, false)).toBeUndefined();
    expect(readBcd(Buffer.from('f1', 'hex'), 0, 1, true, false)).toBe('1');
    expect(readBcd(Buffer.from('1f', 'hex'), 0, 1, false, false)).toBe('1');
  });
});
