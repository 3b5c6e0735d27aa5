import { readAsciiLength, writeAsciiLength } from './ascii';
import { readBcdLength, writeBcdLength } from './bcd';

describe('length prefixes', () => {
  it.each([
    [2, 7, '3037'],
    [2, 99, '3939'],
    [3, 5, '303035'],
    [3, 999, '393939'],
  ])('ASCII %i digits: %i <-> %s', (digits, length, hex) => {
    const buf = Buffer.alloc(3);
    const end = writeAsciiLength(buf, 0, length, digits);
    expect(buf.subarray(0, end).toString('hex')).toBe(hex);
    expect(readAsciiLength(Buffer.from(hex, 'hex'), 0, digits)).toBe(length);
  });

  it.each([
    [2, 7, '07'],
    [2, 99, '99'],
    [3, 104, '0104'],
    [3, 999, '0999'],
  ])('BCD %i digits: %i <-> %s', (digits, length, hex) => {
    const buf = Buffer.alloc(2);
    const end = writeBcdLength(buf, 0, length, digits);
    expect(buf.subarray(0, end).toString('hex')).toBe(hex);
    expect(readBcdLength(Buffer.from(hex, 'hex'), 0, digits)).toBe(length);
  });

  it('reports a non-decimal prefix as -1', () => {
    expect(readAsciiLength(Buffer.from('3a31', 'hex'), 0, 2)).toBe(-1);
    expect(readAsciiLength(Buffer.from('2f31', 'hex'), 0, 2)).toBe(-1);
    expect(readBcdLength(Buffer.from('1a', 'hex'), 0, 2)).toBe(-1);
    expect(readBcdLength(Buffer.from('00f1', 'hex'), 0, 3)).toBe(-1);
  });
});
