/**
 * `npm run bench:e2e`: purchases from many terminal connections through the whole switch.
 *
 * The switch runs as its own process (MySQL, the AMS channel) and the Alipay sandbox as another, as in
 * production where Alipay is across the network. This process is the load generator. Phases:
 *   1. baseline: 0800 echo round trips per second through the same listener and connections;
 *   2. full speed: purchases back to back on every connection;
 *   3. fixed rates (default 250/s and 500/s): purchases sent on a schedule, whatever the replies do.
 * It prints approved purchases per second and p50/p95/p99 latency, both as the terminal sees it and as
 * added by the switch (the terminal's latency minus the switch's own timing of its Alipay pay call).
 *
 * Options: --connections 64 --seconds 8 --rates 250,500 --mysql mysql://root@127.0.0.1:3306/test
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createConnection } from 'mysql2/promise';
import { Field } from '@switch/iso8583';
import { PosClient } from '../pos/pos-client';
import { echo, purchase } from '../pos/messages';
import { argValue, fmt, percentile } from './bench-args';

const CONNECTIONS = Number(argValue('connections', '64'));
const SECONDS = Number(argValue('seconds', '8'));
const RATES = argValue('rates', '250,500').split(',').map(Number);
const MYSQL_URL = argValue('mysql', process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const DIST = join(__dirname, '..', '..');

interface Sample {
  requestId: string;
  terminalMs: number;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts a node script and resolves once a stdout line contains `ready`. */
async function startProcess(script: string, env: Record<string, string>, ready: string, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes(ready)) resolve();
    });
  });
  return child;
}

class Terminal {
  private stan = Math.floor(Math.random() * 900_000);
  constructor(
    readonly id: string,
    readonly client: PosClient,
  ) {}

  nextStan(): string {
    this.stan = (this.stan + 1) % 1_000_000;
    return String(this.stan).padStart(6, '0');
  }

  async purchase(): Promise<Sample | undefined> {
    const started = performance.now();
    const reply = await this.client.send(
      purchase({
        terminalId: this.id,
        merchantId: 'MERCHANT0000001',
        stan: this.nextStan(),
        amountMinor: 1000,
        paymentCode: `28${randomBytes(6).readUIntBE(0, 6).toString().padStart(13, '0').slice(0, 13)}000`,
      }),
    );
    if (reply.get(Field.ResponseCode) !== '00') return undefined;
    return { requestId: reply.get(63)!, terminalMs: performance.now() - started };
  }
}

async function echoRate(terminals: Terminal[], seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    terminals.map(async (t) => {
      while (performance.now() < end) {
        await t.client.send(echo({ terminalId: t.id, stan: t.nextStan() }));
        count++;
      }
    }),
  );
  return count / seconds;
}

async function fullSpeed(terminals: Terminal[], seconds: number): Promise<Sample[]> {
  const end = performance.now() + seconds * 1000;
  const samples: Sample[] = [];
  await Promise.all(
    terminals.map(async (t) => {
      while (performance.now() < end) {
        const sample = await t.purchase().catch(() => undefined);
        if (sample) samples.push(sample);
      }
    }),
  );
  return samples;
}

async function fixedRate(terminals: Terminal[], perSecond: number, seconds: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const pending: Array<Promise<void>> = [];
  const total = perSecond * seconds;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      terminals[i % terminals.length]
        .purchase()
        .then((s) => void (s && samples.push(s)))
        .catch(() => undefined),
    );
  }
  await Promise.all(pending);
  return samples;
}

/** The switch's own timing of each payment's Alipay pay call, from its event history. */
async function alipayLatencies(databaseUrl: string, ids: string[]): Promise<Map<string, number>> {
  const conn = await createConnection(databaseUrl);
  const [rows] = await conn.query(
    "SELECT request_id AS id, MIN(latency_ms) AS ms FROM payment_events WHERE type = 'ALIPAY_CALL' AND api NOT LIKE '%nquir%' AND request_id IN (?) GROUP BY request_id",
    [ids.length ? ids : ['']],
  );
  await conn.end();
  return new Map((rows as Array<{ id: string; ms: number }>).map((r) => [r.id, Number(r.ms)]));
}

