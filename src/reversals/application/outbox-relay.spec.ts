import { systemClock } from '../../payments/application/system-time';
import { InMemoryOutbox } from '../testing/in-memory-stores';
import { OutboxRelay } from './outbox-relay';
import type { OutboxRow, OutboxSink } from './ports/outbox.port';
import { silentReversalsLog } from './ports/reversals-log.port';

class RecordingSink implements OutboxSink {
  readonly delivered: string[] = [];
  failures: Error[] = [];
  stampedWhenDelivered: boolean[] = [];

  constructor(private readonly outbox: InMemoryOutbox) {}

  async deliver(rows: readonly OutboxRow[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    for (const row of rows) {
      this.stampedWhenDelivered.push(this.outbox.rows.find((r) => r.id === row.id)?.relayedAt !== undefined);
      this.delivered.push(row.key);
    }
  }
}

async function until(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OutboxRelay', () => {
  let outbox: InMemoryOutbox;
  let sink: RecordingSink;
  let relay: OutboxRelay;

  beforeEach(() => {
    outbox = new InMemoryOutbox();
    sink = new RecordingSink(outbox);
    // A poll far away: only start() and wake() make it run in these tests.
    relay = new OutboxRelay(outbox, sink, systemClock, silentReversalsLog, {
      kinds: ['CANCEL'],
      batchSize: 2,
      pollIntervalMs: 60_000,
      maxBackoffMs: 20,
    });
  });
  afterEach(() => relay.stop());

  it('relays what the last process left, in id order and in batches, stamping each row after delivery', async () => {
    for (const key of ['A', 'B', 'C', 'D', 'E']) outbox.add('CANCEL', key, '{}');
    outbox.add('OTHER', 'X', '{}');
    relay.start();
    await until('five rows relayed', () => relay.stats().relayed === 5);
    expect(sink.delivered).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(sink.stampedWhenDelivered.every((stamped) => !stamped)).toBe(true);
    expect(outbox.rows.filter((r) => r.relayedAt !== undefined).map((r) => r.key)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
    ]);
  });

  it('relays a row committed later as soon as it is woken', async () => {
    outbox.add('CANCEL', 'FIRST', '{}');
    relay.start();
    await until('the first pass', () => relay.stats().relayed === 1);
    outbox.add('CANCEL', 'LATE', '{}');
    relay.wake();
    await until('the late row relayed', () => sink.delivered.includes('LATE'));
  });

  it('keeps rows and tries again while the sink or the outbox fails', async () => {
    outbox.add('CANCEL', 'A', '{}');
    sink.failures = [new Error('broker down'), new Error('broker still down')];
    outbox.failNextRead = new Error('database hiccup');
    relay.start();
    await until('the row relayed', () => relay.stats().relayed === 1);
    expect(sink.delivered).toEqual(['A']);
    expect(relay.stats().failures).toBe(3);
  });

  it('relays nothing after stop', async () => {
    relay.start();
    await relay.stop();
    outbox.add('CANCEL', 'A', '{}');
    relay.wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.delivered).toEqual([]);
  });

  it('takes the locking path only when a plain read finds something to relay', async () => {
    const locked: number[] = [];
    const store = Object.assign(Object.create(outbox) as InMemoryOutbox, {
      relayLocked: async (kinds: readonly string[], limit: number, deliver: (rows: readonly OutboxRow[]) => Promise<void>, now: () => Date) => {
        const rows = await outbox.unrelayed(kinds, limit);
        locked.push(rows.length);
        if (rows.length > 0) await deliver(rows);
        await outbox.markRelayed(rows.map((r) => r.id), now());
        return rows.length;
      },
    });
    const lockingRelay = new OutboxRelay(store, sink, systemClock, silentReversalsLog, { kinds: ['CANCEL'], batchSize: 2, pollIntervalMs: 5 });
    lockingRelay.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 60)); // a dozen idle looks
      expect(locked).toEqual([]);
      outbox.add('CANCEL', 'A', '{}');
      await until('the row relayed', () => lockingRelay.stats().relayed === 1);
      expect(locked).toEqual([1]);
      expect(sink.delivered).toEqual(['A']);
    } finally {
      await lockingRelay.stop();
    }
  });
});
