/**
 * The chaos run: MariaDB, the sandbox (in this process, apart from the switch), optionally a Kafka broker,
 * the built switch as one or more child instances on that one database (./switch-cluster.ts), one of which
 * is SIGKILLed and restarted every few seconds while terminals buy; with several instances, a rolling restart
 * (SIGTERM, exit, start, one instance after the other) under load follows. At the end every transaction is
 * compared with the sandbox ledger (./verdict.ts), and no payment may be owned by a dead instance
 * (./ownership.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { startSandbox, type ChannelName } from '@switch/alipay';
import type { DialectName } from '@switch/iso8583';
import { ChaosTerminal } from './chaos-terminal';
import { deleteTopics } from './kafka-topics';
import { paymentsOwnedByDeadInstances } from './ownership';
import { reconcileChaosDays, type ChaosReconciliation } from './reconcile-days';
import { SwitchCluster } from './switch-cluster';
import { judge, type ChaosVerdict, type LedgerEntry } from './verdict';

export interface ChaosOptions {
  /** The built switch's entry point (dist/src/main.js). */
  main: string;
  /** How many times an instance is killed (round n kills instance n mod `instances`). */
  rounds: number;
  /**
   * Switch instances on the one database (default 1). With more than one, terminals are spread over them,
   * half of them retransmit before reversing, and a rolling restart follows the kills.
   */
  instances?: number;
  /** LEASE_MS given to the instances: how soon a killed instance's payments are taken over. */
  leaseMs?: number;
  /** The switch lives this long (ms, drawn between the two) before each kill. */
  killEveryMs: readonly [number, number];
  /** A MariaDB URL whose server the run may create and drop a database on. */
  adminDatabaseUrl: string;
  kafkaBrokers?: string;
  /** At most 30: the seeded demo terminals of the three channels. */
  terminals: number;
  merchantTimeoutMs: number;
  gatewayTimeoutMs: number;
  /** How long to wait, after the load stops, for every payment to end final. */
  settleTimeoutMs: number;
  /** Sandbox behaviours drawn for purchases (payment-code suffixes). */
  behaviours: readonly string[];
  keepDatabase?: boolean;
  log: (line: string) => void;
}

export interface ChaosReport {
  kills: number;
  /** Instances SIGTERMed and started again in the rolling restart. */
  rollingRestarts: number;
  seconds: number;
  database: string;
  verdict: ChaosVerdict;
  /** Each day the run touched, reconciled per channel it used; its differences are also mismatches. */
  reconciliation: ChaosReconciliation;
}

/** The switch's admin key during the run (the reconciliations are asked for through the admin API). */
const ADMIN_KEY = `chaos-${randomBytes(24).toString('hex')}`;

export const DEFAULT_BEHAVIOURS = ['000', '000', '000', '001', '004', '006'] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const MERCHANTS = ['MERCHANT0000001', 'MERCHANT0000002', 'MERCHANT0000003'] as const;

/** Demo terminal n (1-30): ten per merchant, the first five of each ascii, the last five nac-bcd. */
function demoTerminal(n: number): { terminalId: string; merchantId: string; dialect: DialectName } {
  const index = (n - 1) % 10;
  return {
    terminalId: `TERM${String(n).padStart(4, '0')}`,
    merchantId: MERCHANTS[Math.floor((n - 1) / 10)],
    dialect: index < 5 ? 'ascii' : 'nac-bcd',
  };
}

/** Spread over the merchants: 1, 11, 21, 6, 16, 26, 2, ... */
function terminalNumbers(count: number): number[] {
  const order = [
    0, 10, 20, 5, 15, 25, 1, 11, 21, 6, 16, 26, 2, 12, 22, 7, 17, 27, 3, 13, 23, 8, 18, 28, 4, 14, 24, 9, 19,
    29,
  ];
  return order.slice(0, Math.min(count, 30)).map((i) => i + 1);
}

