/** The production Clock and Scheduler: wall-clock time and setTimeout. Jest fake timers drive both in tests. */
import type { Clock } from './ports/clock.port';
import type { Scheduler, TimerHandle } from './ports/scheduler.port';

export const systemClock: Clock = { now: () => new Date() };

// setTimeout holds at most 2^31-1 ms; longer waits are chained.
const MAX_DELAY_MS = 2_147_483_647;

export class TimeoutScheduler implements Scheduler {
  private readonly live = new Set<TimerHandle>();

  constructor(private readonly clock: Clock = systemClock) {}

  at(at: Date, task: () => void): TimerHandle {
    return this.after(at.getTime() - this.clock.now().getTime(), task);
  }

  after(delayMs: number, task: () => void): TimerHandle {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const handle: TimerHandle = {
      cancel: () => {
        cancelled = true;
        if (timer) clearTimeout(timer);
        this.live.delete(handle);
      },
    };
    const arm = (remainingMs: number): void => {
      const step = Math.min(Math.max(0, remainingMs), MAX_DELAY_MS);
      timer = setTimeout(() => {
        if (cancelled) return;
        if (remainingMs > MAX_DELAY_MS) return arm(remainingMs - MAX_DELAY_MS);
        this.live.delete(handle);
        task();
      }, step);
      // Timers never keep the process alive on their own: the listeners do, and a restart resumes the work.
      timer.unref?.();
    };
    this.live.add(handle);
    arm(delayMs);
    return handle;
  }

  /** Cancels every pending timer (shutdown). */
  cancelAll(): void {
    for (const handle of [...this.live]) handle.cancel();
  }

  pending(): number {
    return this.live.size;
  }
}
