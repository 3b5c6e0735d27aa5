import { TimeoutScheduler } from './system-time';

describe('TimeoutScheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-01-15T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('runs a task at its time, at once if the time is past, and never after cancel', () => {
    const scheduler = new TimeoutScheduler();
    const ran: string[] = [];
    scheduler.at(new Date(Date.now() + 1_000), () => ran.push('later'));
    scheduler.at(new Date(Date.now() - 1_000), () => ran.push('past'));
    scheduler.after(500, () => ran.push('cancelled')).cancel();
    jest.advanceTimersByTime(0);
    expect(ran).toEqual(['past']);
    jest.advanceTimersByTime(1_000);
    expect(ran).toEqual(['past', 'later']);
    expect(scheduler.pending()).toBe(0);
  });

  it('chains delays longer than setTimeout can hold', () => {
    const scheduler = new TimeoutScheduler();
    const task = jest.fn();
    const threeWeeksMs = 21 * 24 * 3_600_000;
    scheduler.after(threeWeeksMs, task);
    jest.advanceTimersByTime(threeWeeksMs - 1);
    expect(task).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('cancelAll stops everything', () => {
    const scheduler = new TimeoutScheduler();
    const task = jest.fn();
    scheduler.after(10, task);
    scheduler.after(20, task);
    scheduler.cancelAll();
    jest.advanceTimersByTime(100);
    expect(task).not.toHaveBeenCalled();
  });
});
