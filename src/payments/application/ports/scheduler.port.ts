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
