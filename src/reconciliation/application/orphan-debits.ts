/**
 * Gives back money Alipay holds that the switch does not consider approved and delivered (an orphan
 * debit). A payment the engine can still cancel goes through its normal cancel path (CANCEL_REQUESTED, the
 * outbox, the reversal workers) and the run waits for the confirmation. One it cannot (never stored,
 * declined, or cancelled already while Alipay still shows it paid) is cancelled here with the same calls
 * and verdicts as the reversal workers: the cancel, or past the cancel window the full refund; the calls
 * and the outcome go into the payment's history when the switch has one.
 */
import type { ChannelName, ChannelOutcome, MerchantContext, WalletChannel } from '@switch/alipay';
import { callChannel } from '../../payments/application/channel-events';
import type { CancelCall, CancellationService } from '../../payments/application/cancellation.service';
import type { Clock } from '../../payments/application/ports/clock.port';
import type { ManualInterventions } from '../../reversals/application/ports/manual-interventions.port';
import {
  cancelRefundRequestId,
  judgeCancel,
  judgeRefund,
  judgeStatusAfterCancel,
  type CancelVerdict,
} from '../../reversals/domain/cancel-verdict';
import type { OrphanDebit } from '../domain/difference';
import type { StoredPaymentRef, SwitchBooks } from '../infrastructure/switch-books';

export interface MerchantChannels {
  /** The channel and call context for a merchant (a stored payment's), or any merchant on the channel. */
  find(
    channel: ChannelName,
    merchantId?: string,
    terminalId?: string,
  ): Promise<{ channel: WalletChannel; context: MerchantContext } | undefined>;
}

export interface OrphanFix {
  readonly fixed: boolean;
  /** What was done, for the difference's resolution and the summary. */
  readonly resolution: string;
}

const CANCELLABLE = new Set(['RECEIVED', 'AWAITING_ALIPAY', 'APPROVED', 'CANCEL_REQUESTED']);
const DIRECT_ATTEMPTS = 3;

export class OrphanDebits {
  constructor(
    private readonly books: SwitchBooks,
    private readonly cancellation: CancellationService,
    private readonly merchants: MerchantChannels,
    private readonly manual: ManualInterventions,
    private readonly clock: Clock,
    private readonly options: { cancelWaitMs: number; pollMs?: number; pauseMs?: number },
  ) {}

  async fix(channel: ChannelName, orphan: OrphanDebit): Promise<OrphanFix> {
    const payment = await this.books.paymentRef(orphan.reference);
    const fix =
      payment && CANCELLABLE.has(payment.state)
        ? await this.throughCancelPath(payment)
        : await this.direct(channel, orphan, payment);
    if (!fix.fixed)
      await this.manual.open({
        ...(payment ? { paymentId: payment.id } : {}),
        paymentRequestId: orphan.reference.slice(0, 64),
        reason: 'reconciliation',
        detail: `orphan debit ${orphan.amountMinor} ${orphan.currency} (switch: ${orphan.switchSide}): ${fix.resolution}`,
        at: this.clock.now(),
      });
    return fix;
  }

  private async throughCancelPath(payment: StoredPaymentRef): Promise<OrphanFix> {
    if (payment.state !== 'CANCEL_REQUESTED')
      await this.cancellation.requestCancel(payment.id, 'reconciliation');
    const deadline = this.clock.now().getTime() + this.options.cancelWaitMs;
    for (;;) {
      const [now] = await this.books.paymentsByRequestId([payment.paymentRequestId]);
      if (now?.state === 'CANCELLED') return { fixed: true, resolution: 'cancelled through the cancel path' };
      if (this.clock.now().getTime() >= deadline)
        return {
          fixed: false,
          resolution: `cancel ordered; not confirmed within ${this.options.cancelWaitMs} ms (the reversal workers carry on)`,
        };
      await sleep(this.options.pollMs ?? 200);
    }
  }

