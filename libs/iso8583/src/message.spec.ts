import { inspect } from 'node:util';
import { IsoMessage } from './message';

describe('IsoMessage', () => {
  it('takes fields from a record, a Map or entry pairs', () => {
    const fromRecord = new IsoMessage('0200', { 11: '000001', 3: '000000' });
    const fromMap = new IsoMessage(
      '0200',
      new Map([
        [11, '000001'],
        [3, '000000'],
      ]),
    );
    const fromPairs = new IsoMessage('0200', [
      [11, '000001'],
      [3, '000000'],
    ] as const);
    for (const m of [fromRecord, fromMap, fromPairs]) {
      expect(m.mti).toBe('0200');
      expect(m.fieldNumbers()).toEqual([3, 11]);
      expect(m.get(11)).toBe('000001');
    }
  });

  it('separates text from binary values', () => {
    const m = new IsoMessage('0200').set(52, Buffer.from('0011223344556677', 'hex')).set(41, 'TERM0001');
    expect(m.getBinary(52)).toEqual(Buffer.from('0011223344556677', 'hex'));
    expect(m.get(41)).toBe('TERM0001');
    expect(() => m.get(52)).toThrow(TypeError);
    expect(() => m.getBinary(41)).toThrow(TypeError);
    expect(m.get(4)).toBeUndefined();
    expect(m.getBinary(4)).toBeUndefined();
  });

  it('sets, deletes and lists fields in ascending order', () => {
    const m = new IsoMessage('0800').set(70, '301').set(11, '000001').set(7, '0612143015');
    expect(m.fieldNumbers()).toEqual([7, 11, 70]);
    expect(m.has(70)).toBe(true);
    m.delete(70);
    expect(m.has(70)).toBe(false);
    expect(m.fieldNumbers()).toEqual([7, 11]);
  });

  it('lists fields at every bitmap word edge, and forgets one set to undefined from JavaScript', () => {
    const all = [2, 31, 32, 33, 63, 64, 65, 96, 97, 127, 128];
    const m = new IsoMessage(
      '0200',
      all.map((f) => [f, String(f)] as const),
    );
    expect(m.fieldNumbers()).toEqual(all);
    m.set(33, undefined as unknown as string).delete(128);
    expect(m.fieldNumbers()).toEqual([2, 31, 32, 63, 64, 65, 96, 97, 127]);
    expect(m.has(33)).toBe(false);
    expect(m.clone().set(128, 'x').fieldNumbers()).toEqual([2, 31, 32, 63, 64, 65, 96, 97, 127, 128]);
    expect(m.fieldNumbers()).not.toContain(128);
  });

  it('rejects field numbers no bitmap can carry', () => {
    const m = new IsoMessage('0200');
    for (const bad of [0, 1, 129, 2.5, -3]) {
      expect(() => m.set(bad, 'x')).toThrow(RangeError);
    }
    expect(() => new IsoMessage('0200', { 0: '0200' })).toThrow(RangeError);
  });

  it('clones deeply: changing the copy leaves the original alone', () => {
    const original = new IsoMessage('0200', { 11: '000001', 52: Buffer.from('0011223344556677', 'hex') });
    const copy = original.clone();
    copy.mti = '0210';
    copy.set(39, '00');
    copy.getBinary(52)![0] = 0xff;
    expect(original.mti).toBe('0200');
    expect(original.has(39)).toBe(false);
    expect(original.getBinary(52)![0]).toBe(0x00);
    expect(copy.get(11)).toBe('000001');
  });

  it('never shows card data when logged', () => {
    const m = new IsoMessage('0200', { 2: '6214123456789012', 48: '281234567890123456', 11: '000001' });
    const logged = [inspect(m), JSON.stringify(m)].join('\n');
    expect(logged).not.toContain('6214123456789012');
    expect(logged).not.toContain('281234567890123456');
    expect(inspect(m)).toContain('000001');
  });
});
