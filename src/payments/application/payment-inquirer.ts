/** One inquiry at Alipay about a payment, applied to the payment and recorded in its history. */
import type { ChannelOutcome } from '@switch/alipay';
import { newApprovalCode } from '../domain/identifiers';
import type { Payment } from '../domain/payment';
import type { RandomBytes } from '../domain/random';
import { callChannel, eventFromInquiry } from './channel-events';
import { alipayCall } from './history';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { PaymentsLog } from './ports/log.port';
import type { MerchantChannels } from './ports/merchant-channels.port';

export interface InquiryResult {
  /** The payment after the answer was applied (unchanged if the merchant is gone). */
  payment: Payment;
  /** Alipay does not know the paymentRequestId (the pay never landed, or has not yet). */
  notFound: boolean;
  /** What Alipay answered; undefined when it was not asked (merchant unknown). */
  outcome?: ChannelOutcome;
}

export class PaymentInquirer {
  constructor(
    private readonly merchants: MerchantChannels,
    private readonly transitions: PaymentTransitions,
    private readonly clock: Clock,
    private readonly log: PaymentsLog,
    private readonly random?: RandomBytes,
  ) {}

  /** `asOwner`: the owner's own inquiry, refused (NotOwnerError) once another instance took the payment over. */
  async inquireOnce(payment: Payment, asOwner = false): Promise<InquiryResult> {
    const route = await this.merchants.route(payment.merchantId, payment.terminalId);
    if (!route) {
      this.log.warn(
        { paymentId: payment.id, merchantId: payment.merchantId },
        'cannot inquire: merchant unknown',
      );
      return { payment, notFound: false };
    }
    const at = this.clock.now();
    const outcome = await callChannel(
      (channel) => channel.inquire({ paymentRequestId: payment.paymentRequestId, merchant: route.context }),
      route.channel,
    );
    const event = eventFromInquiry(outcome, () => newApprovalCode(this.random));
    const history = [alipayCall({ paymentId: payment.id }, at, 'inquire', payment.paymentRequestId, outcome)];
    const applied = asOwner
      ? await this.transitions.applyAsOwner(payment.id, event, history)
      : await this.transitions.apply(payment.id, event, history);
    return {
      payment: applied.payment,
      notFound: outcome.kind === 'failure' && outcome.reason === 'not-found',
      outcome,
    };
  }
}
