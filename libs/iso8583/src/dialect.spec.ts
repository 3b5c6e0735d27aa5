import { asciiDialect, createDialect, nacBcdDialect, type Dialect } from './dialect';
import { encoding } from './encoding';
import { FrameTooLargeError, SpecError } from './errors';
import { swapTpdu } from './framing/tpdu';
import { retailMac, verifyMac } from './mac';
import { IsoMessage } from './message';
import { prefix } from './prefix';
import { caught } from '../test/caught';

const purchase = (): IsoMessage =>
  new IsoMessage('0200', {
    3: '000000',
    4: '000000012345',
    11: '000123',
    12: '143015',
    13: '0612',
    22: '031',
    25: '00',
    41: 'TERM0001',
    42: 'MERCHANT0000001',
    48: '281234567890123456',
    49: '156',
  });

const payloadOf = (frame: Buffer): Buffer => frame.subarray(2);

describe.each<[string, Dialect]>([
  ['ascii', asciiDialect],
  ['nac-bcd', nacBcdDialect],
])('%s dialect', (_name, dialect) => {
  describe('encodeFrame', () => {
    it('writes a length header that counts every byte after it', () => {
      const frame = dialect.encodeFrame(purchase());
      expect(frame.readUInt16BE(0)).toBe(frame.length - 2);
    });

    it('round-trips a purchase', () => {
      const decoded = dialect.decodeFrame(payloadOf(dialect.encodeFrame(purchase())));
      expect(decoded.message.mti).toBe('0200');
      expect(decoded.message.fieldNumbers()).toEqual(purchase().fieldNumbers());
      for (const f of purchase().fieldNumbers()) expect(decoded.message.get(f)).toBe(purchase().get(f));
      expect(decoded.macInput).toBeUndefined();
    });

    it('emits the secondary bitmap only when a field above 64 is present', () => {
      const bodyAt = dialect.name === 'nac-bcd' ? 2 + 5 : 2;
      const mtiBytes = dialect.name === 'nac-bcd' ? 2 : 4;
      const without = dialect.encodeFrame(purchase());
      expect(without[bodyAt + mtiBytes] & 0x80).toBe(0);
      const withSecondary = dialect.encodeFrame(purchase().set(70, '301'));
      expect(withSecondary[bodyAt + mtiBytes] & 0x80).toBe(0x80);
      // 70 is bit 6 of the secondary bitmap's first byte.
      expect(withSecondary[bodyAt + mtiBytes + 8]).toBe(0x04);
    });

    it.each([
      ['a fixed numeric field of the wrong length', 4, '12345', 'BAD_VALUE'],
      ['a non-digit in a numeric field', 11, '00012A', 'BAD_VALUE'],
      ['a control character in an ans field', 41, 'TERM\n001', 'BAD_VALUE'],
      ['a variable field over its maximum', 44, 'X'.repeat(26), 'BAD_LENGTH'],
      ['text in a binary field', 52, '0011223344556677', 'BAD_VALUE'],
      ['a field the dialect does not define', 65, '1', 'UNKNOWN_FIELD'],
    ])('rejects %s', (_what, field, value, code) => {
      const m = purchase().set(field, value);
      const error = caught(() => dialect.encodeFrame(m));
      expect(error.code).toBe(code);
      expect(error.field).toBe(field);
      expect(error.offset).toBeGreaterThan(0);
    });

    it('rejects a binary field of the wrong size and bytes in a text field', () => {
      expect(caught(() => dialect.encodeFrame(purchase().set(52, Buffer.alloc(7)))).code).toBe('BAD_VALUE');
      expect(caught(() => dialect.encodeFrame(purchase().set(48, Buffer.from('28'))))).toMatchObject({
        code: 'BAD_VALUE',
        field: 48,
      });
    });

    it('rejects a bad MTI and a message without fields', () => {
      expect(caught(() => dialect.encodeFrame(new IsoMessage('020', { 11: '000001' }))).code).toBe('BAD_MTI');
      expect(caught(() => dialect.encodeFrame(new IsoMessage('02A0', { 11: '000001' }))).code).toBe(
        'BAD_MTI',
      );
      expect(caught(() => dialect.encodeFrame(new IsoMessage('0800'))).code).toBe('BAD_BITMAP');
    });

    it('keeps values out of error texts', () => {
      const error = caught(() => dialect.encodeFrame(purchase().set(48, '28123456789012345\u00e9')));
      expect(error.message).not.toContain('28123456789012345');
      expect(error.message).toContain('field 48');
    });

    it('computes the MAC into field 64 without touching the message, and verifies it from macInput', () => {
      const key = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
      const message = purchase();
      const frame = dialect.encodeFrame(message, { macKey: key });
      expect(message.has(64)).toBe(false);
      const decoded = dialect.decodeFrame(payloadOf(frame));
      const mac = decoded.message.getBinary(64)!;
      expect(decoded.macInput).toBeDefined();
      expect(verifyMac(key, decoded.macInput!, mac)).toBe(true);
      // The MAC covers MTI..last field without the MAC bytes: recompute from the frame by hand.
      const bodyAt = dialect.name === 'nac-bcd' ? 7 : 2;
      expect(retailMac(key, frame.subarray(bodyAt, frame.length - 8))).toEqual(mac);
    });

    it('leaves the MAC bytes out of macInput when fields above 64 follow it', () => {
      const key = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
      const frame = dialect.encodeFrame(purchase().set(70, '301'), { macKey: key });
      const decoded = dialect.decodeFrame(payloadOf(frame));
      expect(decoded.macInput!.length).toBe(frame.length - 2 - (dialect.name === 'nac-bcd' ? 5 : 0) - 8);
      expect(verifyMac(key, decoded.macInput!, decoded.message.getBinary(64)!)).toBe(true);
    });
  });

  describe('decodeFrame', () => {
    const valid = (): Buffer => Buffer.from(payloadOf(dialect.encodeFrame(purchase())));
    const body = dialect.name === 'nac-bcd' ? 5 : 0;
    const bitmapAt = body + (dialect.name === 'nac-bcd' ? 2 : 4);

    it('reports truncation at every cut with the offset where data ran out', () => {
      const payload = valid();
      for (let cut = 0; cut < payload.length; cut++) {
        const error = caught(() => dialect.decodeFrame(payload.subarray(0, cut)));
        expect(error.code).toBe('TRUNCATED');
        expect(error.offset).toBeLessThanOrEqual(cut);
      }
    });

    it('reports trailing bytes', () => {
      const error = caught(() => dialect.decodeFrame(Buffer.concat([valid(), Buffer.from([0x30])])));
      expect(error).toMatchObject({
        code: 'TRAILING_BYTES',
        offset: valid().length,
        mti: '0200',
        stan: '000123',
        terminalId: 'TERM0001',
      });
    });

    it('reports a bitmap bit for a field the dialect does not define', () => {
      const payload = valid();
      payload[bitmapAt] = payload[bitmapAt] | 0x80;
      // Secondary bitmap now read from the field data; make it announce field 65.
      payload[bitmapAt + 8] = 0x80;
      expect(caught(() => dialect.decodeFrame(payload))).toMatchObject({ code: 'BAD_BITMAP', field: 65 });
    });

    it('reports an empty bitmap', () => {
      const payload = valid();
      payload.fill(0, bitmapAt, bitmapAt + 8);
      expect(caught(() => dialect.decodeFrame(payload)).code).toBe('BAD_BITMAP');
    });

    it('reports a non-digit MTI', () => {
      const payload = valid();
      payload[body] = dialect.name === 'nac-bcd' ? 0x0a : 0x41;
      expect(caught(() => dialect.decodeFrame(payload))).toMatchObject({ code: 'BAD_MTI', offset: body });
    });

    it('reports a non-digit in a numeric field with the field, offset, MTI and the STAN read so far', () => {
      const payload = valid();
      const at = bitmapAt + 8 + (dialect.name === 'nac-bcd' ? 3 + 6 : 6 + 12);
      payload[at] = dialect.name === 'nac-bcd' ? 0xab : 0x41; // first byte of field 11
      expect(caught(() => dialect.decodeFrame(payload))).toMatchObject({
        code: 'BAD_VALUE',
        field: 11,
        offset: at,
        mti: '0200',
      });
    });

    it('reports a length prefix above the maximum and a non-decimal prefix', () => {
      const m = new IsoMessage('0210', { 11: '000123', 44: 'ALIPAY' });
      const payload = Buffer.from(payloadOf(dialect.encodeFrame(m)));
      const prefixAt = bitmapAt + 8 + (dialect.name === 'nac-bcd' ? 3 : 6);
      if (dialect.name === 'nac-bcd') payload[prefixAt] = 0x26;
      else payload.write('26', prefixAt, 'latin1');
      expect(caught(() => dialect.decodeFrame(payload))).toMatchObject({
        code: 'BAD_LENGTH',
        field: 44,
        offset: prefixAt,
        stan: '000123',
      });
      if (dialect.name === 'nac-bcd') payload[prefixAt] = 0x0a;
      else payload.write('0:', prefixAt, 'latin1');
      expect(caught(() => dialect.decodeFrame(payload))).toMatchObject({ code: 'BAD_LENGTH', field: 44 });
    });

    it('copies binary values out of the payload', () => {
      const m = purchase().set(52, Buffer.from('0123456789abcdef', 'hex'));
      const payload = Buffer.from(payloadOf(dialect.encodeFrame(m)));
      const decoded = dialect.decodeFrame(payload);
      payload.fill(0);
      expect(decoded.message.getBinary(52)).toEqual(Buffer.from('0123456789abcdef', 'hex'));
    });
  });
});

