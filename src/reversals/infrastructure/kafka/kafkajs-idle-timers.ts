/**
 * kafkajs 2.2.4 re-arms a timer in every broker connection's request queue even when no request waits and
 * nothing is throttled (`scheduleCheckPendingRequests` with a negative delay: tulios/kafkajs#1556, #1704;
 * the fix proposed upstream in #1667 is unreleased). Each idle consumer connection then spins through
 * timers: in a profile of an idle switch this was the largest single cost, and it is paid once per switch
 * process, which is what running several instances multiplies.
 *
 * The queue only needs that check while a request is pending (held back by the in-flight limit) or a
 * broker throttles the client: a new request and every answer call it again. Remove this module when the
 * kafkajs release in package.json carries the fix.
 */
import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

let applied = false;

export function skipIdleRequestQueueChecks(): void {
  if (applied) return;
  applied = true;
  const load = createRequire(require.resolve('kafkajs'));
  const { prototype } = load('./src/network/requestQueue') as { prototype: RequestQueue };
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
}
