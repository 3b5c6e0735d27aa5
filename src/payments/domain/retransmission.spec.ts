import { matchStan, type Fingerprint, type StanEntry } from './retransmission';

const request: Fingerprint = {
  localDateTime: '0115180000',
  requestMti: '0200',
  processingCode: '000000',
  amountMinor: 1000,
  currencyNumeric: '840',
  paymentCodeHash: 'h1',
};
const entry = (fingerprint: Partial<Fingerprint>, final: boolean, item = 'original'): StanEntry<string> => ({
  item,
  fingerprint: { ...request, ...fingerprint },
  final,
});

describe('retransmission or duplicate STAN', () => {
  it('is new when the terminal never used the STAN', () => {
    expect(matchStan(request, [])).toEqual({ kind: 'new' });
  });

  it('is a retransmission when terminal, STAN, local time and content all match, final or not', () => {
    expect(matchStan(request, [entry({}, false)])).toEqual({ kind: 'retransmission', original: 'original' });
    expect(matchStan(request, [entry({}, true)])).toEqual({ kind: 'retransmission', original: 'original' });
  });

  it.each<[string, Partial<Fingerprint>]>([
    ['amount', { amountMinor: 1001 }],
    ['currency', { currencyNumeric: '392' }],
    ['processing code', { processingCode: '200000' }],
    ['payment code', { paymentCodeHash: 'h2' }],
    ['message class', { requestMti: '0100' }],
  ])('is a duplicate when the same moment carries another %s', (_name, change) => {
    expect(matchStan(request, [entry(change, true)])).toEqual({
      kind: 'duplicate',
      why: 'different-content',
    });
  });

  it('is a duplicate when another moment still holds the STAN in an unfinished transaction', () => {
    expect(matchStan(request, [entry({ localDateTime: '0115175900' }, false)])).toEqual({
      kind: 'duplicate',
      why: 'stan-in-use',
    });
  });

  it('reuses a STAN whose earlier transactions are all final', () => {
    expect(
      matchStan(request, [
        entry({ localDateTime: '0114120000' }, true),
        entry({ localDateTime: '0113120000' }, true),
      ]),
    ).toEqual({
      kind: 'new',
    });
  });
});
