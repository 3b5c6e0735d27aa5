import { Iso8583Error } from '../errors';
import { createTpdu, swapTpdu } from './tpdu';

describe('TPDU', () => {
  it('builds one from two addresses', () => {
    expect(createTpdu(0x0012, 0x0345).toString('hex')).toBe('6000120345');
    expect(() => createTpdu(0x10000, 0)).toThrow(RangeError);
  });

  it('swaps destination and source for the reply, in a new buffer', () => {
    const request = Buffer.from('6000120345', 'hex');
    const reply = swapTpdu(request);
    expect(reply.toString('hex')).toBe('6003450012');
    expect(request.toString('hex')).toBe('6000120345');
    expect(swapTpdu(reply)).toEqual(request);
  });

  it('rejects a TPDU of the wrong size or protocol id', () => {
    expect(() => swapTpdu(Buffer.from('60001203', 'hex'))).toThrow(Iso8583Error);
    expect(() => swapTpdu(Buffer.from('7000120345', 'hex'))).toThrow(
      expect.objectContaining({ code: 'BAD_TPDU' }) as Error,
    );
  });
});
