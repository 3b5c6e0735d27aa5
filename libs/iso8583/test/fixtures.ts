import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsoMessage, type DialectName, type FieldValue } from '../src';

/** A golden frame: the whole frame in hex (length header included), and the message it carries. */
export interface Fixture {
  readonly file: string;
  readonly description: string;
  readonly dialect: DialectName;
  readonly mti: string;
  /** nac-bcd: the TPDU in hex. */
  readonly tpdu?: string;
  /** When present, field 64 is the retail MAC under this key (hex) and is not listed in `fields`. */
  readonly macKey?: string;
  /** Text values as strings; binary values as { hex }. */
  readonly fields: Readonly<Record<string, string | { readonly hex: string }>>;
  readonly hex: string;
}

const dir = join(__dirname, 'fixtures');

export function loadFixtures(): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<Fixture, 'file'>),
    }));
}

export function fixtureValue(value: string | { readonly hex: string }): FieldValue {
  return typeof value === 'string' ? value : Buffer.from(value.hex, 'hex');
}

export function fixtureMessage(fixture: Fixture): IsoMessage {
  return new IsoMessage(
    fixture.mti,
    Object.entries(fixture.fields).map(([k, v]) => [Number(k), fixtureValue(v)] as const),
  );
}
