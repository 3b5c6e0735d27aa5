import { IsoPattern, baseMti, isRepeatMti, patternForMti } from './iso-patterns';

describe('iso patterns', () => {
  it.each([
    ['0200', 'iso.0200'],
    ['0201', 'iso.0200'],
    ['0400', 'iso.0400'],
    ['0401', 'iso.0400'],
    ['0420', 'iso.0420'],
    ['0421', 'iso.0420'],
    ['0800', 'iso.0800'],
    ['0100', 'iso.0100'],
  ])('dispatches %s to %s', (mti, pattern) => {
    expect(patternForMti(mti)).toBe(pattern);
  });

  it('names the patterns handlers register', () => {
    expect(Object.values(IsoPattern)).toEqual(['iso.0800', 'iso.0100', 'iso.0200', 'iso.0400', 'iso.0420']);
  });

  it('treats a last digit 1 as a repeat', () => {
    expect(isRepeatMti('0421')).toBe(true);
    expect(isRepeatMti('0201')).toBe(true);
    expect(isRepeatMti('0200')).toBe(false);
    expect(isRepeatMti('0800')).toBe(false);
    expect(baseMti('0401')).toBe('0400');
  });
});
