#!/usr/bin/env node
/**
 * Waits until a Kafka broker answers a metadata request (kafkajs admin: connect + listTopics).
 *
 *   node wait-ready.js --brokers 127.0.0.1:9092 [--timeout-ms 60000] [--pid 1234] [--once]
 *
 * With --pid, it gives up as soon as that process has died (the broker crashed on start), and it only
 * reports ready while that process is alive, so a different broker that happens to own the port is never
 * mistaken for ours. --once makes a single short attempt (used by `kafka.sh status`).
 * Exit codes: 0 ready, 1 timed out, 2 the watched process died, 64 bad arguments.
 */
'use strict';

const { Kafka, logLevel } = require('kafkajs');

function parseArgs(argv) {
  const args = { brokers: '127.0.0.1:9092', timeoutMs: 60000, pid: undefined, once: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--once') args.once = true;
    else if (flag === '--brokers') args.brokers = argv[(i += 1)];
    else if (flag === '--timeout-ms') args.timeoutMs = Number(argv[(i += 1)]);
    else if (flag === '--pid') args.pid = Number(argv[(i += 1)]);
    else {
      process.stderr.write(`wait-ready: unknown argument ${flag}\n`);
      process.exit(64);
    }
  }
  if (!Number.isFinite(args.timeoutMs) || (args.pid !== undefined && !Number.isInteger(args.pid))) {
    process.stderr.write('wait-ready: --timeout-ms and --pid take numbers\n');
    process.exit(64);
  }
  return args;
}

function isAlive(pid) {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return error.code === 'EPERM';
  }
}

async function answersMetadata(brokers) {
  const kafka = new Kafka({
    clientId: 'kafka-local-wait',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + args.timeoutMs;
  for (;;) {
    if (!isAlive(args.pid)) return 2;
    if ((await answersMetadata(args.brokers)) && isAlive(args.pid)) return 0;
    if (args.once || Date.now() >= deadline) return 1;
    await sleep(500);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`wait-ready: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
