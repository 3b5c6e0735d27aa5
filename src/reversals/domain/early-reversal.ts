/**
 * A reversal (0400/0420) that named a purchase the switch had not seen. Seed 004's request/response switch
 * acknowledges it anyway, keeps it, and makes sure the purchase it names is never paid: if that purchase
 * arrives later it is refused without calling Alipay. Pure data and rules; stored by src/persistence.
 */

/** Without the original's date/time (legacy reversals carry only its STAN) a match is limited to this. */
export const LEGACY_MATCH_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface EarlyReversal {
  readonly id: string;
  readonly terminalId: string;
  readonly merchantId: string;
  /** The original's STAN: from field 90, or field 11 in the legacy convention. */
  readonly originalStan: string;
  /** From field 90 ('0200', '0100'), when it was sent. */
  readonly originalMti?: string;
  /** From field 90, 'MMDDhhmmss', when it was sent and not zeros. */
  readonly originalLocalDateTime?: string;
  /** '0400' or '0420' (repeat digit cleared). */
  readonly reversalMti: string;
  /** Fields 13 + 12 of the reversal itself ('' when absent): tells two legacy reversals of one STAN apart. */
  readonly reversalLocalDateTime: string;
  readonly amountMinor?: number;
  readonly currencyNumeric?: string;
  readonly receivedAt: Date;
  /** The purchase it was bound to once that arrived (or was found right after the reversal was stored). */
  readonly matchedPaymentId?: string;
  readonly matchedAt?: Date;
}

/** What a purchase must show to be the one a stored reversal names. */
export interface PurchaseIdentity {
  readonly id: string;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly stan: string;
  readonly localDateTime: string;
  readonly requestMti: string;
  readonly createdAt: Date;
}

/**
 * One reversal, one row: a repeat (0401, 0421, or the same 0400 sent again) has the same key, so storing it
 * again changes nothing.
 */
export function earlyReversalKey(
  r: Pick<EarlyReversal, 'terminalId' | 'originalStan' | 'originalLocalDateTime' | 'reversalLocalDateTime'>,
): string {
  const when =
    r.originalLocalDateTime !== undefined ? `O${r.originalLocalDateTime}` : `L${r.reversalLocalDateTime}`;
  return `${r.terminalId}|${r.originalStan}|${when}`;
}

/**
 * Whether a stored reversal with the same key is this one repeated. A key can meet an unrelated reversal:
 * without field 90's date/time (or 12/13) it is only terminal and STAN, which wrap, and 90's MMDDhhmmss has
 * no year. A stored row already bound to a purchase, or received longer ago than a repeat can come, is
 * another reversal: taking it for a repeat would acknowledge this one and let its purchase be paid.
 */
export function isRepeatOf(stored: EarlyReversal, incoming: Pick<EarlyReversal, 'receivedAt'>): boolean {
  if (stored.matchedPaymentId !== undefined) return false;
  return Math.abs(incoming.receivedAt.getTime() - stored.receivedAt.getTime()) <= LEGACY_MATCH_WINDOW_MS;
}

/** The key a stored row moves to when a later, unrelated reversal needs its key: unique by the row's id. */
export function retiredReversalKey(stored: Pick<EarlyReversal, 'id'>): string {
  return `R:${stored.id}`;
}

export function namesPurchase(reversal: EarlyReversal, purchase: PurchaseIdentity): boolean {
  if (reversal.matchedPaymentId !== undefined && reversal.matchedPaymentId !== purchase.id) return false;
  if (reversal.terminalId !== purchase.terminalId) return false;
  if (reversal.merchantId.trim() !== purchase.merchantId.trim()) return false;
  if (reversal.originalStan !== purchase.stan) return false;
  if (reversal.originalMti !== undefined && reversal.originalMti !== purchase.requestMti) return false;
  if (reversal.originalLocalDateTime !== undefined)
    return reversal.originalLocalDateTime === purchase.localDateTime;
  // Legacy: the STAN alone. STANs wrap, so only a purchase arriving soon after the reversal is meant.
  const afterMs = purchase.createdAt.getTime() - reversal.receivedAt.getTime();
  return afterMs >= -LEGACY_MATCH_WINDOW_MS && afterMs <= LEGACY_MATCH_WINDOW_MS;
}
