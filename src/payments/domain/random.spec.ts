import { cryptoRandom } from './random';

describe('cryptoRandom', () => {
  it('never gives the same bytes twice, across refills of its pool', () => {
    const seen = new Set<string>();
    // 3,000 draws of 16 bytes cross the 4 KiB pool about twelve times.
    for (let i = 0; i < 3_000; i++) seen.add(cryptoRandom(16).toString('hex'));
    expect(seen.size).toBe(3_000);
  });

  it('gives each caller its own copy and serves sizes larger than its pool', () => {
    const first = cryptoRandom(8);
    const copy = Buffer.from(first);
    cryptoRandom(8).fill(0);
    expect(first).toEqual(copy);
    expect(cryptoRandom(10_000)).toHaveLength(10_000);
    expect(cryptoRandom(0)).toHaveLength(0);
  });
});
