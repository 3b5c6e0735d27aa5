import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asciiDialect, Iso8583Error, LengthPrefixedFramer, nacBcdDialect, type Dialect } from '../src';
import { sameMessage, validMessage } from './arbitraries';
import { loadFixtures } from './fixtures';

const RUNS = 2000;
const dialects: Array<[string, Dialect]> = [
  ['ascii', asciiDialect],
  ['nac-bcd', nacBcdDialect],
];

/** Inputs kept from fuzzing and edge cases, with the outcome each must keep: 'decoded' or an error code. */
interface Regression {
  readonly dialect: string;
  readonly why: string;
  readonly payloadHex: string;
  readonly outcome: string;
}

function outcomeOf(dialect: Dialect, payload: Buffer): string {
  try {
    dialect.decodeFrame(payload);
    return 'decoded';
  } catch (error) {
    if (error instanceof Iso8583Error) return error.code;
    throw error;
  }
}
const regressions = JSON.parse(
  readFileSync(join(__dirname, 'fuzz-regressions.json'), 'utf8'),
) as Regression[];

/** Decoding either yields a message that re-encodes and decodes to itself, or throws an Iso8583Error. */
function decodeStrictly(dialect: Dialect, payload: Buffer): void {
  let decoded;
  try {
    decoded = dialect.decodeFrame(payload);
  } catch (error) {
    if (error instanceof Iso8583Error) return;
    throw error;
  }
  const again = dialect.decodeFrame(
    dialect.encodeFrame(decoded.message, decoded.tpdu ? { tpdu: decoded.tpdu } : {}).subarray(2),
  );
  if (!sameMessage(decoded.message, again.message))
    throw new Error('decoded message does not survive re-encoding');
}

type Mutation = (payload: Buffer) => Buffer;
function mutation(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]): Mutation => (p) => {
      const out = Buffer.from(p);
      if (out.length > 0) out[at % out.length] ^= 1 << bit;
      return out;
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]): Mutation => (p) => {
      const out = Buffer.from(p);
      if (out.length > 0) out[at % out.length] = byte;
      return out;
    }),
    // Length changes: digits written where prefixes are, so announced lengths move.
    fc
      .tuple(fc.nat(), fc.constantFrom(0x00, 0x09, 0x10, 0x30, 0x39, 0x99, 0x19, 0x37))
      .map(([at, byte]): Mutation => (p) => {
        const out = Buffer.from(p);
        if (out.length > 0) out[at % out.length] = byte;
        return out;
      }),
    fc.nat().map(
      (cut): Mutation =>
        (p) =>
          p.subarray(0, cut % (p.length + 1)),
    ),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map(
      (extra): Mutation =>
        (p) =>
          Buffer.concat([p, extra]),
    ),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })).map(([at, n]): Mutation => (p) => {
      const i = at % (p.length + 1);
      return Buffer.concat([p.subarray(0, i), p.subarray(i + n)]);
    }),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, bytes]): Mutation => (p) => {
      const i = at % (p.length + 1);
      return Buffer.concat([p.subarray(0, i), bytes, p.subarray(i)]);
    }),
  );
}

describe.each(dialects)('fuzz: %s dialect', (name, dialect) => {
  const goldenPayloads = loadFixtures()
    .filter((f) => f.dialect === name)
    .map((f) => Buffer.from(f.hex, 'hex').subarray(2));

  it('replays the kept regression inputs', () => {
    const kept = regressions.filter((x) => x.dialect === name);
    expect(kept.length).toBeGreaterThan(0);
    for (const r of kept) {
      expect([r.why, outcomeOf(dialect, Buffer.from(r.payloadHex, 'hex'))]).toEqual([r.why, r.outcome]);
      decodeStrictly(dialect, Buffer.from(r.payloadHex, 'hex'));
    }
  });

  it('random bytes only ever produce an Iso8583Error or a message that re-encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => decodeStrictly(dialect, Buffer.from(bytes))),
      { numRuns: RUNS },
    );
  });

  it('random bytes after a valid header and bitmap', () => {
    // Random bodies rarely get past the MTI; start them from a real frame's first bytes instead.
    const head = goldenPayloads[0].subarray(0, name === 'nac-bcd' ? 15 : 12);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (bytes) =>
        decodeStrictly(dialect, Buffer.concat([head, bytes])),
      ),
      { numRuns: RUNS },
    );
  });

  it('mutated valid frames (bit flips, truncation, length changes, inserts, deletes) fail cleanly', () => {
    const source = fc.oneof(
      fc.constantFrom(...goldenPayloads),
      validMessage(dialect).map((m) => dialect.encodeFrame(m).subarray(2)),
    );
    fc.assert(
      fc.property(source, fc.array(mutation(), { minLength: 1, maxLength: 3 }), (payload, mutations) => {
        decodeStrictly(
          dialect,
          mutations.reduce((p, mutate) => mutate(p), payload),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips random valid messages', () => {
    fc.assert(
      fc.property(validMessage(dialect), (message) => {
        const frame = dialect.encodeFrame(message);
        expect(frame.readUInt16BE(0)).toBe(frame.length - 2);
        const decoded = dialect.decodeFrame(frame.subarray(2)).message;
        expect(sameMessage(message, decoded)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: LengthPrefixedFramer', () => {
  it('any chunking of a stream of frames yields the same payloads', () => {
    const payloads = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(payloads, fc.array(fc.nat(), { maxLength: 20 }), (bodies, cutSeeds) => {
        const stream = Buffer.concat(
          bodies.map((b) => {
            const header = Buffer.alloc(2);
            header.writeUInt16BE(b.length);
            return Buffer.concat([header, b]);
          }),
        );
        const cuts = [...new Set(cutSeeds.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const framer = new LengthPrefixedFramer(300);
        const out: Buffer[] = [];
        let from = 0;
        for (const cut of [...cuts, stream.length]) {
          out.push(...framer.push(stream.subarray(from, cut)));
          from = cut;
        }
        expect(out.map((b) => b.toString('hex'))).toEqual(bodies.map((b) => Buffer.from(b).toString('hex')));
        expect(framer.bufferedBytes).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});
