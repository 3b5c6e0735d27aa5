import type { ChannelOutcome, ChannelRaw, FailureReason, UnknownCause } from './channel.port';
import { TransportError } from './http/transport';

/** What the cashier reads (ISO 8583 field 44 holds 25 ASCII characters, so each fits). */
export const FAILURE_MESSAGES: Readonly<Record<FailureReason, string>> = Object.freeze({
  'insufficient-balance': 'Insufficient balance',
  'invalid-code': 'Invalid payment code',
  'expired-code': 'Payment code expired',
  'user-verification-failed': 'User verification failed',
  'risk-rejected': 'Declined by risk control',
  'amount-limit': 'Amount limit exceeded',
  'count-limit': 'Payment count exceeded',
  'not-found': 'Payment not found',
  closed: 'Payment closed',
  'cancel-window-exceeded': 'Cancel window passed',
  'refund-window-exceeded': 'Refund window passed',
  'refund-amount-exceeded': 'Refund exceeds payment',
  'duplicate-inconsistent': 'Duplicate request',
  'invalid-request': 'Invalid request',
  'currency-not-supported': 'Currency not supported',
  'merchant-not-permitted': 'Merchant not permitted',
  declined: 'Payment declined',
});

/** Alipay took the money (or confirmed the cancel/refund); id and time only when Alipay gave them. */
export function succeeded(raw: ChannelRaw, alipayTransactionId?: string, completedAt?: Date): ChannelOutcome {
  return {
    kind: 'success',
    ...(alipayTransactionId ? { alipayTransactionId } : {}),
    ...(completedAt !== undefined ? { completedAt } : {}),
    raw,
  };
}

/**
 * The payment's result in an Open Platform or MAPI notification, which share Alipay's trade statuses;
 * undefined for a status that is not final (WAIT_BUYER_PAY) or not known.
 */
export function notifiedTradeStatus(tradeStatus: string | undefined): 'success' | 'failure' | undefined {
  if (tradeStatus === 'TRADE_SUCCESS' || tradeStatus === 'TRADE_FINISHED') return 'success';
  return tradeStatus === 'TRADE_CLOSED' ? 'failure' : undefined;
}

export function failure(code: string, reason: FailureReason, raw: ChannelRaw): ChannelOutcome {
  return { kind: 'failure', code, message: FAILURE_MESSAGES[reason], reason, raw };
}

export function unknown(cause: UnknownCause, detail: string, raw?: ChannelRaw): ChannelOutcome {
  return raw ? { kind: 'unknown', cause, detail, raw } : { kind: 'unknown', cause, detail };
}

/** Times one call and turns anything it throws into an `unknown` outcome: adapters never throw. */
export class CallTimer {
  private readonly startedAt = performance.now();

  constructor(
    readonly api: string,
    readonly requestId: string,
  ) {}

  raw(extra: { httpStatus?: number; resultCode?: string } = {}): ChannelRaw {
    const raw: ChannelRaw = { api: this.api, requestId: this.requestId, latencyMs: this.elapsedMs() };
    if (extra.httpStatus !== undefined) raw.httpStatus = extra.httpStatus;
    if (extra.resultCode !== undefined && extra.resultCode !== '') raw.resultCode = extra.resultCode;
    return raw;
  }

  fromError(err: unknown): ChannelOutcome {
    if (err instanceof TransportError) return unknown(err.kind, err.message, this.raw());
    // A bug or an unexpected shape must not become a decline: the engine will inquire.
    const name = err instanceof Error ? err.name : typeof err;
    const message = err instanceof Error ? err.message.slice(0, 120) : '';
    return unknown('status-unknown', `internal ${name}: ${message}`, this.raw());
  }

  private elapsedMs(): number {
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }
}

export async function guarded(
  timer: CallTimer,
  call: () => Promise<ChannelOutcome>,
): Promise<ChannelOutcome> {
  try {
    return await call();
  } catch (err) {
    return timer.fromError(err);
  }
}
