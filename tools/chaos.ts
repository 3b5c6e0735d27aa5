/**
 * `npm run chaos`: kill the switch under load and check that no money went astray (docs/reliability.md).
 *
 *   npm run chaos -- [--rounds 20] [--kill-every-ms 2000-4000] [--terminals 30] [--keep-database]
 *
 * Needs MariaDB (CHAOS_MYSQL_URL, default mysql://root@127.0.0.1:3306/test: the run creates and drops its
 * own database there). With KAFKA_BROKERS set (e.g. after `npm run kafka:up`) cancels go through Kafka.
 * Ends by reconciling the run's days for every channel it used (as `npm run reconcile`). Prints the counts,
 * the reconciliation runs and every mismatch; exits 1 on any mismatch, a reconciliation difference included.
 */
import { join } from 'node:path';
import { argValue } from './bench/bench-args';
import { DEFAULT_BEHAVIOURS, runChaos } from './chaos/run-chaos';

async function main(): Promise<void> {
  const [minKill, maxKill] = argValue('kill-every-ms', '2000-4000').split('-').map(Number);
  const report = await runChaos({
    main: join(__dirname, '..', 'src', 'main.js'),
    rounds: Number(argValue('rounds', '20')),
    killEveryMs: [minKill, maxKill ?? minKill],
    adminDatabaseUrl: process.env.CHAOS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    terminals: Number(argValue('terminals', '30')),
    merchantTimeoutMs: 3_000,
    gatewayTimeoutMs: 5_000,
    settleTimeoutMs: 90_000,
    behaviours: DEFAULT_BEHAVIOURS,
    keepDatabase: process.argv.includes('--keep-database'),
    log: (line) => console.log(line),
  });
  console.log(
    `\nchaos run: ${report.kills} kills in ${report.seconds.toFixed(0)} s, database ${report.database}`,
  );
  for (const [what, n] of Object.entries(report.verdict.counts).sort()) console.log(`  ${what}: ${n}`);
  console.log("reconciliation of the run's days (as npm run reconcile):");
  for (const line of report.reconciliation.lines) console.log(`  ${line}`);
  console.log(`reconciliation differences: ${report.reconciliation.differences}`);
  console.log(`mismatches: ${report.verdict.mismatches.length}`);
  for (const m of report.verdict.mismatches) console.log(`  ${m}`);
  process.exitCode = report.verdict.mismatches.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
