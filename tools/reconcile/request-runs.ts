/**
 * What `npm run reconcile` does, for it and for the chaos run: ask a running switch to reconcile a day
 * (POST /admin/v1/reconciliations, an audited operator write) and describe what each run found.
 */
export interface ReconciliationRun {
  channel: string;
  fileKind: string;
  day: string;
  outcome: string;
  files: string;
  problem?: string;
  linesRead: number;
  paymentsMatched: number;
  refundsMatched: number;
  differencesFound: number;
  differencesNew: number;
  orphansFixed: number;
  differences: {
    kind: string;
    reference: string;
    switchSide: string;
    alipaySide: string;
    resolution?: string;
  }[];
}

export class ReconciliationRequestError extends Error {}

/** One run per channel (every configured channel when `channel` is undefined). */
export async function requestReconciliation(
  switchUrl: string,
  apiKey: string,
  request: { date: string; channel?: string; files?: string; reason: string },
): Promise<ReconciliationRun[]> {
  let res: Response;
  try {
    res = await fetch(`${switchUrl}/admin/v1/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(request),
    });
  } catch (err) {
    throw new ReconciliationRequestError(
      `cannot reach the switch at ${switchUrl}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!res.ok)
    throw new ReconciliationRequestError(`the switch answered HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as ReconciliationRun[];
}

/** The summary lines `npm run reconcile` prints for a run. */
export function describeRun(run: ReconciliationRun): string[] {
  return [
    `${run.channel} ${run.fileKind} ${run.day}: ${run.outcome}${run.problem ? ` (${run.problem})` : ''}`,
    `  files: ${run.files || '-'}`,
    `  lines ${run.linesRead}, payments matched ${run.paymentsMatched}, refunds matched ${run.refundsMatched}, ` +
      `differences ${run.differencesFound} (new ${run.differencesNew}), orphan debits fixed ${run.orphansFixed}`,
    ...run.differences.map(
      (d) =>
        `  ${d.kind} ${d.reference}: switch ${d.switchSide}; Alipay ${d.alipaySide}${d.resolution ? ` -> ${d.resolution}` : ''}`,
    ),
  ];
}
