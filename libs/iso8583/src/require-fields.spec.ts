import { Iso8583Error } from './errors';
import { IsoMessage } from './message';
import { requireFields } from './require-fields';

describe('requireFields', () => {
  it('passes when all are present and names the first missing one otherwise', () => {
    const m = new IsoMessage('0200', { 11: '000123', 41: 'TERM0001' });
    expect(() => requireFields(m, [11, 41])).not.toThrow();
    let error: unknown;
    try {
      requireFields(m, [11, 4, 48]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Iso8583Error);
    expect(error).toMatchObject({
      code: 'MISSING_VALUE',
      field: 4,
      mti: '0200',
      stan: '000123',
      terminalId: 'TERM0001',
    });
  });
});
