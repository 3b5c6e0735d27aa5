import { msUntil, previousDay } from './daily-reconciliation';

describe('daily reconciliation timing', () => {
  it('reconciles the previous day as each channel counts days', () => {
    const now = new Date('2026-03-04T18:30:00Z'); // 02:30 on the 5th in Beijing
    expect(previousDay('ams', now)).toBe('2026-03-03');
    expect(previousDay('openapi', now)).toBe('2026-03-04');
    expect(previousDay('mapi', now)).toBe('2026-03-04');
  });

  it('waits until the next HH:MM UTC', () => {
    const now = new Date('2026-03-04T09:00:00Z');
    expect(msUntil('10:30', now)).toBe(90 * 60_000);
    expect(msUntil('08:00', now)).toBe(23 * 60 * 60_000);
  });
});