async function report(label: string, samples: Sample[], seconds: number, databaseUrl: string, echoPerSecond: number) {
  const alipay = await alipayLatencies(databaseUrl, samples.map((s) => s.requestId));
  const terminal = samples.map((s) => s.terminalMs);
  const added = samples.filter((s) => alipay.has(s.requestId)).map((s) => s.terminalMs - alipay.get(s.requestId)!);
  const rate = samples.length / seconds;
  console.log(
    [
      label.padEnd(14),
      fmt(rate).padStart(7),
      `${fmt((rate / echoPerSecond) * 100, 1)}%`.padStart(8),
      ...[0.5, 0.95, 0.99].map((q) => fmt(percentile(terminal, q), 1).padStart(8)),
      ...[0.5, 0.95, 0.99].map((q) => fmt(percentile(added, q), 1).padStart(8)),
    ].join(' '),
  );
}

async function main(): Promise<void> {
  const database = `bench_${Date.now().toString(36)}`;
  const admin = await createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${database}\``);
  const databaseUrl = MYSQL_URL.replace(/\/[^/?]+(\?.*)?$/, `/${database}`);
  const [sandboxPort, isoPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  try {
    children.push(await startProcess('tools/sandbox.js', { SANDBOX_PORT: String(sandboxPort) }, 'listening'));
    children.push(
      await startProcess(
        'src/main.js',
        {
          DATABASE_URL: databaseUrl,
          ALIPAY_SANDBOX: 'external',
          ALIPAY_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
          ISO_HOST: '127.0.0.1',
          ISO_ASCII_PORT: String(isoPort),
          ISO_NAC_ENABLED: 'false',
          HTTP_PORT: String(httpPort),
          HTTP_HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          ISO_MAX_IN_FLIGHT: '256',
        },
        '"switch started"',
        // BENCH_PROFILE=<dir> writes a CPU profile of the switch there.
        process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
      ),
    );
    const now = new Date();
    const ids = Array.from({ length: CONNECTIONS }, (_, i) => `BNCH${String(i).padStart(4, '0')}`);
    const db = await createConnection(databaseUrl);
    await db.query(
      'INSERT INTO terminals (terminal_id, merchant_id, dialect, status, merchant_timeout_ms, created_at, updated_at, version) VALUES ?',
      [ids.map((id) => [id, 'MERCHANT0000001', 'ascii', 'active', 60_000, now, now, 1])],
    );
    await db.end();
    const terminals = await Promise.all(
      ids.map(async (id) => new Terminal(id, await PosClient.connect('127.0.0.1', isoPort, { dialect: 'ascii', timeoutMs: 60_000 }))),
    );

    await fullSpeed(terminals, 1); // warm-up: JIT, keep-alive sockets, caches
    const echoPerSecond = await echoRate(terminals, Number(argValue('echo-seconds', String(Math.min(SECONDS, 4)))));
    console.log(`\nbench:e2e — ${CONNECTIONS} terminal connections, AMS channel, MySQL, sandbox in its own process`);
    console.log(`baseline: 0800 echo through the same listener: ${fmt(echoPerSecond)} round trips/s\n`);
    console.log(
      `${'phase'.padEnd(14)} ${'appr/s'.padStart(7)} ${'of echo'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'+p50 ms'.padStart(8)} ${'+p95 ms'.padStart(8)} ${'+p99 ms'.padStart(8)}`,
    );
    await report('full speed', await fullSpeed(terminals, SECONDS), SECONDS, databaseUrl, echoPerSecond);
    for (const rate of RATES) {
      await report(`${rate}/s fixed`, await fixedRate(terminals, rate, SECONDS), SECONDS, databaseUrl, echoPerSecond);
    }
    console.log('\np50..p99: latency at the terminal; +p50..+p99: latency added by the switch (terminal latency minus its Alipay pay call).');
    await Promise.all(terminals.map((t) => t.client.close()));
  } finally {
    for (const child of children.reverse()) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await admin.query(`DROP DATABASE \`${database}\``);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