  private async direct(
    channel: ChannelName,
    orphan: OrphanDebit,
    payment: StoredPaymentRef | undefined,
  ): Promise<OrphanFix> {
    const route = await this.merchants.find(channel, payment?.merchantId, payment?.terminalId);
    if (!route) return { fixed: false, resolution: `no merchant on channel ${channel} to cancel through` };
    const calls: CancelCall[] = [];
    let verdict: CancelVerdict = { kind: 'retry', detail: 'not tried' };
    for (let attempt = 1; attempt <= DIRECT_ATTEMPTS; attempt++) {
      verdict = await this.cancelOnce(orphan, payment, route.channel, route.context, calls);
      if (verdict.kind !== 'retry') break;
      if (attempt < DIRECT_ATTEMPTS) await sleep(this.options.pauseMs ?? 1_000);
    }
    const fixed = verdict.kind === 'confirmed' || verdict.kind === 'absent';
    const resolution = describe(verdict, calls);
    if (payment) {
      const detail = `reconciliation: Alipay held ${orphan.amountMinor} ${orphan.currency}; ${resolution}`;
      await this.cancellation.recordCancelOutcome(
        payment.paymentRequestId,
        fixed && payment.state === 'CANCELLED' ? { kind: 'cancelled', detail } : { kind: 'retrying', detail },
        calls,
      );
    }
    return { fixed, resolution };
  }

  private async cancelOnce(
    orphan: OrphanDebit,
    payment: StoredPaymentRef | undefined,
    channel: WalletChannel,
    merchant: MerchantContext,
    calls: CancelCall[],
  ): Promise<CancelVerdict> {
    const at = this.clock.now();
    const cancelled = await callChannel(
      (c) => c.cancel({ paymentRequestId: orphan.reference, merchant }),
      channel,
    );
    calls.push({ api: 'cancel', requestId: orphan.reference, at, outcome: cancelled });
    const verdict = judgeCancel(cancelled);
    if (verdict.kind === 'verify') {
      // "Closed" may be a generic status error: only the payment's status confirms nothing is held.
      const statusAt = this.clock.now();
      const status = await callChannel(
        (c) => c.inquire({ paymentRequestId: orphan.reference, merchant }),
        channel,
      );
      calls.push({ api: 'inquire', requestId: orphan.reference, at: statusAt, outcome: status });
      return judgeStatusAfterCancel(status, true); // a bill file's debit is long past its pay call
    }
    if (verdict.kind !== 'refund-instead') return verdict;
    const refundRequestId = cancelRefundRequestId(orphan.reference);
    const refundAt = this.clock.now();
    const refunded: ChannelOutcome = await callChannel(
      (c) =>
        c.refund({
          paymentRequestId: orphan.reference,
          refundRequestId,
          amount: { amountMinor: orphan.amountMinor, currency: orphan.currency },
          reason: 'cancel (reconciliation)',
          merchant,
          ...(payment?.alipayTransactionId ? { alipayTransactionId: payment.alipayTransactionId } : {}),
        }),
      channel,
    );
    calls.push({ api: 'refund', requestId: refundRequestId, at: refundAt, outcome: refunded });
    return judgeRefund(refunded);
  }
}

function describe(verdict: CancelVerdict, calls: readonly CancelCall[]): string {
  const refunded = calls.some((c) => c.api === 'refund');
  switch (verdict.kind) {
    case 'confirmed':
      return refunded
        ? 'refunded in full (past the cancel window)'
        : `cancelled at Alipay${verdict.detail ? ` (${verdict.detail})` : ''}`;
    case 'absent':
      return 'Alipay no longer has the payment: nothing to cancel';
    case 'retry':
      return `no confirmation after ${DIRECT_ATTEMPTS} tries: ${verdict.detail}`;
    case 'hopeless':
      return verdict.detail;
    case 'refund-instead':
      return 'cancel refused as past its window';
    case 'verify':
      return verdict.detail;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
