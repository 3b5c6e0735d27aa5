import { encoding } from '../encoding';
import { SpecError } from '../errors';
import type { FieldSpec } from '../field/field-spec';
import { prefix } from '../prefix';
import { asciiSpec } from './ascii.message-spec';
import { defineSpec, formatSpec, mergeSpec, specToJson } from './define-spec';
import { ISO87_FIELDS } from './iso87.fields';
import { nacBcdSpec } from './nac-bcd.message-spec';

const stan: FieldSpec = {
  description: 'STAN',
  type: 'n',
  length: 6,
  prefix: prefix.Fixed,
  encoding: encoding.BCD,
};

describe('defineSpec', () => {
  it('returns a deep-frozen spec with BCD padding made explicit', () => {
    const spec = defineSpec({ name: 't', mti: encoding.BCD, fields: { 11: stan } });
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.fields)).toBe(true);
    expect(Object.isFrozen(spec.fields[11])).toBe(true);
    expect(spec.fields[11]!.padding).toBe('left');
  });

  it.each<[string, Partial<FieldSpec>, number?]>([
    ['a length over what the prefix can say', { length: 100, prefix: prefix.BCD.LL }],
    ['a zero length', { length: 0 }],
    ['a fractional length', { length: 2.5 }],
    ['BCD for text', { type: 'ans', encoding: encoding.BCD }],
    ['binary encoding for text', { type: 'an', encoding: encoding.Binary }],
    ['type b without binary encoding', { type: 'b', encoding: encoding.ASCII }],
    ['padding on a non-BCD field', { type: 'n', encoding: encoding.ASCII, padding: 'left' }],
    ['an unknown type', { type: 'x' as FieldSpec['type'] }],
    ['an unknown prefixer', { prefix: { ...prefix.ASCII.LL, name: 'ebcdic.LL' as 'ascii.LL' } }],
    ['field 65', {}, 65],
    ['field 1', {}, 1],
    ['field 129', {}, 129],
  ])('rejects %s', (_what, change, field = 11) => {
    expect(() =>
      defineSpec({ name: 't', mti: encoding.ASCII, fields: { [field]: { ...stan, ...change } } }),
    ).toThrow(SpecError);
  });

  it('rejects a binary MTI and an empty spec', () => {
    expect(() => defineSpec({ name: 't', mti: encoding.Binary, fields: { 11: stan } })).toThrow(SpecError);
    expect(() => defineSpec({ name: 't', mti: encoding.ASCII, fields: {} })).toThrow(SpecError);
  });

  it('merges overrides into a new spec, leaving the base alone', () => {
    const merged = mergeSpec(nacBcdSpec, { 60: { ...stan, description: 'batch', length: 6 } }, 'terminal-x');
    expect(merged.name).toBe('terminal-x');
    expect(merged.fields[60]!.encoding.name).toBe('bcd');
    expect(nacBcdSpec.fields[60]!.encoding.name).toBe('ascii');
  });

  it('exports to JSON and prints one line per field', () => {
    const json = specToJson(nacBcdSpec);
    expect(json.fields['2']).toEqual({
      description: 'Primary account number (PAN)',
      type: 'n',
      length: 19,
      prefix: 'bcd.LL',
      encoding: 'bcd',
      padding: 'right',
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(formatSpec(asciiSpec).split('\n')).toHaveLength(1 + Object.keys(asciiSpec.fields).length);
  });
});

describe('built-in specs', () => {
  it('ascii: ASCII data and prefixes, raw binary, fields 65 and 127 left out', () => {
    expect(asciiSpec.mti.name).toBe('ascii');
    for (const f of Object.values(asciiSpec.fields)) {
      expect(f!.encoding.name).toBe(f!.type === 'b' ? 'binary' : 'ascii');
      expect(['fixed', 'ascii.LL', 'ascii.LLL']).toContain(f!.prefix.name);
    }
    expect(asciiSpec.fields[65]).toBeUndefined();
    expect(asciiSpec.fields[127]).toBeUndefined();
  });

  it('nac-bcd: ISO87BPackager layout', () => {
    expect(nacBcdSpec.mti.name).toBe('bcd');
    const f = nacBcdSpec.fields;
    expect([f[3]!.encoding.name, f[3]!.padding]).toEqual(['bcd', 'left']);
    for (const n of [2, 32, 33, 35, 99, 100])
      expect([n, f[n]!.encoding.name, f[n]!.padding, f[n]!.prefix.name]).toEqual([
        n,
        'bcd',
        'right',
        'bcd.LL',
      ]);
    for (const n of [37, 38, 39, 41, 42, 44, 48, 49, 50, 51, 62, 63])
      expect([n, f[n]!.encoding.name]).toEqual([n, 'ascii']);
    expect([f[55]!.type, f[55]!.prefix.name]).toEqual(['b', 'bcd.LLL']);
    expect([f[90]!.type, f[90]!.length, f[90]!.encoding.name]).toEqual(['n', 42, 'bcd']);
    for (const n of [28, 29, 30, 31, 65, 97]) expect(f[n]).toBeUndefined();
  });

  it('both describe every ISO 8583:1987 field they support from the same table', () => {
    for (const spec of [asciiSpec, nacBcdSpec]) {
      for (const [key, f] of Object.entries(spec.fields))
        expect(f!.description).toBe(ISO87_FIELDS[Number(key)].description);
    }
  });
});
