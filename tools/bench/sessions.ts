/**
 * `npm run bench:sessions`: what idle terminals cost the switch. The switch (MySQL, default connection cap)
 * and the sandbox run as separate processes; this one is the terminals. Steps:
 *   1. 64 active terminals connect and sign on; their echo latency is measured at a fixed rate (without);
 *   2. 10,000 more terminals connect, sign on (0800/001) and stay idle;
 *   3. the switch's resident memory per idle session: (RSS with them - RSS before) / their number, read from
 *      /proc/<pid>/status right after they signed on and again after the next step;
 *   4. the 64 active terminals' echo latency again, with the idle ones connected (with);
 *   5. the idle terminals hang up; the echo latency once more (without, second sample).
 * Each echo step is three rounds; a round's p99 is one figure, and the median of the three rounds with the
 * idle sessions is compared with the median of the six without (so one round disturbed by other work on a
 * shared machine does not decide the ratio).
 *
 * Options: --idle 10000 --active 64 --echo-rate 1000 (echoes/s, evenly over the active terminals)
 * --seconds 6 (per echo step) --mysql mysql://root@127.0.0.1:3306/test
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Field } from '@switch/iso8583';
import { echo, signOn } from '../pos/messages';
import { PosClient } from '../pos/pos-client';
import { argValue, fmt, percentile } from './bench-args';
import { residentBytes, startSwitch } from './switch-process';

const IDLE = Number(argValue('idle', '10000'));
const ACTIVE = Number(argValue('active', '64'));
const ECHO_RATE = Number(argValue('echo-rate', '1000'));
const SECONDS = Number(argValue('seconds', '6'));
const MYSQL_URL = argValue('mysql', process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
/** How many idle terminals connect and sign on at once. */
const CONNECT_CONCURRENCY = 200;
const PER_SESSION_GOAL_BYTES = 10 * 1024;
const P99_RATIO_GOAL = 1.5;
const ROUNDS = 3;

interface Terminal {
  id: string;
  client: PosClient;
  stan: number;
}

const idOf = (prefix: string, i: number): string => `${prefix}${String(i).padStart(7, '0')}`;

function nextStan(t: Terminal): number {
  t.stan = (t.stan % 999_999) + 1;
  return t.stan;
}

async function connectAndSignOn(id: string, port: number): Promise<Terminal> {
  const client = await PosClient.connect('127.0.0.1', port, { dialect: 'ascii', timeoutMs: 60_000 });
  const terminal = { id, client, stan: 0 };
  const reply = await client.send(signOn({ terminalId: id, stan: nextStan(terminal) }));
  if (reply.get(Field.ResponseCode) !== '00') throw new Error(`sign-on of ${id} answered ${reply.get(Field.ResponseCode)}`);
  return terminal;
}

async function connectAll(ids: readonly string[], port: number): Promise<Terminal[]> {
  const terminals: Terminal[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONNECT_CONCURRENCY, ids.length) }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        terminals.push(await connectAndSignOn(id, port));
      }
    }),
  );
  return terminals;
}

/** Echo latencies (ms) at a fixed rate, spread evenly over the terminals, one echo in flight per send. */
async function echoLatencies(terminals: Terminal[], perSecond: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  const total = Math.round(perSecond * seconds);
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const t = terminals[i % terminals.length];
    const sent = performance.now();
    pending.push(
      t.client.send(echo({ terminalId: t.id, stan: nextStan(t) })).then((reply) => {
        if (reply.get(Field.ResponseCode) !== '00') throw new Error(`echo answered ${reply.get(Field.ResponseCode)}`);
        latencies.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(pending);
  return latencies;
}

/** One echo step: the latencies of each of its rounds. */
async function echoStep(terminals: Terminal[]): Promise<number[][]> {
  const rounds: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await echoLatencies(terminals, ECHO_RATE, SECONDS / ROUNDS));
  return rounds;
}

const median = (values: number[]): number => percentile(values, 0.5);
const roundP99s = (rounds: number[][]): number[] => rounds.map((r) => percentile(r, 0.99));

function line(label: string, rounds: number[][]): string {
  const all = rounds.flat();
  const quantiles = [0.5, 0.95, 0.99].map((q) => fmt(percentile(all, q), 2).padStart(8)).join(' ');
  return `${label.padEnd(30)} ${quantiles}   ${roundP99s(rounds).map((p) => fmt(p, 2)).join(' / ')}  (${all.length} echoes)`;
}

async function main(): Promise<void> {
  // Every terminal of the bench connects from 127.0.0.1: the per-source cap (256 by default) must admit them.
  const sut = await startSwitch(MYSQL_URL, { ISO_MAX_CONNECTIONS_PER_SOURCE: String(IDLE + ACTIVE + 100) });
  try {
    const activeIds = Array.from({ length: ACTIVE }, (_, i) => idOf('A', i));
    const idleIds = Array.from({ length: IDLE }, (_, i) => idOf('I', i));
    await sut.addTerminals([...activeIds, ...idleIds]);
    const active = await connectAll(activeIds, sut.isoPort);
    await echoLatencies(active, ECHO_RATE, 2); // warm-up: JIT, the terminal directory's cache
    const without1 = await echoStep(active);
    await sleep(1000);
    const rssBefore = residentBytes(sut.pid);

    const connectStarted = performance.now();
    const idle = await connectAll(idleIds, sut.isoPort);
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await sleep(2000);
    const rssIdle = residentBytes(sut.pid);
    const withIdle = await echoStep(active);
    const rssAfterEcho = residentBytes(sut.pid);

    await Promise.all(idle.map((t) => t.client.close()));
    await sleep(1000);
    const without2 = await echoStep(active);
    await Promise.all(active.map((t) => t.client.close()));

    const perSession = (Math.max(rssIdle, rssAfterEcho) - rssBefore) / IDLE;
    const p99Without = median(roundP99s([...without1, ...without2]));
    const p99With = median(roundP99s(withIdle));
    const ratio = p99With / p99Without;
    console.log(`\nbench:sessions — ${fmt(IDLE)} idle terminals signed on (in ${fmt(connectSeconds, 1)} s), ${ACTIVE} active, echoes at ${fmt(ECHO_RATE)}/s`);
    console.log(`switch RSS: ${fmt(rssBefore / 2 ** 20, 1)} MiB before, ${fmt(rssIdle / 2 ** 20, 1)} MiB with the idle sessions, ${fmt(rssAfterEcho / 2 ** 20, 1)} MiB after the echoes`);
    console.log(
      `resident memory per idle session: ${fmt(perSession / 1024, 1)} KiB (${perSession <= PER_SESSION_GOAL_BYTES ? 'meets' : 'misses'} the <= 10 KiB goal)\n`,
    );
    console.log(`${'echo latency, ms'.padEnd(30)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}   p99 of each round`);
    console.log(line('without idle sessions (1)', without1));
    console.log(line(`with ${fmt(IDLE)} idle sessions`, withIdle));
    console.log(line('without idle sessions (2)', without2));
    console.log(
      `\necho p99 (median of rounds) with / without: ${fmt(p99With, 2)} / ${fmt(p99Without, 2)} ms = ${fmt(ratio, 2)}x (${ratio <= P99_RATIO_GOAL ? 'meets' : 'misses'} the <= ${P99_RATIO_GOAL}x goal)`,
    );
  } finally {
    await sut.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
