/**
 * One measured leg of bench:reconcile, in its own process: `parse` reads the file alone (the baseline);
 * `reconcile` runs the ReconciliationService on it against the database. Prints one JSON line.
 */
import { createReadStream } from 'node:fs';
import { parseAmsTransactionItems, type ChannelName } from '@switch/alipay';
import { systemClock } from '../../../src/payments/application/system-time';
import { openDatabase } from '../../../src/persistence/data-source';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import type { OrphanDebits } from '../../../src/reconciliation/application/orphan-debits';
import { ReconciliationService } from '../../../src/reconciliation/application/reconciliation.service';
import { RunStore } from '../../../src/reconciliation/infrastructure/run-store';
import type { StatementSource } from '../../../src/reconciliation/infrastructure/statement-source';
import { SwitchBooks } from '../../../src/reconciliation/infrastructure/switch-books';
import type { ManualInterventions } from '../../../src/reversals/application/ports/manual-interventions.port';

async function main(): Promise<void> {
  const [mode, file, url, day] = process.argv.slice(2) as [string, string, string, string];
  const started = process.hrtime.bigint();
  let result: Record<string, number | string>;
  if (mode === 'parse') {
    let lines = 0;
    for await (const batch of parseAmsTransactionItems(createReadStream(file))) lines += batch.length;
    result = { lines };
  } else {
    const ds = await openDatabase({ kind: 'mysql', url, poolSize: 4, sqlitePath: '' });
    const uow = new UnitOfWork(ds);
    const source = {
      forEachFile: async (
        _channel: ChannelName,
        _day: string,
        use: Parameters<StatementSource['forEachFile']>[2],
      ) => {
        await use(file, parseAmsTransactionItems(createReadStream(file)));
        return [file];
      },
    } as unknown as StatementSource;
    const refuse = (): never => {
      throw new Error('the benchmark day has no differences');
    };
    const service = new ReconciliationService(
      new SwitchBooks(uow),
      source,
      new RunStore(uow),
      { fix: refuse } as unknown as OrphanDebits,
      { open: refuse } as unknown as ManualInterventions,
      systemClock,
      { info: () => undefined, warn: () => undefined },
    );
    const run = await service.reconcile('ams', day);
    await ds.destroy();
    result = {
      lines: run.linesRead,
      paymentsMatched: run.paymentsMatched,
      differences: run.differencesFound,
    };
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, ms, maxRssMb, ...result })}\n`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
