import fc from 'fast-check';
import { IsoMessage, type Dialect, type FieldValue } from '../src';

const DIGITS = '0123456789'.split('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i));
const TRACK2 = [...DIGITS, '='];

/** Variable fields stay short so thousands of cases run in seconds; fixed ones are always exact. */
const MAX_VARIABLE = 48;

function text(chars: string[], min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
}

/** A valid value for one field of the dialect's spec. */
export function fieldValue(dialect: Dialect, field: number): fc.Arbitrary<FieldValue> {
  const spec = dialect.spec.fields[field]!;
  const fixed = spec.prefix.digits === 0;
  const min = fixed ? spec.length : 0;
  const max = fixed ? spec.length : Math.min(spec.length, MAX_VARIABLE);
  switch (spec.type) {
    case 'b':
      return fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
    case 'n':
      return text(DIGITS, min, max);
    case 'z':
      return text(TRACK2, min, max);
    case 'an':
      return text(ALNUM, min, max);
    case 'ans':
      return text(PRINTABLE, min, max);
  }
}

/** A valid message of up to 16 fields drawn from everything the dialect defines. */
export function validMessage(dialect: Dialect): fc.Arbitrary<IsoMessage> {
  const numbers = Object.keys(dialect.spec.fields).map(Number);
  return fc
    .tuple(
      text(DIGITS, 4, 4),
      fc
        .subarray(numbers, { minLength: 1, maxLength: 16 })
        .chain((fields) =>
          fc.tuple(...fields.map((f) => fieldValue(dialect, f).map((v) => [f, v] as const))),
        ),
    )
    .map(([mti, entries]) => new IsoMessage(mti, entries));
}

export function sameMessage(a: IsoMessage, b: IsoMessage): boolean {
  if (a.mti !== b.mti) return false;
  const fa = a.fieldNumbers();
  const fb = b.fieldNumbers();
  if (fa.join() !== fb.join()) return false;
  return fa.every((f) => {
    const va = a.has(f) ? textOrBytes(a, f) : undefined;
    const vb = b.has(f) ? textOrBytes(b, f) : undefined;
    return typeof va === 'string' || typeof vb === 'string' ? va === vb : Buffer.compare(va!, vb!) === 0;
  });
}

function textOrBytes(m: IsoMessage, f: number): string | Buffer {
  try {
    return m.get(f)!;
  } catch {
    return m.getBinary(f)!;
  }
}
