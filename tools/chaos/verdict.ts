/**
 * The chaos run's judgement, as plain data in and out: every terminal's record against the switch's rows
 * and Alipay's (the sandbox's) ledger. The rules are docs/reliability.md's:
 * - a terminal that printed 00 has a SUCCESS payment at Alipay, not refunded;
 * - every other purchase took no money: absent at Alipay, failed, cancelled or refunded in full;
 * - no payment is left unfinished at the switch or at Alipay;
 * - every payment Alipay holds belongs to a purchase a terminal printed;
 * - nothing sits in manual intervention that Alipay disagrees with.
 */
import type { TerminalTransaction } from './chaos-terminal';

export interface SwitchPaymentRow {
  terminalId: string;
  stan: string;
  paymentRequestId: string;
  state: string;
  amountMinor: number;
}

export interface LedgerEntry {
  status: 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'REFUNDED';
  amountMinor: number;
  refundedMinor: number;
}

export interface OpenIntervention {
  paymentRequestId: string;
  reason: string;
}

export interface ChaosVerdict {
  counts: Record<string, number>;
  mismatches: string[];
}

const UNFINISHED_AT_SWITCH = new Set(['RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED']);

/** Money Alipay still holds for this payment. */
function moneyTaken(entry: LedgerEntry | undefined): boolean {
  if (!entry) return false;
  if (entry.status === 'SUCCESS') return entry.refundedMinor < entry.amountMinor;
  if (entry.status === 'REFUNDED') return entry.refundedMinor < entry.amountMinor;
  return entry.status === 'PROCESSING';
}

export function judge(
  transactions: readonly TerminalTransaction[],
  rows: readonly SwitchPaymentRow[],
  ledger: ReadonlyMap<string, LedgerEntry>,
  interventions: readonly OpenIntervention[],
): ChaosVerdict {
  const mismatches: string[] = [];
  const counts: Record<string, number> = { transactions: transactions.length };
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const rowOf = new Map(rows.map((r) => [`${r.terminalId}|${r.stan}`, r]));
  const claimed = new Set<string>();

  for (const tx of transactions) {
    bump(tx.printed ? 'printed 00' : tx.reversed ? 'reversed (no answer)' : `answered ${tx.responseCode}`);
    if (tx.reversed) counts['reversal messages'] = (counts['reversal messages'] ?? 0) + tx.reversalAttempts;
    if (tx.retransmitted) bump('retransmitted (0201)');
    const row = rowOf.get(`${tx.terminalId}|${tx.stan}`);
    const answer = tx.printed ? 'printed 00' : tx.reversed ? 'reversed' : `answered ${tx.responseCode}`;
    const what = `${tx.terminalId} STAN ${tx.stan} (${tx.behaviour}, ${answer}${tx.retransmitted ? ' after a 0201' : ''})`;
    if (!row) {
      if (tx.printed) mismatches.push(`${what}: printed, but the switch has no payment`);
      else bump('never stored');
      continue;
    }
    claimed.add(row.paymentRequestId);
    const entry = ledger.get(row.paymentRequestId);
    bump(`switch ${row.state}`);
    bump(`alipay ${entry?.status ?? 'absent'}`);
    if (UNFINISHED_AT_SWITCH.has(row.state))
      mismatches.push(`${what}: unfinished at the switch (${row.state})`);
    if (entry?.status === 'PROCESSING') mismatches.push(`${what}: unfinished at Alipay (PROCESSING)`);
    if (tx.printed) {
      if (entry?.status !== 'SUCCESS' || entry.refundedMinor !== 0)
        mismatches.push(
          `${what}: printed, but Alipay has ${entry?.status ?? 'nothing'} (refunded ${entry?.refundedMinor ?? 0})`,
        );
      if (row.state !== 'APPROVED') mismatches.push(`${what}: printed, but the switch ended ${row.state}`);
    } else if (moneyTaken(entry)) {
      mismatches.push(
        `${what}: not printed, but Alipay holds the money (${entry?.status}, refunded ${entry?.refundedMinor})`,
      );
    }
  }

  for (const [id, entry] of ledger) {
    if (!claimed.has(id) && moneyTaken(entry))
      mismatches.push(`Alipay payment ${id} (${entry.status}) belongs to no terminal purchase`);
  }

  const stateOf = new Map(rows.map((r) => [r.paymentRequestId, r.state]));
  for (const open of interventions) {
    bump('manual interventions open');
    const alipay = ledger.get(open.paymentRequestId)?.status ?? 'absent';
    const state = stateOf.get(open.paymentRequestId) ?? 'unknown';
    const agrees =
      state === 'CANCELLED'
        ? !moneyTaken(ledger.get(open.paymentRequestId))
        : state === 'APPROVED' && alipay === 'SUCCESS';
    if (!agrees)
      mismatches.push(
        `manual intervention ${open.paymentRequestId} (${open.reason}): switch ${state}, Alipay ${alipay}`,
      );
  }
  return { counts, mismatches };
}
