/**
 * Finds a terminal's earlier transactions: the one a refund, status inquiry or reversal names, by its RRN
 * (field 37) or original data elements (field 90), and everything that used a STAN (retransmission checks).
 */
import type { Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import type { StanItem, StanUses } from '../domain/retransmission';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';

export type OriginalReference =
  | { kind: 'rrn'; rrn: string }
  /** From field 90: the original's MTI, STAN and 'MMDDhhmmss'; it must come from the same terminal. */
  | { kind: 'data-elements'; mti: string; stan: string; localDateTime: string }
  /**
   * The legacy reversal convention: only the original's STAN (field 11 of the reversal), same terminal and
   * merchant; the most recent transaction with that STAN is meant.
   */
  | { kind: 'terminal-stan'; stan: string };

export class OriginalLocator {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
  ) {}

  /** Payments and refunds of this terminal with this STAN, for `matchStanUses`. */
  async usesOfStan(terminalId: string, stan: string): Promise<StanUses> {
    const [payments, refunds] = await Promise.all([
      this.payments.findByTerminalStan(terminalId, stan),
      this.refunds.findByTerminalStan(terminalId, stan),
    ]);
    return { payments, refunds };
  }

  /** Only transactions of `merchantId` (and, for field 90, of `terminalId`) are found. */
  async find(
    reference: OriginalReference,
    merchantId: string,
    terminalId: string,
  ): Promise<StanItem | undefined> {
    if (reference.kind === 'rrn') {
      const payment = await this.payments.findByRrn(merchantId, reference.rrn);
      if (payment) return { type: 'payment', payment };
      const refund = await this.refunds.findByRrn(merchantId, reference.rrn);
      return refund ? { type: 'refund', refund } : undefined;
    }
    if (reference.kind === 'terminal-stan') {
      const ofMerchant = (t: Payment | Refund): boolean => t.merchantId === merchantId;
      const [payment] = (await this.payments.findByTerminalStan(terminalId, reference.stan)).filter(
        ofMerchant,
      );
      const [refund] = (await this.refunds.findByTerminalStan(terminalId, reference.stan)).filter(ofMerchant);
      if (payment && (!refund || payment.createdAt.getTime() >= refund.createdAt.getTime())) {
        return { type: 'payment', payment };
      }
      return refund ? { type: 'refund', refund } : undefined;
    }
    const matches = (t: Payment | Refund): boolean =>
      t.merchantId === merchantId &&
      t.localDateTime === reference.localDateTime &&
      t.requestMti === reference.mti;
    const payment = (await this.payments.findByTerminalStan(terminalId, reference.stan)).find(matches);
    if (payment) return { type: 'payment', payment };
    const refund = (await this.refunds.findByTerminalStan(terminalId, reference.stan)).find(matches);
    return refund ? { type: 'refund', refund } : undefined;
  }
}