function databaseUrl(adminUrl: string, name: string): string {
  return adminUrl.replace(/\/[^/?]*(\?.*)?$/, `/${name}`);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const startedAt = Date.now();
  const database = `chaos_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(options.adminDatabaseUrl);
  await admin.query(`CREATE DATABASE \`${database}\``);
  const url = databaseUrl(options.adminDatabaseUrl, database);
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_000 });
  const instances = options.instances ?? 1;
  const topicPrefix = database.replace(/_/g, '');
  const { username, password, host, port } = sandbox.sftp;
  const sftpUrl = `sftp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}`;
  const env: Record<string, string> = {
    DATABASE_URL: url,
    ALIPAY_SANDBOX: 'external',
    ALIPAY_SANDBOX_URL: sandbox.url,
    LOG_LEVEL: 'info',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    PAY_API_PORT: '0',
    ISO_HOST: '127.0.0.1',
    NOTIFY_HTTP_HOST: '127.0.0.1',
    LEASE_MS: String(options.leaseMs ?? 3_000),
    MERCHANT_TIMEOUT_MS: String(options.merchantTimeoutMs),
    GATEWAY_TIMEOUT_MS: String(options.gatewayTimeoutMs),
    ALIPAY_CALL_TIMEOUT_MS: '500',
    AMS_INQUIRY_INTERVAL_MS: '250',
    OPENAPI_INQUIRY_INTERVAL_MS: '250',
    MAPI_INQUIRY_INTERVAL_MS: '250',
    MAPI_FIRST_INQUIRY_MS: '250',
    CANCEL_RETRY_INTERVAL_MS: '300',
    CANCEL_BACKOFF_MS: '250,500,1000,2000',
    SHUTDOWN_GRACE_MS: '1000',
    ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
    // The day is reconciled at the end against the sandbox's own files.
    RECON_AMS_SFTP: sftpUrl,
    RECON_AMS_SFTP_HOST_KEY: sandbox.sftp.hostKeySha256,
    RECON_MAPI_SFTP: sftpUrl,
    RECON_MAPI_SFTP_HOST_KEY: sandbox.sftp.hostKeySha256,
    // An orphan debit there is already a failure of the run: no minute-long wait for its cancel.
    RECON_CANCEL_WAIT_MS: '5000',
    ...(options.kafkaBrokers
      ? {
          KAFKA_BROKERS: options.kafkaBrokers,
          KAFKA_TOPIC_PREFIX: topicPrefix,
          REVERSAL_SESSION_TIMEOUT_MS: '6000',
        }
      : {}),
  };

  const cluster = await SwitchCluster.plan(options.main, env, instances);
  let kills = 0;
  let rollingRestarts = 0;
  const problems: string[] = [];
  try {
    await cluster.startAll();
    let loadOn = true;
    const terminals = terminalNumbers(options.terminals).map((n, i) => {
      const t = demoTerminal(n);
      return new ChaosTerminal({
        ...t,
        ports: cluster.ports(t.dialect),
        firstInstance: i,
        retransmit: instances > 1 && i % 2 === 1,
        merchantTimeoutMs: options.merchantTimeoutMs,
        behaviours: options.behaviours,
      });
    });
    const runs = terminals.map((t) => t.run(() => !loadOn));
    const purchasesSoFar = () => terminals.reduce((sum, t) => sum + t.transactions.length, 0);

    for (let round = 1; round <= options.rounds; round += 1) {
      await pause(randomInt(options.killEveryMs[0], options.killEveryMs[1] + 1));
      const victim = (round - 1) % instances;
      await cluster.kill(victim);
      kills += 1;
      options.log(
        `round ${round}/${options.rounds}: SIGKILL${instances > 1 ? ` instance ${victim + 1}` : ''} (${purchasesSoFar()} purchases so far)`,
      );
      await pause(randomInt(100, 600));
      await cluster.start(victim);
    }
    if (instances > 1) {
      for (let i = 0; i < instances; i += 1) {
        await pause(randomInt(options.killEveryMs[0], options.killEveryMs[1] + 1));
        const problem = await cluster.terminate(i);
        if (problem) problems.push(`rolling restart: ${problem}`);
        rollingRestarts += 1;
        options.log(
          `rolling restart: instance ${i + 1} drained and exited (${purchasesSoFar()} purchases so far)`,
        );
        await cluster.start(i);
      }
    }
    await pause(1_000);
    loadOn = false;
    await Promise.all(runs);
    options.log('load stopped; waiting for every payment to end final');

    const db = await createConnection(url);
    try {
      const deadline = Date.now() + options.settleTimeoutMs;
      for (;;) {
        const [open] = await db.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM payments WHERE state IN ('RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED')",
        );
        if (Number(open[0].n) === 0 || Date.now() > deadline) break;
        await pause(500);
      }
      // Give the sandbox's own state a moment to take the last confirmed cancels.
      await pause(500);
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT terminal_id, stan, payment_request_id, state, amount_minor FROM payments',
      );
      const [open] = await db.query<RowDataPacket[]>(
        'SELECT payment_request_id, reason FROM manual_interventions WHERE resolved_at IS NULL',
      );
      const listed = (await (await fetch(`${sandbox.url}/sandbox/payments`)).json()) as Array<
        LedgerEntry & { id: string }
      >;
      const ledger = new Map(listed.map((p) => [p.id, p]));
      const verdict = judge(
        terminals.flatMap((t) => t.transactions),
        rows.map((r) => ({
          terminalId: String(r.terminal_id),
          stan: String(r.stan),
          paymentRequestId: String(r.payment_request_id),
          state: String(r.state),
          amountMinor: Number(r.amount_minor),
        })),
        ledger,
        open.map((r) => ({ paymentRequestId: String(r.payment_request_id), reason: String(r.reason) })),
      );
      verdict.counts.kills = kills;
      verdict.counts.instances = instances;
      if (rollingRestarts > 0) verdict.counts['rolling restarts'] = rollingRestarts;
      verdict.mismatches.push(...problems);
      const deadOwners = await paymentsOwnedByDeadInstances(db, cluster.liveInstanceIds());
      if (deadOwners === undefined) {
        verdict.counts['ownership not checked (no payments.owner_instance)'] = 1;
        options.log(
          'WARNING: payments.owner_instance is missing (an engine from before issue 13): ownership not checked',
        );
      } else {
        verdict.counts['owned by a dead instance'] = deadOwners.length;
        for (const d of deadOwners)
          verdict.mismatches.push(
            `${d.paymentRequestId} (${d.state}) is owned by ${d.owner}, which is not running`,
          );
      }

      const [used] = await db.query<RowDataPacket[]>('SELECT DISTINCT channel FROM payments');
      const reconciliation = await reconcileChaosDays(
        cluster.httpUrl(),
        ADMIN_KEY,
        used.map((r) => String(r.channel) as ChannelName),
        new Date(startedAt),
        new Date(),
      );
      verdict.counts['reconciliation differences'] = reconciliation.differences;
      for (const run of reconciliation.runs) {
        if (run.outcome !== 'completed')
          verdict.mismatches.push(
            `reconciliation ${run.channel} ${run.fileKind} ${run.day}: ${run.outcome} (${run.problem ?? ''})`,
          );
        for (const d of run.differences)
          verdict.mismatches.push(
            `reconciliation ${run.channel} ${run.fileKind} ${run.day}: ${d.kind} ${d.reference}: switch ${d.switchSide}; Alipay ${d.alipaySide}`,
          );
      }
      return {
        kills,
        rollingRestarts,
        seconds: (Date.now() - startedAt) / 1000,
        database,
        verdict,
        reconciliation,
      };
    } finally {
      await db.end();
    }
  } finally {
    await cluster.stopAll();
    await sandbox.close();
    if (options.kafkaBrokers) {
      const kafka = new Kafka({
        clientId: 'chaos',
        brokers: options.kafkaBrokers.split(','),
        logLevel: logLevel.NOTHING,
      });
      await deleteTopics(kafka, topicPrefix).catch((error: unknown) =>
        options.log(`WARNING: the run's Kafka topics (${topicPrefix}.*) were not deleted: ${String(error)}`),
      );
    }
    if (!options.keepDatabase) await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  }
}
