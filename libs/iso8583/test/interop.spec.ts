import fc from 'fast-check';
import { asciiDialect, asciiSpec, IsoMessage, type FieldValue } from '../src';
import { charsetOf } from '../src/field/charset';
import { fixtureMessage, loadFixtures } from './fixtures';
import {
  PACKAGE_FORMATS,
  packageCheckType,
  packWithPackage,
  toPackageValue,
  unpackWithPackage,
  withoutEmptySecondaryBitmap,
} from './iso8583-package';

type Entries = ReadonlyArray<readonly [number, FieldValue]>;
const bin = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** Every field type the switch uses: n, an, ans, b, z; fixed, LL, LLL; with and without a secondary bitmap. */
const corpus: Array<{ name: string; mti: string; fields: Entries }> = [
  {
    name: '0200 payment-code purchase',
    mti: '0200',
    fields: [
      [3, '000000'],
      [4, '000000012345'],
      [11, '000123'],
      [12, '143015'],
      [13, '0612'],
      [22, '031'],
      [25, '00'],
      [41, 'TERM0001'],
      [42, 'MERCHANT0000001'],
      [48, '281234567890123456'],
      [49, '156'],
    ],
  },
  {
    name: '0200 card purchase with PIN, ICC data and MAC',
    mti: '0200',
    fields: [
      [2, '6214123456789012345'],
      [3, '003000'],
      [4, '000000000100'],
      [7, '0612143015'],
      [11, '000126'],
      [12, '143015'],
      [13, '0612'],
      [22, '051'],
      [24, '012'],
      [25, '00'],
      [35, '6214123456789012345=25121010000000'],
      [41, 'TERM0001'],
      [42, 'MERCHANT0000001'],
      [49, '156'],
      [52, bin('0123456789abcdef')],
      [55, Buffer.from('9F2608A1B2C3D4E5F6', 'latin1')],
      [60, '22000001003'],
      [64, bin('a1b2c3d4e5f60718')],
    ],
  },
  {
    name: '0210 approval',
    mti: '0210',
    fields: [
      [3, '000000'],
      [4, '000000012345'],
      [7, '0612143016'],
      [11, '000123'],
      [12, '143015'],
      [13, '0612'],
      [24, '012'],
      [37, '061214301500'],
      [38, 'A1B2C3'],
      [39, '00'],
      [41, 'TERM0001'],
      [42, 'MERCHANT0000001'],
      [44, 'ALIPAY'],
      [48, 'buyer=2088****1234'],
      [49, '156'],
      [62, '2024061222001400001234567890'],
      [63, 'ALIPAY+ CN; thank you!'],
      [64, bin('0102030405060708')],
    ],
  },
  {
    name: '0800 echo',
    mti: '0800',
    fields: [
      [7, '0612143015'],
      [11, '000124'],
      [24, '012'],
      [41, 'TERM0001'],
      [70, '301'],
    ],
  },
  {
    name: '0400 reversal',
    mti: '0400',
    fields: [
      [3, '000000'],
      [4, '000000012345'],
      [7, '0612143115'],
      [11, '000125'],
      [22, '031'],
      [25, '00'],
      [41, 'TERM0001'],
      [42, 'MERCHANT0000001'],
      [49, '156'],
      [90, '020000012306121430150000000000000000000000'],
    ],
  },
  {
    name: '0810 sign-on answer with keys in 62',
    mti: '0810',
    fields: [
      [7, '0612143015'],
      [11, '000127'],
      [39, '00'],
      [41, 'TERM0001'],
      [62, '0123456789ABCDEF0123456789ABCDEF'],
      [70, '001'],
    ],
  },
];

const INTEROP_FIELDS = [
  2, 3, 4, 7, 11, 12, 13, 22, 24, 25, 35, 37, 38, 39, 41, 42, 44, 48, 49, 52, 55, 60, 62, 63, 64, 70, 90,
];

function expectSameValues(ours: IsoMessage, theirs: Record<string, string>, fields: Entries): void {
  expect(theirs['0']).toBe(ours.mti);
  expect(
    Object.keys(theirs)
      .filter((k) => k !== '0')
      .map(Number)
      .sort((a, b) => a - b),
  ).toEqual(ours.fieldNumbers());
  for (const [field, value] of fields) {
    const ourValue = typeof value === 'string' ? ours.get(field)! : ours.getBinary(field)!;
    expect([field, theirs[field]]).toEqual([field, toPackageValue(field, ourValue)]);
  }
}

