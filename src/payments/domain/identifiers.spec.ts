import { newApprovalCode, newRrn } from './identifiers';
import { randomBase32 } from './random';

describe('terminal-facing identifiers', () => {
  it('RRN: year digit, day of year, 8 base32 characters', () => {
    expect(newRrn(new Date('2025-02-01T12:00:00Z'))).toMatch(/^5032[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(newRrn(new Date('2024-12-31T23:59:59Z'))).toMatch(/^4366/);
  });

  it('RRNs of one day do not repeat in 10,000 draws', () => {
    const at = new Date('2025-02-01T12:00:00Z');
    expect(new Set(Array.from({ length: 10_000 }, () => newRrn(at))).size).toBe(10_000);
  });

  it('approval codes are 6 digits', () => {
    for (let i = 0; i < 100; i++) expect(newApprovalCode()).toMatch(/^\d{6}$/);
  });

  it('base32 uses every bit of its input', () => {
    expect(randomBase32(8, (n) => Buffer.alloc(n, 0))).toBe('00000000');
    expect(randomBase32(8, (n) => Buffer.alloc(n, 0xff))).toBe('ZZZZZZZZ');
  });
});