describe('nac-bcd framing', () => {
  it('defaults the TPDU to 60 0000 0000 and returns the received TPDU on decode', () => {
    const frame = nacBcdDialect.encodeFrame(purchase());
    expect(frame.subarray(2, 7).toString('hex')).toBe('6000000000');
    const tpdu = Buffer.from('6000120345', 'hex');
    const decoded = nacBcdDialect.decodeFrame(nacBcdDialect.encodeFrame(purchase(), { tpdu }).subarray(2));
    expect(decoded.tpdu).toEqual(tpdu);
    expect(swapTpdu(decoded.tpdu!).toString('hex')).toBe('6003450012');
  });

  it('rejects a TPDU that is not 0x60 or not 5 bytes, on both sides', () => {
    expect(
      caught(() => nacBcdDialect.encodeFrame(purchase(), { tpdu: Buffer.from('6100000000', 'hex') })).code,
    ).toBe('BAD_TPDU');
    expect(
      caught(() => nacBcdDialect.encodeFrame(purchase(), { tpdu: Buffer.from('60000000', 'hex') })).code,
    ).toBe('BAD_TPDU');
    const payload = Buffer.from(nacBcdDialect.encodeFrame(purchase()).subarray(2));
    payload[0] = 0x61;
    expect(caught(() => nacBcdDialect.decodeFrame(payload))).toMatchObject({ code: 'BAD_TPDU', offset: 0 });
  });

  it('the ascii dialect refuses a TPDU instead of dropping it', () => {
    expect(
      caught(() => asciiDialect.encodeFrame(purchase(), { tpdu: Buffer.from('6000000000', 'hex') })).code,
    ).toBe('BAD_TPDU');
  });
});

