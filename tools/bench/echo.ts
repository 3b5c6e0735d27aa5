/**
 * `npm run bench:echo`: 0800 echo round trips per second over 64 connections, through the Nest ISO listener
 * (IsoServerStrategy + NetworkManagementController, in-memory terminal directory) and through a bare `net` echo
 * server with the same framing and dialect (decode + encode, no Nest), measured in the same run. Each
 * connection keeps one request in flight, like a terminal. Prints both rates and the ratio (record them in
 * docs/benchmarks.md). Options: --seconds N (per round, default 3), --connections N (default 64),
 * --dialect ascii|nac-bcd.
 */
import * as net from 'node:net';
import {
  Field,
  IsoMessage,
  LengthPrefixedFramer,
  createDialect,
  swapTpdu,
  type DialectName,
} from '@switch/iso8583';
import { echo } from '../pos/messages';
import { PosClient } from '../pos/pos-client';
import { argValue } from './bench-args';
import { startBenchListener } from './iso-listener';

interface Round {
  target: 'bare' | 'listener';
  roundTrips: number;
  seconds: number;
  rate: number;
}

const SECONDS = Number(argValue('seconds', '3'));
const CONNECTIONS = Number(argValue('connections', '64'));
const DIALECT = argValue('dialect', 'ascii') as DialectName;
const WARMUP_MS = 500;
const terminalIdOf = (i: number): string => `BENCH${String(i).padStart(3, '0')}`;

async function startListener(): Promise<{ port: number; stop: () => Promise<void> }> {
  return startBenchListener(
    DIALECT,
    Array.from({ length: CONNECTIONS }, (_, i) => terminalIdOf(i)),
  );
}

/** The floor: the same framing, decode and encode, and an 0810 built the same way, with nothing else. */
async function startBare(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dialect = createDialect(DIALECT);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new LengthPrefixedFramer(4096);
    socket.on('data', (chunk: Buffer) => {
      for (const payload of framer.push(chunk)) {
        const { message, tpdu } = dialect.decodeFrame(payload);
        const reply = new IsoMessage('0810');
        for (const field of [7, Field.Stan, Field.TerminalId, Field.NetworkManagementCode]) {
          const value = message.get(field);
          if (value !== undefined) reply.set(field, value);
        }
        reply.set(Field.ResponseCode, '00');
        socket.write(dialect.encodeFrame(reply, { tpdu: tpdu && swapTpdu(tpdu) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Closed loop: every connection sends an echo, waits for the 0810, sends the next. Counts after a warm-up. */
async function drive(port: number, seconds: number): Promise<{ roundTrips: number; seconds: number }> {
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      PosClient.connect('127.0.0.1', port, { dialect: DIALECT, timeoutMs: 10_000 }),
    ),
  );
  let counting = false;
  let stopping = false;
  let roundTrips = 0;
  const loops = clients.map(async (client, i) => {
    let stan = 0;
    while (!stopping) {
      stan = (stan % 999_999) + 1;
      const reply = await client.send(echo({ terminalId: terminalIdOf(i), stan }));
      if (reply.get(Field.ResponseCode) !== '00')
        throw new Error(`echo answered ${reply.get(Field.ResponseCode)}`);
      if (counting) roundTrips += 1;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  counting = true;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  counting = false;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  stopping = true;
  await Promise.all(loops);
  await Promise.all(clients.map((c) => c.close()));
  return { roundTrips, seconds: elapsed };
}

async function round(target: Round['target']): Promise<Round> {
  const server = target === 'bare' ? await startBare() : await startListener();
  try {
    const { roundTrips, seconds } = await drive(server.port, SECONDS);
    return { target, roundTrips, seconds, rate: roundTrips / seconds };
  } finally {
    await server.stop();
  }
}

function best(rounds: Round[], target: Round['target']): number {
  return Math.max(...rounds.filter((r) => r.target === target).map((r) => r.rate));
}

async function main(): Promise<void> {
  const rounds: Round[] = [];
  // Alternate so drift on a shared machine hits both sides alike; report each side's best round.
  for (const target of ['bare', 'listener', 'bare', 'listener'] as const) {
    const r = await round(target);
    rounds.push(r);
    process.stdout.write(
      `${target.padEnd(8)} ${r.rate.toFixed(0).padStart(7)} round trips/s (${r.roundTrips} in ${r.seconds.toFixed(2)} s)\n`,
    );
  }
  const bare = best(rounds, 'bare');
  const listener = best(rounds, 'listener');
  const ratio = listener / bare;
  const verdict = ratio >= 0.5 ? 'meets' : 'misses';
  process.stdout.write(
    `\nbare net echo (baseline): ${bare.toFixed(0)} /s\nNest ISO listener:        ${listener.toFixed(0)} /s\nratio listener/bare:      ${ratio.toFixed(2)} (${verdict} the >= 0.50 goal)\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:echo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