describe('interop with the iso_8583 package (ascii dialect)', () => {
  it('the corpus covers every field the switch exchanges', () => {
    const covered = new Set(corpus.flatMap((m) => m.fields.map(([f]) => f)));
    expect(INTEROP_FIELDS.filter((f) => !covered.has(f))).toEqual([]);
  });

  describe.each(corpus.map((m) => [m.name, m] as const))('%s', (_name, { mti, fields }) => {
    it('what iso_8583 packs, we decode to the same values', () => {
      const theirs = packWithPackage(mti, fields);
      expect(theirs.readUInt16BE(0)).toBe(theirs.length - 2);
      const decoded = asciiDialect.decodeFrame(theirs.subarray(2)).message;
      expectSameValues(
        decoded,
        Object.fromEntries([['0', mti], ...fields.map(([f, v]) => [String(f), toPackageValue(f, v)])]),
        fields,
      );
    });

    it('what we pack, iso_8583 unpacks to the same values', () => {
      const ours = new IsoMessage(mti, fields);
      expectSameValues(ours, unpackWithPackage(asciiDialect.encodeFrame(ours)), fields);
    });

    it('our bytes equal its bytes, but for the empty secondary bitmap it always sends', () => {
      const ours = asciiDialect.encodeFrame(new IsoMessage(mti, fields));
      const theirs = packWithPackage(mti, fields);
      expect(ours.toString('hex')).toBe(withoutEmptySecondaryBitmap(theirs).toString('hex'));
      if (fields.some(([f]) => f > 64)) expect(ours.toString('hex')).toBe(theirs.toString('hex'));
    });
  });

  it.each(
    loadFixtures()
      .filter((f) => f.dialect === 'ascii')
      .map((f) => [f.file, f] as const),
  )('iso_8583 reads golden %s', (_file, fixture) => {
    const message = fixtureMessage(fixture);
    const theirs = unpackWithPackage(Buffer.from(fixture.hex, 'hex'));
    expect(Object.keys(theirs).length - 1).toBe(
      message.fieldNumbers().length + (fixture.macKey !== undefined ? 1 : 0),
    );
    // Field 55 holds raw EMV bytes there: the package reads it as UTF-8 text, so it cannot compare.
    for (const field of message.fieldNumbers().filter((f) => f !== 55)) {
      const value =
        typeof fixture.fields[field] === 'string' ? message.get(field)! : message.getBinary(field)!;
      expect([field, theirs[field]]).toEqual([field, toPackageValue(field, value)]);
    }
  });

  it('random messages over the interop fields pack to the same bytes on both sides', () => {
    const text = (chars: string, min: number, max: number): fc.Arbitrary<string> =>
      fc
        .array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max })
        .map((a) => a.join(''));
    // Characters both sides accept for a field: the package validates before it packs.
    const acceptedBoth = (field: number, type: 'n' | 'an' | 'ans' | 'z'): string => {
      const ours = charsetOf(type);
      const theirs = PACKAGE_FORMATS[field]!;
      return Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i))
        .filter((c) => ours[c.charCodeAt(0)] === 1 && packageCheckType(theirs, c, field) === true)
        .join('');
    };
    const arbs: Record<number, fc.Arbitrary<FieldValue>> = {};
    for (const f of INTEROP_FIELDS) {
      const spec = asciiSpec.fields[f]!;
      const fixed = spec.prefix.name === 'fixed';
      // iso_8583 drops empty values, so variable fields carry at least one character here.
      const min = fixed ? spec.length : 1;
      const max = fixed ? spec.length : Math.min(spec.length, 40);
      if (f === 55) {
        // Binary here, ans in the package: they agree on the bytes of its ans characters.
        arbs[f] = text(acceptedBoth(f, 'ans'), min, max).map((s) => Buffer.from(s, 'latin1'));
      } else if (spec.type === 'b') {
        arbs[f] = fc
          .uint8Array({ minLength: spec.length, maxLength: spec.length })
          .map((a) => Buffer.from(a));
      } else {
        arbs[f] = text(acceptedBoth(f, spec.type), min, max);
      }
    }
    const message = fc.record(
      Object.fromEntries(INTEROP_FIELDS.map((f) => [f, fc.option(arbs[f], { freq: 2 })])),
    );
    fc.assert(
      fc.property(message, fc.constantFrom('0100', '0200', '0210', '0400', '0800'), (record, mti) => {
        const fields = Object.entries(record)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [Number(k), v as FieldValue] as const);
        fc.pre(fields.length > 0);
        const ours = asciiDialect.encodeFrame(new IsoMessage(mti, fields));
        expect(ours.toString('hex')).toBe(
          withoutEmptySecondaryBitmap(packWithPackage(mti, fields)).toString('hex'),
        );
        const back = unpackWithPackage(ours);
        for (const [f, v] of fields) expect([f, back[f]]).toEqual([f, toPackageValue(f, v)]);
      }),
      { numRuns: 300, seed: 8583 },
    );
  });
});

describe('ascii spec against the iso_8583 default formats', () => {
  const wire = (binary: boolean, format: string, bytes: number): string =>
    `${binary ? 'b' : 'text'} ${format} ${bytes}`;

  it('has the same layout for every field but the documented deviations', () => {
    const differing: number[] = [];
    for (let f = 2; f <= 128; f++) {
      const theirs = PACKAGE_FORMATS[f];
      const ours = asciiSpec.fields[f];
      const theirWire =
        theirs &&
        wire(
          theirs.ContentType === 'b',
          theirs.LenType.replace('llvar', 'ascii.LL')
            .replace('lllvar', 'ascii.LLL')
            .replace('lascii.LL', 'ascii.LLL'),
          theirs.ContentType === 'b' && theirs.LenType === 'fixed' ? theirs.MaxLen / 2 : theirs.MaxLen,
        );
      const ourWire = ours && wire(ours.type === 'b', ours.prefix.name, ours.length);
      if (theirWire !== ourWire) differing.push(f);
    }
    // 55 binary (same bytes for printable content); 64, 96, 128 are 8 bytes, not 4; 65 and 127 unsupported.
    expect(differing).toEqual([55, 64, 65, 96, 127, 128]);
  });

  it('accepts every character the package accepts for a field', () => {
    for (const [key, ours] of Object.entries(asciiSpec.fields)) {
      const field = Number(key);
      const theirs = PACKAGE_FORMATS[field]!;
      if (ours!.type === 'b' || ['z', 'x+n', 'b'].includes(theirs.ContentType)) continue;
      const charset = charsetOf(ours!.type);
      for (let c = 0x20; c < 0x7f; c++) {
        if (packageCheckType(theirs, String.fromCharCode(c), field) === true)
          expect([field, c, charset[c]]).toEqual([field, c, 1]);
      }
    }
  });
});
