/**
 * A terminal's reversal (0400) or reversal advice (0420): find the purchase it names and have it cancelled,
 * or, when the switch has not seen that purchase, keep the reversal so the purchase is never paid.
 *
 * Whatever it answers, it answers after the decision is durable: the payment's CANCEL_REQUESTED state and
 * its cancel order are written in one transaction by the payments engine, an early reversal is a row of
 * its own. Repeats (0401, 0421) find the same payment already being cancelled, or the same stored
 * reversal, and change nothing.
 */
import { randomUUID } from 'node:crypto';
import type { CancellationService } from '../../payments/application/cancellation.service';
import type { OriginalLocator } from '../../payments/application/original-locator';
import type { Clock } from '../../payments/application/ports/clock.port';
import type { StanItem } from '../../payments/domain/retransmission';
import { LEGACY_MATCH_WINDOW_MS, type EarlyReversal } from '../domain/early-reversal';
import type { EarlyReversalStore } from './ports/early-reversal.store.port';

export interface ReversalCommand {
  readonly terminalId: string;
  /** Field 42, already checked against the terminal's merchant. */
  readonly merchantId: string;
  /** '0400' or '0420' (repeat digit cleared). */
  readonly reversalMti: string;
  /** Field 11: the original's STAN in the legacy convention. */
  readonly stan: string;
  /** Field 90 when sent; `localDateTime` is left out when the terminal sent zeros (unknown). */
  readonly original?: { readonly mti: string; readonly stan: string; readonly localDateTime?: string };
  /** Fields 13 + 12 of the reversal itself, '' when absent. */
  readonly localDateTime: string;
  readonly amountMinor?: number;
  readonly currencyNumeric?: string;
  readonly receivedAt: Date;
}

export type ReversalOutcome =
  /** The payment is being cancelled (or is cancelled); `repeat` when an earlier reversal or timeout asked first. */
  | { readonly kind: 'accepted'; readonly paymentId: string; readonly repeat: boolean }
  /** The original was declined: nothing was taken, nothing to cancel. */
  | { readonly kind: 'nothing-to-cancel'; readonly paymentId: string }
  /** The original has not been seen: the reversal is stored and the original will not be paid. */
  | { readonly kind: 'stored-early'; readonly repeat: boolean }
  /** The original is a refund: Alipay has no cancel for it. */
  | { readonly kind: 'not-reversible' };

export class ReversalService {
  constructor(
    private readonly originals: OriginalLocator,
    private readonly cancellation: CancellationService,
    private readonly early: EarlyReversalStore,
    private readonly clock: Clock,
  ) {}

  async reverse(command: ReversalCommand): Promise<ReversalOutcome> {
    const found = await this.findOriginal(command);
    if (found) return this.cancel(found);

    const { reversal, repeat } = await this.early.store(this.earlyReversal(command));
    // Look again: the purchase may have been stored between the first look and this store. The purchase
    // service checks for stored reversals after its own insert, so one side always sees the other.
    const late = await this.findOriginal(command);
    if (!late) return { kind: 'stored-early', repeat };
    if (late.type === 'payment') await this.early.bind(reversal.id, late.payment.id, this.clock.now());
    return this.cancel(late);
  }

  private async cancel(original: StanItem): Promise<ReversalOutcome> {
    if (original.type === 'refund') return { kind: 'not-reversible' };
    const result = await this.cancellation.requestCancel(original.payment.id, 'terminal-reversal');
    switch (result.kind) {
      case 'requested':
        return { kind: 'accepted', paymentId: result.payment.id, repeat: false };
      case 'already':
        return { kind: 'accepted', paymentId: result.payment.id, repeat: true };
      case 'not-needed':
        return { kind: 'nothing-to-cancel', paymentId: result.payment.id };
      case 'not-found':
      case 'not-a-payment':
        // The payment was just read; it cannot vanish or change type.
        throw new Error(`cancel of payment ${original.payment.id} answered ${result.kind}`);
    }
  }

  private async findOriginal(command: ReversalCommand): Promise<StanItem | undefined> {
    const { original, merchantId, terminalId } = command;
    if (original?.localDateTime !== undefined) {
      return this.originals.find(
        {
          kind: 'data-elements',
          mti: original.mti,
          stan: original.stan,
          localDateTime: original.localDateTime,
        },
        merchantId,
        terminalId,
      );
    }
    const found = await this.originals.find(
      { kind: 'terminal-stan', stan: original?.stan ?? command.stan },
      merchantId,
      terminalId,
    );
    if (!found) return undefined;
    // STANs wrap: with nothing but the STAN, only a recent transaction can be the one meant.
    const createdAt = found.type === 'payment' ? found.payment.createdAt : found.refund.createdAt;
    return command.receivedAt.getTime() - createdAt.getTime() <= LEGACY_MATCH_WINDOW_MS ? found : undefined;
  }

  private earlyReversal(command: ReversalCommand): EarlyReversal {
    const { original } = command;
    return {
      id: randomUUID(),
      terminalId: command.terminalId,
      merchantId: command.merchantId,
      originalStan: original?.stan ?? command.stan,
      ...(original !== undefined ? { originalMti: original.mti } : {}),
      ...(original?.localDateTime !== undefined ? { originalLocalDateTime: original.localDateTime } : {}),
      reversalMti: command.reversalMti,
      reversalLocalDateTime: command.localDateTime,
      ...(command.amountMinor !== undefined ? { amountMinor: command.amountMinor } : {}),
      ...(command.currencyNumeric !== undefined ? { currencyNumeric: command.currencyNumeric } : {}),
      receivedAt: command.receivedAt,
    };
  }
}
