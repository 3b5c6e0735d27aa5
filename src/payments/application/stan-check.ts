/** Looks up everything a terminal did with a STAN, payments and refunds alike, and classifies a new request. */
import { isFinal, type Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import { isRefundFinal } from '../domain/refund';
import { matchStan, type Fingerprint, type StanEntry, type StanMatch } from '../domain/retransmission';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';

export type StanItem = { type: 'payment'; payment: Payment } | { type: 'refund'; refund: Refund };

export class StanCheck {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
  ) {}

  async match(terminalId: string, stan: string, request: Fingerprint): Promise<StanMatch<StanItem>> {
    const [payments, refunds] = await Promise.all([
      this.payments.findByTerminalStan(terminalId, stan),
      this.refunds.findByTerminalStan(terminalId, stan),
    ]);
    const entries: StanEntry<StanItem>[] = [
      ...payments.map((payment) => ({
        item: { type: 'payment' as const, payment },
        fingerprint: { ...fingerprintOf(payment), paymentCodeHash: payment.paymentCodeHash },
        final: isFinal(payment),
      })),
      ...refunds.map((refund) => ({
        item: { type: 'refund' as const, refund },
        fingerprint: fingerprintOf(refund),
        final: isRefundFinal(refund),
      })),
    ];
    return matchStan(request, entries);
  }
}

function fingerprintOf(t: Payment | Refund): Fingerprint {
  return {
    localDateTime: t.localDateTime,
    requestMti: t.requestMti,
    processingCode: t.processingCode,
    amountMinor: t.amountMinor,
    currencyNumeric: t.currencyNumeric,
  };
}
