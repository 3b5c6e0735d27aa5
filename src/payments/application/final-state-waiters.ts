/**
 * Requests waiting for a transaction someone else is settling: a retransmission waiting for its original,
 * a purchase in doubt waiting for the inquiries, a notification, a reversal or the gateway timeout. Every
 * change the engine makes is published here, and the waiters of that transaction see it at once. The
 * timers that drive those changes run at the transaction's owner; a waiter at another instance hears no
 * event and reads the database at a modest interval instead (`poll`). A purchase whose pay call settles
 * it reads its own result and never waits here.
 */
import type { Scheduler } from './ports/scheduler.port';

interface Versioned {
  id: string;
  version: number;
}

/** Reads again every `everyMs` while `when` holds for the newest version seen (another instance drives it). */
export interface WaitPoll<T> {
  readonly when: (item: T) => boolean;
  readonly everyMs: number;
  /** A read that skips every in-process copy. */
  readonly load: () => Promise<T | undefined>;
}

export class FinalStateWaiters<T extends Versioned> {
  private readonly listeners = new Map<string, Set<(item: T) => void>>();

  constructor(private readonly scheduler: Scheduler) {}

  publish(item: T): void {
    const set = this.listeners.get(item.id);
    if (!set) return;
    for (const listener of [...set]) listener(item);
  }

  /**
   * Resolves with the first version of `id` for which `done` holds, or at `until` with the newest version
   * seen (undefined if none could be loaded). Never rejects: a failed load just leaves the last known version.
   */
  waitFor(
    id: string,
    load: () => Promise<T | undefined>,
    done: (item: T) => boolean,
    until: Date,
    poll?: WaitPoll<T>,
  ): Promise<T | undefined> {
    return new Promise((resolve) => {
      let latest: T | undefined;
      let settled = false;
      let pollTimer: { cancel(): void } | undefined;
      const listeners = this.listeners.get(id) ?? new Set<(item: T) => void>();
      this.listeners.set(id, listeners);

      const finish = (): void => {
        if (settled) return;
        settled = true;
        listeners.delete(listener);
        if (listeners.size === 0 && this.listeners.get(id) === listeners) this.listeners.delete(id);
        timer.cancel();
        pollTimer?.cancel();
        resolve(latest);
      };
      const see = (item: T): void => {
        if (latest === undefined || item.version >= latest.version) latest = item;
        if (done(latest)) finish();
      };
      const listener = (item: T): void => see(item);
      const read = (from: () => Promise<T | undefined>): void => {
        from().then(
          (item) => {
            if (item) see(item);
            if (!settled && poll && latest && poll.when(latest))
              pollTimer = this.scheduler.after(poll.everyMs, () => read(poll.load));
          },
          () => undefined,
        );
      };

      listeners.add(listener);
      const timer = this.scheduler.at(until, finish);
      read(load);
    });
  }

  /** Listeners still registered (for tests: nothing must leak). */
  size(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
