import { asciiDialect, createTpdu, nacBcdDialect, verifyMac, type Dialect } from '../src';
import { fixtureMessage, fixtureValue, loadFixtures } from './fixtures';

const dialects: Record<string, Dialect> = { ascii: asciiDialect, 'nac-bcd': nacBcdDialect };
const fixtures = loadFixtures();

describe('golden frames', () => {
  it('cover both dialects and the five message shapes', () => {
    expect(fixtures.map((f) => f.file)).toHaveLength(10);
    expect(new Set(fixtures.map((f) => f.dialect))).toEqual(new Set(['ascii', 'nac-bcd']));
  });

  describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const dialect = dialects[fixture.dialect];
    const options = {
      ...(fixture.tpdu !== undefined ? { tpdu: Buffer.from(fixture.tpdu, 'hex') } : {}),
      ...(fixture.macKey !== undefined ? { macKey: Buffer.from(fixture.macKey, 'hex') } : {}),
    };

    it('encodes to the golden bytes', () => {
      expect(dialect.encodeFrame(fixtureMessage(fixture), options).toString('hex')).toBe(fixture.hex);
    });

    it('decodes the golden bytes to the fixture values', () => {
      const frame = Buffer.from(fixture.hex, 'hex');
      expect(frame.readUInt16BE(0)).toBe(frame.length - 2);
      const decoded = dialect.decodeFrame(frame.subarray(2));
      const expected = Object.keys(fixture.fields).map(Number);
      if (fixture.macKey !== undefined) expected.push(64);
      expect(decoded.message.mti).toBe(fixture.mti);
      expect(decoded.message.fieldNumbers()).toEqual(expected.sort((a, b) => a - b));
      for (const [key, value] of Object.entries(fixture.fields)) {
        const field = Number(key);
        const want = fixtureValue(value);
        expect([
          field,
          typeof want === 'string' ? decoded.message.get(field) : decoded.message.getBinary(field),
        ]).toEqual([field, want]);
      }
      if (fixture.tpdu !== undefined) expect(decoded.tpdu!.toString('hex')).toBe(fixture.tpdu);
      if (fixture.macKey !== undefined) {
        expect(
          verifyMac(Buffer.from(fixture.macKey, 'hex'), decoded.macInput!, decoded.message.getBinary(64)!),
        ).toBe(true);
      }
    });
  });

  it('the nac-bcd purchase reads as documented, byte by byte', () => {
    const hex = loadFixtures().find((f) => f.file === 'nac-bcd-0200-purchase.json')!.hex;
    const at = (from: number, bytes: number): string => hex.slice(from * 2, (from + bytes) * 2);
    expect(at(0, 2)).toBe('0051'); // length 81: TPDU + body
    expect(at(2, 5)).toBe(createTpdu(0x0012, 0x0345).toString('hex'));
    expect(at(7, 2)).toBe('0200'); // MTI, BCD
    expect(at(9, 8)).toBe('3038048000c18000'); // fields 3 4 11 12 13 22 25 41 42 48 49
    expect(at(17, 3)).toBe('000000'); // 3, n6 BCD
    expect(at(20, 6)).toBe('000000012345'); // 4, n12 BCD
    expect(at(26, 3)).toBe('000123'); // 11, STAN
    expect(at(34, 2)).toBe('0031'); // 22, n3: filler nibble first
  });
});
