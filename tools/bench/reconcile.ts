/**
 * One AMS channel-day of BENCH_LINES (default 1,000,000) transactionItems lines matched against as many
 * stored payments on MariaDB, by the real ReconciliationService (switch records paged from the database,
 * the file streamed through csv-parse, the matcher, the run stored). The file is read from local disk:
 * the SFTP leg is the network's time, not the reconciler's. Baseline, measured in the same run: parsing
 * the same file alone. Each is a child process, so its peak memory (maxRSS) is its own.
 *
 *   npm run bench:reconcile                 (MariaDB at DATABASE_URL or mysql://root@127.0.0.1:3306/test)
 *   BENCH_LINES=200000 npm run bench:reconcile
 *
 * Goals (issue 14): under 60 s and under 300 MB for 1,000,000 lines.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createConnection } from 'mysql2/promise';
import { writeAmsTransactionItems } from '@switch/alipay';
import { openDatabase } from '../../src/persistence/data-source';
import { fmt } from './bench-args';
import { BENCH_DAY, benchPayment, benchRow, PAYMENT_COLUMNS } from './reconcile/bench-data';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ADMIN_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';
/** The reconciler's heap cap, as production should run it (node's default lets the heap grow lazily). */
const HEAP_MB = Number(process.env.BENCH_RECON_HEAP_MB ?? 256);

interface ChildResult {
  mode: string;
  lines: number;
  ms: number;
  maxRssMb: number;
  paymentsMatched?: number;
  differences?: number;
}

async function main(): Promise<void> {
  const name = `bench_recon_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = await createConnection(ADMIN_URL);
  await admin.query(`CREATE DATABASE \`${name}\``);
  const url = ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-recon-'));
  try {
    const ds = await openDatabase({ kind: 'mysql', url, poolSize: 4, sqlitePath: '' });
    await ds.destroy();
    const seedStart = Date.now();
    const conn = await createConnection(url);
    for (let i = 0; i < LINES; i += 5_000) {
      const rows = [];
      for (let j = i; j < Math.min(LINES, i + 5_000); j++) rows.push(benchRow(j, LINES));
      await conn.query(`INSERT INTO payments (${PAYMENT_COLUMNS.join(', ')}) VALUES ?`, [rows]);
    }
    await conn.end();
    const file = join(dir, 'transactionItems.csv');
    const out = createWriteStream(file);
    const lines = (function* () {
      for (let i = 0; i < LINES; i++) {
        const p = benchPayment(i, LINES);
        yield {
          line: {
            kind: 'payment' as const,
            requestId: p.requestId,
            alipayTransactionId: p.alipayId,
            amountMinor: p.amountMinor,
            currency: 'USD',
            at: p.at,
          },
          transactionId: p.alipayId,
        };
      }
    })();
    for (const chunk of writeAmsTransactionItems('BENCH_CUSTOMER', lines))
      if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    console.log(
      `seeded ${fmt(LINES)} payments and a ${fmt(LINES)}-line file in ${fmt((Date.now() - seedStart) / 1000, 1)} s`,
    );
    console.log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; reconciler heap cap ${HEAP_MB} MB`,
    );

    const run = (mode: string): ChildResult =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            `--max-old-space-size=${HEAP_MB}`,
            join(__dirname, 'reconcile', 'worker.js'),
            mode,
            file,
            url,
            BENCH_DAY,
          ],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        ),
      ) as ChildResult;
    const parse = run('parse');
    const match = run('reconcile');
    const rate = (r: ChildResult): string => `${fmt(r.lines / (r.ms / 1000))} lines/s`;
    console.log(
      `baseline, parse only : ${fmt(parse.ms / 1000, 2)} s, ${rate(parse)}, peak ${fmt(parse.maxRssMb)} MB`,
    );
    console.log(
      `reconcile            : ${fmt(match.ms / 1000, 2)} s, ${rate(match)}, peak ${fmt(match.maxRssMb)} MB ` +
        `(matched ${fmt(match.paymentsMatched ?? 0)}, differences ${match.differences})`,
    );
    console.log(
      `ratio reconcile/parse: time ${(match.ms / parse.ms).toFixed(2)}x, memory ${(match.maxRssMb / parse.maxRssMb).toFixed(2)}x`,
    );
    const ok = match.ms < 60_000 && match.maxRssMb < 300 && match.paymentsMatched === LINES;
    console.log(`goal (< 60 s, < 300 MB, every line matched): ${ok ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
