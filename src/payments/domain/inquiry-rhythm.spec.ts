import { DEFAULT_INQUIRY_RHYTHMS, inquiryDueAt, scaleRhythms } from './inquiry-rhythm';

describe('inquiry rhythm', () => {
  it('follows each channel: AMS 3 s, Open Platform 5 s, MAPI 3.5 s after pay then every 3.5 s', () => {
    const start = new Date('2025-01-15T10:00:00.000Z');
    const due = (channel: 'ams' | 'openapi' | 'mapi', n: number) =>
      inquiryDueAt(DEFAULT_INQUIRY_RHYTHMS[channel], start, n).getTime() - start.getTime();
    expect([due('ams', 0), due('ams', 1), due('ams', 2)]).toEqual([3_000, 6_000, 9_000]);
    expect([due('openapi', 0), due('openapi', 1)]).toEqual([5_000, 10_000]);
    expect([due('mapi', 0), due('mapi', 1)]).toEqual([3_500, 7_000]);
  });

  it('scales for tests, never below 1 ms', () => {
    expect(scaleRhythms(DEFAULT_INQUIRY_RHYTHMS, 0.01).ams).toEqual({ firstDelayMs: 30, intervalMs: 30 });
    expect(scaleRhythms(DEFAULT_INQUIRY_RHYTHMS, 0).mapi).toEqual({ firstDelayMs: 1, intervalMs: 1 });
  });
});
