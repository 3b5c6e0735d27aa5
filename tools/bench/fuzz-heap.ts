/**
 * `npm run bench:fuzz-heap`: does hostile input leave memory behind in the ISO listener? The listener runs in
 * this process (node --expose-gc). Per dialect, N well-behaved connections (connect, 0800 echo, hang up)
 * are the baseline; then N hostile ones (noise, flipped bytes, truncated and oversize frames, some cut off
 * halfway). After each phase and a full GC the heap is read; the figure is the heap growth per connection
 * of each phase and the ratio hostile/baseline. Goal: hostile connections leave no more behind than good
 * ones (ratio <= 1.5, growth per connection near zero) and the listener ends with no connection or buffered
 * byte. Options: --connections 2000.
 */
import { randomBytes, randomInt } from 'node:crypto';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDialect, type DialectName } from '@switch/iso8583';
import { echo, purchase } from '../pos/messages';
import { PosClient } from '../pos/pos-client';
import { argValue, fmt } from './bench-args';
import { startBenchListener, type BenchListener } from './iso-listener';

const CONNECTIONS = Number(argValue('connections', '2000'));
const CONCURRENCY = 50;
const TERMINAL = 'FUZZ0001';
const TPDU = Buffer.from('6000010000', 'hex');

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:fuzz-heap does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function hostileInput(dialect: DialectName): Buffer {
  const d = createDialect(dialect);
  const tpdu = dialect === 'nac-bcd' ? TPDU : undefined;
  const valid = d.encodeFrame(
    randomInt(2) === 0
      ? echo({ terminalId: TERMINAL, stan: randomInt(1, 999_999) })
      : purchase({
          terminalId: TERMINAL,
          merchantId: 'MERCHANT0000001',
          stan: randomInt(1, 999_999),
          amountMinor: 100,
          paymentCode: '281234567890123456',
        }),
    { tpdu },
  );
  const header = (length: number) => Buffer.from([length >> 8, length & 0xff]);
  switch (randomInt(5)) {
    case 0:
      return randomBytes(randomInt(1, 300));
    case 1: {
      const body = randomBytes(randomInt(1, 300));
      return Buffer.concat([header(body.length), body]);
    }
    case 2: {
      const copy = Buffer.from(valid);
      for (let i = 0; i < randomInt(1, 7); i += 1) copy[2 + randomInt(copy.length - 2)] = randomInt(256);
      return copy;
    }
    case 3: // a frame cut off halfway: the listener holds a partial frame until the peer goes
      return valid.subarray(0, randomInt(3, valid.length));
    default:
      return Buffer.concat([valid, header(0xffff), randomBytes(8)]);
  }
}

async function hostile(port: number, dialect: DialectName): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  await new Promise<void>((resolve) =>
    socket.once('connect', () => resolve()).once('error', () => resolve()),
  );
  socket.write(hostileInput(dialect));
  await sleep(randomInt(1, 30));
  socket.destroy();
}

async function wellBehaved(port: number, dialect: DialectName, stan: number): Promise<void> {
  const client = await PosClient.connect('127.0.0.1', port, { dialect, timeoutMs: 10_000 });
  await client.send(echo({ terminalId: TERMINAL, stan }));
  await client.close();
}

async function phase(count: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await one(next++);
    }),
  );
}

async function settled(listener: BenchListener): Promise<void> {
  for (let i = 0; i < 200 && listener.strategy.stats().connections > 0; i += 1) await sleep(25);
}

async function run(dialect: DialectName): Promise<{ baseline: number; hostile: number; leftover: string }> {
  const listener = await startBenchListener(dialect, [TERMINAL], { maxConnections: CONCURRENCY * 4 });
  try {
    // Warm-up: the first connections build caches (dialect, pipeline) that are not per connection.
    await phase(200, (i) => wellBehaved(listener.port, dialect, i + 1));
    await settled(listener);
    const start = heapAfterGc();
    await phase(CONNECTIONS, (i) => wellBehaved(listener.port, dialect, (i % 999_000) + 1));
    await settled(listener);
    const afterBaseline = heapAfterGc();
    await phase(CONNECTIONS, () => hostile(listener.port, dialect));
    await settled(listener);
    const afterHostile = heapAfterGc();
    const stats = listener.strategy.stats();
    return {
      baseline: (afterBaseline - start) / CONNECTIONS,
      hostile: (afterHostile - afterBaseline) / CONNECTIONS,
      leftover: `${stats.connections} connections, ${stats.bufferedBytes} bytes buffered, ${stats.inFlight} in flight`,
    };
  } finally {
    await listener.stop();
  }
}

async function main(): Promise<void> {
  process.stdout.write(
    `${fmt(CONNECTIONS)} connections per phase; heap growth per connection after a full GC\n\n`,
  );
  for (const dialect of ['ascii', 'nac-bcd'] as const) {
    const r = await run(dialect);
    // Growth near zero makes a ratio meaningless; compare against a floor of 64 bytes per connection.
    const ratio = Math.max(r.hostile, 0) / Math.max(r.baseline, 64);
    process.stdout.write(
      `${dialect.padEnd(8)} well-behaved (baseline) ${fmt(r.baseline, 1).padStart(8)} B/conn   hostile ${fmt(r.hostile, 1).padStart(8)} B/conn   ` +
        `ratio ${ratio.toFixed(2)} (${ratio <= 1.5 ? 'meets' : 'misses'} <= 1.5)   left: ${r.leftover}\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:fuzz-heap failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
