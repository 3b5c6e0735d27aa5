import type { Clock } from '../../payments/application/ports/clock.port';
import { cancelRetryPolicy } from '../domain/retry-policy';
import { InMemoryCancelJobs } from '../testing/in-memory-stores';
import type { AttemptResult, CancelWorker } from './cancel-worker';
import { LocalCancelQueue } from './local-cancel-queue';
import { silentReversalsLog } from './ports/reversals-log.port';

/** A worker whose answers the test scripts per key; records every attempt it is given. */
class ScriptedWorker {
  readonly attempts: [key: string, attempt: number][] = [];
  readonly scripts = new Map<string, AttemptResult[]>();
  running = 0;
  maxRunning = 0;

  async attempt(key: string, _payload: string, attempt: number): Promise<AttemptResult> {
    this.attempts.push([key, attempt]);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.running -= 1;
    return this.scripts.get(key)?.shift() ?? { kind: 'done', detail: 'ok' };
  }
}

async function until(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LocalCancelQueue', () => {
  const policy = cancelRetryPolicy({ intervalMs: 30, windowMs: 60, backoffMs: [50] }); // waits 30, 30, 50
  const clock: Clock = { now: () => new Date() };
  let jobs: InMemoryCancelJobs;
  let worker: ScriptedWorker;
  let queue: LocalCancelQueue;
  const newQueue = (concurrency = 4) =>
    new LocalCancelQueue(jobs, worker as unknown as CancelWorker, clock, silentReversalsLog, {
      policy,
      concurrency,
      pollIntervalMs: 1_000,
    });

  beforeEach(() => {
    jobs = new InMemoryCancelJobs();
    worker = new ScriptedWorker();
    queue = newQueue();
  });
  afterEach(() => queue.stop());

  const deliver = (...keys: string[]) =>
    queue.deliver(
      keys.map((key, i) => ({
        id: String(i + 1),
        kind: 'CANCEL',
        key,
        payload: '{}',
        createdAt: new Date(),
      })),
    );

  it('works off delivered orders at once and marks them done', async () => {
    queue.start();
    await deliver('A', 'B');
    await until(
      'both done',
      () => jobs.jobs.get('A')?.state === 'done' && jobs.jobs.get('B')?.state === 'done',
    );
    expect(worker.attempts).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
  });

  it('retries after each wait of the policy and reports the attempt number, then gives up with the worker', async () => {
    worker.scripts.set('A', [
      { kind: 'retry', detail: 'cancel timeout' },
      { kind: 'retry', detail: 'cancel timeout' },
      { kind: 'retry', detail: 'cancel timeout' },
      { kind: 'dead', reason: 'retries-exhausted' },
    ]);
    queue.start();
    await deliver('A');
    await until('A dead', () => jobs.jobs.get('A')?.state === 'dead');
    expect(worker.attempts).toEqual([
      ['A', 1],
      ['A', 2],
      ['A', 3],
      ['A', 4],
    ]);
    expect(jobs.jobs.get('A')).toMatchObject({ attempts: 4, lastError: 'retries-exhausted' });
  });

  it('takes a delivered order once, however often it is relayed', async () => {
    queue.start();
    await deliver('A');
    await until('A done', () => jobs.jobs.get('A')?.state === 'done');
    await deliver('A');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(worker.attempts).toEqual([['A', 1]]);
  });

  it('resumes from the stored attempt count after a restart', async () => {
    worker.scripts.set('A', [{ kind: 'retry', detail: 'cancel timeout' }]);
    queue.start();
    await deliver('A');
    await until('the first try stored', () => jobs.jobs.get('A')?.attempts === 1);
    await queue.stop();
    queue = newQueue(); // a new process over the same table
    queue.start();
    await until('A done', () => jobs.jobs.get('A')?.state === 'done');
    expect(worker.attempts).toEqual([
      ['A', 1],
      ['A', 2],
    ]);
  });

  it('runs no more attempts at once than its concurrency', async () => {
    queue = newQueue(2);
    queue.start();
    await deliver('A', 'B', 'C', 'D', 'E');
    await until('all done', () => [...jobs.jobs.values()].every((j) => j.state === 'done'));
    expect(worker.maxRunning).toBe(2);
  });

  it('makes the attempt again when its outcome could not be stored', async () => {
    queue = new LocalCancelQueue(jobs, worker as unknown as CancelWorker, clock, silentReversalsLog, {
      policy,
      concurrency: 4,
      pollIntervalMs: 20,
    });
    jobs.failNextSettle = new Error('database went away');
    queue.start();
    await deliver('A');
    await until('A done', () => jobs.jobs.get('A')?.state === 'done');
    expect(worker.attempts).toEqual([
      ['A', 1],
      ['A', 1],
    ]);
  });
});
