/**
 * Answers 0400/0401 with 0410 and 0420/0421 with 0430, only after the reversal is stored (see
 * ReversalService). 39 = 00 whenever it is stored: the original is being cancelled, was declined (nothing
 * to cancel, said in 44), or has not been seen (stored; it will not be paid). The reply echoes 4, 11, 41,
 * 42, 49 and 90 (replyTo). 12 for the reversal of a refund, 30 for a format error, 58 for a merchant that is
 * not the terminal's, 96 when nothing could be stored (the terminal sends its advice again).
 */
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Field, type IsoMessage } from '@switch/iso8583';
import { IsoPattern } from '../../terminal/iso-patterns';
import { replyTo, ResponseCode } from '../../terminal/iso-reply';
import type { IsoRequest } from '../../terminal/iso-request';
import type { ReversalsLog } from '../application/ports/reversals-log.port';
import { REVERSALS_LOG } from '../application/ports/tokens';
import { ReversalService, type ReversalOutcome } from '../application/reversal.service';
import { parseReversalRequest } from './reversal-request';

@Controller()
export class ReversalHandler {
  constructor(
    @Inject(ReversalService) private readonly reversals: ReversalService,
    @Inject(REVERSALS_LOG) private readonly log: ReversalsLog,
  ) {}

  @MessagePattern([IsoPattern.Reversal, IsoPattern.ReversalAdvice])
  async handle(@Payload() request: IsoRequest): Promise<IsoMessage> {
    const parsed = parseReversalRequest(request);
    if (parsed.kind === 'rejected') {
      return parsed.problem === 'format'
        ? reply(request.message, ResponseCode.FormatError, 'Format error')
        : reply(request.message, ResponseCode.NotPermittedToTerminal, 'Merchant not permitted');
    }
    let outcome: ReversalOutcome;
    try {
      outcome = await this.reversals.reverse(parsed.command);
    } catch (err) {
      this.log.error(
        {
          terminalId: request.terminal.terminalId,
          mti: request.message.mti,
          err: err instanceof Error ? err.message : String(err),
        },
        'reversal could not be stored',
      );
      return reply(request.message, ResponseCode.SystemError, 'System error');
    }
    this.log.info(
      {
        terminalId: request.terminal.terminalId,
        mti: request.message.mti,
        stan: parsed.command.stan,
        outcome: outcome.kind,
      },
      'reversal answered',
    );
    return reply(request.message, ...answerFor(outcome));
  }
}

export function answerFor(outcome: ReversalOutcome): [responseCode: string, cashierMessage: string] {
  switch (outcome.kind) {
    case 'accepted':
      return [ResponseCode.Approved, 'Reversal accepted'];
    case 'nothing-to-cancel':
      return [ResponseCode.Approved, 'Original declined'];
    case 'stored-early':
      return [ResponseCode.Approved, 'Reversal stored'];
    case 'not-reversible':
      return [ResponseCode.InvalidTransaction, 'Invalid transaction'];
  }
}

function reply(message: IsoMessage, responseCode: string, cashierMessage: string): IsoMessage {
  const answer = replyTo(message, responseCode, { [Field.AdditionalResponseData]: cashierMessage });
  // A reversal carries no payment code, but a terminal might put one in 48: it never goes back.
  answer.delete(Field.AdditionalDataPrivate);
  return answer;
}
