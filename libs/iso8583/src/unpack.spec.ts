import { createDialect, type DialectName } from './dialect';
import { encoding } from './encoding';
import type { FieldType } from './field/field-spec';
import { IsoMessage } from './message';
import { prefix } from './prefix';
import { caught } from '../test/caught';

/*
 * The decoder checks text four bytes at a time and spells BCD a byte at a time; these tests put a
 * field under test last in the frame (so its bytes are the payload's last ones), after a filler field
 * whose length moves the field across every word alignment, and spoil each byte in turn.
 */

const TEST_FIELD = 63;
const FILLER_FIELD = 48;
const MAX_LENGTH = 11;

interface Case {
  readonly dialect: DialectName;
  readonly type: Exclude<FieldType, 'b'>;
  readonly bcd: boolean;
  /** Characters the value is made of, all allowed. */
  readonly good: string;
  /** Bytes that must be refused at any place in the value (text fields). */
  readonly bad: readonly number[];
}

const cases: Case[] = [
  { dialect: 'ascii', type: 'n', bcd: false, good: '0123456789', bad: [0x2f, 0x3a, 0x41, 0x00, 0xb0, 0xff] },
  {
    dialect: 'ascii',
    type: 'an',
    bcd: false,
    good: '09AZaz5mQ',
    bad: [0x20, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7f, 0xc1, 0xe1],
  },
  { dialect: 'ascii', type: 'ans', bcd: false, good: ' ~!0aZ}', bad: [0x00, 0x1f, 0x7f, 0x80, 0xa0, 0xff] },
  { dialect: 'ascii', type: 'z', bcd: false, good: '12=4D90', bad: [0x3c, 0x3e, 0x43, 0x64, 0x20] },
  { dialect: 'nac-bcd', type: 'an', bcd: false, good: 'A1b2C3', bad: [0x20, 0x2d, 0xc1] },
  { dialect: 'nac-bcd', type: 'ans', bcd: false, good: 'a b~', bad: [0x1f, 0x7f, 0x80] },
  { dialect: 'nac-bcd', type: 'n', bcd: true, good: '9081726354', bad: [] },
  { dialect: 'nac-bcd', type: 'z', bcd: true, good: '4761=2512', bad: [] },
];

const valueOf = (good: string, length: number, shift: number): string =>
  Array.from({ length }, (_, i) => good[(i + shift) % good.length]).join('');

describe.each(cases)(
  'decoding $dialect $type text (bcd: $bcd)',
  ({ dialect: name, type, bcd, good, bad }) => {
    const lll = name === 'ascii' ? prefix.ASCII.LLL : prefix.BCD.LLL;
    const dialect = createDialect(name, {
      [FILLER_FIELD]: {
        description: 'filler',
        type: 'ans',
        length: 99,
        prefix: lll,
        encoding: encoding.ASCII,
      },
      [TEST_FIELD]: {
        description: 'under test',
        type,
        length: 99,
        prefix: lll,
        encoding: bcd ? encoding.BCD : encoding.ASCII,
      },
    });
    const payloadFor = (filler: number, value: string): Buffer =>
      Buffer.from(
        dialect
          .encodeFrame(
            new IsoMessage('0200', { 11: '000123', [FILLER_FIELD]: 'x'.repeat(filler), [TEST_FIELD]: value }),
          )
          .subarray(2),
      );

    it('decodes every length at every alignment', () => {
      for (let filler = 0; filler < 4; filler++)
        for (let length = 0; length <= MAX_LENGTH; length++) {
          const value = valueOf(good, length, filler);
          const decoded = dialect.decodeFrame(payloadFor(filler, value));
          // Track 2 reads its separator as '=' whichever way it was written.
          expect(decoded.message.get(TEST_FIELD)).toBe(bcd ? value.replace(/D/g, '=') : value);
          expect(decoded.message.get(11)).toBe('000123');
        }
    });

    if (!bcd) {
      it('refuses a disallowed byte at every place of the value, naming the field and its offset', () => {
        for (let filler = 0; filler < 4; filler++)
          for (let length = 1; length <= MAX_LENGTH; length++) {
            const payload = payloadFor(filler, valueOf(good, length, filler));
            const start = payload.length - length;
            for (let at = start; at < payload.length; at++)
              for (const b of bad) {
                const spoiled = Buffer.from(payload);
                spoiled[at] = b;
                expect(caught(() => dialect.decodeFrame(spoiled))).toMatchObject({
                  code: 'BAD_VALUE',
                  field: TEST_FIELD,
                  offset: start,
                  stan: '000123',
                });
              }
          }
      });
    } else {
      it('refuses a nibble that is not a digit, and a filler other than 0 or F, at every place', () => {
        for (let filler = 0; filler < 2; filler++)
          for (let length = 1; length <= MAX_LENGTH; length++) {
            const payload = payloadFor(filler, valueOf(good, length, filler));
            const bytes = (length + 1) >> 1;
            const start = payload.length - bytes;
            for (let at = start; at < payload.length; at++)
              for (const high of [true, false]) {
                const fillerNibble = length % 2 === 1 && at === start && high;
                const spoiled = Buffer.from(payload);
                // 0xB and 0xC are never digits nor the track 2 separator (0xD) nor a filler (0 or F).
                spoiled[at] = high ? (spoiled[at] & 0x0f) | 0xb0 : (spoiled[at] & 0xf0) | 0x0c;
                expect(caught(() => dialect.decodeFrame(spoiled))).toMatchObject({
                  code: 'BAD_VALUE',
                  field: TEST_FIELD,
                  offset: start,
                });
                if (fillerNibble) {
                  spoiled[at] = (payload[at] & 0x0f) | 0xf0;
                  expect(dialect.decodeFrame(spoiled).message.get(TEST_FIELD)).toBe(
                    dialect.decodeFrame(payload).message.get(TEST_FIELD),
                  );
                }
              }
          }
      });
    }
  },
);

describe('decoding a payload the 2-byte header cannot announce', () => {
  it('is refused as too large', () => {
    const dialect = createDialect('ascii');
    expect(caught(() => dialect.decodeFrame(Buffer.alloc(0x10000, 0x30)))).toMatchObject({
      code: 'FRAME_TOO_LARGE',
    });
  });
});
