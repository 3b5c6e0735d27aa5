/**
 * Answers 0100/0200 (and their repeats 0101/0201): parse, ask the engine, reply. The reply carries 37 (RRN),
 * 38 (approval code, on approval), 39, 44 (cashier text), 62 (Alipay's transaction id) and 63 (the
 * payment or refund request id) whenever the engine stored the transaction. When the reply is an
 * approval, whether it reached the terminal is reported back to the engine.
 */
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Field, type IsoMessage } from '@switch/iso8583';
import type { EngineAnswer } from '../application/commands';
import type { PaymentsEngine } from '../application/payments-engine';
import { describeError } from '../application/payment-timers';
import type { PaymentsLog } from '../application/ports/log.port';
import { PAYMENTS_ENGINE, PAYMENTS_LOG } from '../application/ports/tokens';
import { IsoPattern } from '../../terminal/iso-patterns';
import type { IsoRequest } from '../../terminal/iso-request';
import { replyTo } from '../../terminal/iso-reply';
import { parseFinancialRequest } from './financial-request';
import { isoAnswerFor } from './response-codes';

@Controller()
export class FinancialHandler {
  constructor(
    @Inject(PAYMENTS_ENGINE) private readonly engine: PaymentsEngine,
    @Inject(PAYMENTS_LOG) private readonly log: PaymentsLog,
  ) {}

  @MessagePattern([IsoPattern.Financial, IsoPattern.Authorization])
  async handle(@Payload() request: IsoRequest): Promise<IsoMessage> {
    let answer: EngineAnswer;
    try {
      answer = await this.answer(request);
    } catch (err) {
      this.log.error(
        { terminalId: request.terminal.terminalId, mti: request.message.mti, err: describeError(err) },
        'financial request failed',
      );
      answer = { outcome: { kind: 'system-error' } };
    }
    const approvalOf = answer.approvalOf;
    if (approvalOf) {
      void request.delivery.then(
        (delivered) => this.engine.recordDelivery(approvalOf, delivered),
        () => this.engine.recordDelivery(approvalOf, false),
      );
    }
    return this.reply(request.message, answer);
  }

  private async answer(request: IsoRequest): Promise<EngineAnswer> {
    const parsed = parseFinancialRequest(request);
    switch (parsed.kind) {
      case 'rejected':
        return { outcome: { kind: 'invalid', problem: parsed.problem } };
      case 'purchase':
        return this.engine.purchase.purchase(parsed.command);
      case 'refund':
        return this.engine.refund.refund(parsed.command);
      case 'inquiry':
        return this.engine.inquiry.inquire(parsed.command);
    }
  }

  private reply(message: IsoMessage, answer: EngineAnswer): IsoMessage {
    const { responseCode, cashierMessage } = isoAnswerFor(answer.outcome);
    const extra: Record<number, string> = { [Field.AdditionalResponseData]: cashierMessage };
    const receipt = 'receipt' in answer.outcome ? answer.outcome.receipt : undefined;
    if (receipt) {
      extra[Field.Rrn] = receipt.rrn;
      extra[Field.ReservedPrivate63] = receipt.requestId;
      if (receipt.alipayTransactionId) extra[Field.ReservedPrivate62] = receipt.alipayTransactionId;
      if (answer.outcome.kind === 'approved' && receipt.approvalCode)
        extra[Field.AuthorizationCode] = receipt.approvalCode;
    }
    const reply = replyTo(message, responseCode, extra);
    // The payment code never goes back to the terminal, even if a dialect would echo it.
    reply.delete(Field.AdditionalDataPrivate);
    return reply;
  }
}
