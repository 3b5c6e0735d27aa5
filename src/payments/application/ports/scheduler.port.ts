/** In-process timers (inquiry rhythm, merchant and gateway timeouts, refund retries). */
export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  /** Runs `task` at `at` (at once if `at` is past). Errors in `task` are the task's own to handle. */
  at(at: Date, task: () => void): TimerHandle;
  /** Runs `task` after `delayMs`. */
  after(delayMs: number, task: () => void): TimerHandle;
}

/** `work`'s result if it settles before `until`, else 'due' at `until` (`work` carries on regardless). */
export function settledBefore<T>(work: Promise<T>, until: Date, scheduler: Scheduler): Promise<T | 'due'> {
  let timer: TimerHandle | undefined;
  const due = new Promise<'due'>((resolve) => (timer = scheduler.at(until, () => resolve('due'))));
  return Promise.race([work, due]).finally(() => timer?.cancel());
}