describe('frame size', () => {
  it('rejects a frame the 2-byte header cannot announce', () => {
    const wide = {
      description: 'wide',
      type: 'ans' as const,
      length: 999,
      prefix: prefix.ASCII.LLL,
      encoding: encoding.ASCII,
    };
    const overrides = Object.fromEntries(
      Array.from({ length: 70 }, (_, i) => [i + 2, wide]).filter(([f]) => f !== 65),
    );
    const dialect = createDialect('ascii', overrides);
    const m = new IsoMessage('0200');
    for (let f = 2; f <= 71; f++) if (f !== 65) m.set(f, 'X'.repeat(999));
    const error = caught(() => dialect.encodeFrame(m));
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error.code).toBe('FRAME_TOO_LARGE');
  });
});

describe('createDialect overrides', () => {
  it('merges per-terminal field specs over the base spec', () => {
    // A CUP-style terminal sends 60 as LLL BCD numeric.
    const cup = createDialect('nac-bcd', {
      60: {
        description: 'Reserved private (CUP 60.1-60.3)',
        type: 'n',
        length: 17,
        prefix: prefix.BCD.LLL,
        encoding: encoding.BCD,
        padding: 'right',
      },
    });
    const m = purchase().set(60, '22000001003');
    const frame = cup.encodeFrame(m);
    expect(frame.subarray(frame.length - 8).toString('hex')).toBe('0011220000010030');
    expect(cup.decodeFrame(frame.subarray(2)).message.get(60)).toBe('22000001003');
    expect(nacBcdDialect.spec.fields[60]!.type).toBe('ans');
  });

  it('fails at configuration time on an impossible override', () => {
    expect(() =>
      createDialect('ascii', {
        48: { description: 'x', type: 'ans', length: 999, prefix: prefix.ASCII.LL, encoding: encoding.ASCII },
      }),
    ).toThrow(SpecError);
  });
});
