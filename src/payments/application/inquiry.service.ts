/**
 * A status inquiry (processing code 31) about an earlier payment or refund of this terminal's merchant.
 * A payment still in doubt is inquired at Alipay once to refresh it. An inquiry never changes a cancel
 * decision. An approval answered here counts as the approval reaching the terminal (its delivery is
 * reported like the original's), because from then on the terminal knows it was paid.
 */
import { isOpen, type Payment } from '../domain/payment';
import { matchStanUses } from '../domain/retransmission';
import { paymentAnswer, refundAnswer, type EngineAnswer, type InquiryCommand } from './commands';
import type { OriginalLocator } from './original-locator';
import type { InquiryResult, PaymentInquirer } from './payment-inquirer';
import { describeError } from './payment-timers';
import type { PaymentsLog } from './ports/log.port';

export class InquiryService {
  constructor(
    private readonly originals: OriginalLocator,
    private readonly inquirer: PaymentInquirer,
    private readonly log: PaymentsLog,
  ) {}

  async inquire(command: InquiryCommand): Promise<EngineAnswer> {
    // Inquiries are not stored, so their own STAN only matters when it collides with a live transaction.
    const uses = await this.originals.usesOfStan(command.terminalId, command.stan);
    const match = matchStanUses(
      {
      localDateTime: command.localDateTime,
      requestMti: command.requestMti,
      processingCode: command.processingCode,
      amountMinor: -1,
        currencyNumeric: '',
      },
      uses,
    );
    if (match.kind !== 'new') return { outcome: { kind: 'duplicate' } };

    const found = await this.originals.find(command.original, command.merchantId, command.terminalId);
    if (!found) return { outcome: { kind: 'original-not-found' } };
    if (found.type === 'refund') return refundAnswer(found.refund);

    let payment = found.payment;
    if (isOpen(payment)) {
      try {
        payment = (await this.inquirer.inquireOnce(payment)).payment;
      } catch (err) {
        this.log.warn(
          { paymentId: payment.id, err: describeError(err) },
          'refresh inquiry failed; answering from the stored state',
        );
      }
    }
    return paymentAnswer(payment, command.replyDeadlineAt);
  }

  /**
   * An operator's inquiry (admin API): Alipay is asked now whatever the payment's state, the call goes in
   * its history, and the answer is applied like any other (so it never undoes a cancel decision).
   */
  inquirePayment(payment: Payment): Promise<InquiryResult> {
    return this.inquirer.inquireOnce(payment);
  }
}
