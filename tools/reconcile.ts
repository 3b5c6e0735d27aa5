/**
 * `npm run reconcile -- --date YYYY-MM-DD [--channel ams|openapi|mapi] [--files transactions|settlement]
 *    [--url http://127.0.0.1:3000]
 *    [--reason "..."]` with an operator's admin API key in ADMIN_API_KEY
 *
 * Asks the running switch (POST /admin/v1/reconciliations, an audited operator write) to reconcile a day (it owns the database and, in the demo, the sandbox) and
 * prints what the run found. Exit code 0 when every run completed, 1 when one could not read its files,
 * 2 on bad arguments or when the switch cannot be reached.
 */
import { describeRun, requestReconciliation, type ReconciliationRun } from './reconcile/request-runs';

function argument(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const date = argument(args, 'date');
  const channel = argument(args, 'channel');
  const files = argument(args, 'files');
  const url = argument(args, 'url') ?? process.env.SWITCH_HTTP_URL ?? 'http://127.0.0.1:3000';
  const reason = argument(args, 'reason') ?? 'npm run reconcile';
  const key = process.env.ADMIN_API_KEY;
  if (!key) {
    console.error(
      'ADMIN_API_KEY must hold an operator (or admin) key of the admin API (npm run admin -- create-key)',
    );
    return 2;
  }
  if (
    !date ||
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    (channel && !['ams', 'openapi', 'mapi'].includes(channel)) ||
    (files && !['transactions', 'settlement'].includes(files))
  ) {
    console.error(
      'usage: npm run reconcile -- --date YYYY-MM-DD [--channel ams|openapi|mapi] [--files transactions|settlement] [--url <switch HTTP URL>]',
    );
    return 2;
  }
  let runs: ReconciliationRun[];
  try {
    runs = await requestReconciliation(url, key, {
      date,
      reason,
      ...(channel ? { channel } : {}),
      ...(files ? { files } : {}),
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  for (const run of runs) for (const line of describeRun(run)) console.log(line);
  return runs.every((r) => r.outcome === 'completed') ? 0 : 1;
}

void main().then((code) => process.exit(code));
