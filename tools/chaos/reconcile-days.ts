/**
 * The chaos run's last check (issue 14): reconcile, for every channel the run used, each day of that
 * channel's files the run touched, through the switch's admin API as `npm run reconcile` does. Any
 * difference, or a run that could not read its files, fails the chaos run.
 */
import { STATEMENT_UTC_OFFSET_MINUTES, type ChannelName } from '@switch/alipay';
import { describeRun, requestReconciliation, type ReconciliationRun } from '../reconcile/request-runs';

export interface ChaosReconciliation {
  runs: ReconciliationRun[];
  /** Differences found over all runs, plus one for each run that did not complete. */
  differences: number;
  /** `npm run reconcile`'s summary of each run. */
  lines: string[];
}

/** The day (yyyy-MM-dd) of a channel's file that holds instant `at`. */
export function statementDayOf(channel: ChannelName, at: Date): string {
  return new Date(at.getTime() + STATEMENT_UTC_OFFSET_MINUTES[channel] * 60_000).toISOString().slice(0, 10);
}

export async function reconcileChaosDays(
  switchUrl: string,
  apiKey: string,
  channels: readonly ChannelName[],
  from: Date,
  to: Date,
): Promise<ChaosReconciliation> {
  const runs: ReconciliationRun[] = [];
  for (const channel of channels) {
    const days = new Set([statementDayOf(channel, from), statementDayOf(channel, to)]);
    for (const date of days)
      runs.push(...(await requestReconciliation(switchUrl, apiKey, { date, channel, reason: 'chaos run' })));
  }
  return {
    runs,
    differences: runs.reduce((n, r) => n + r.differencesFound + (r.outcome === 'completed' ? 0 : 1), 0),
    lines: runs.flatMap(describeRun),
  };
}
