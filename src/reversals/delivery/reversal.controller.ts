import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { IsoMessage } from '@switch/iso8583';
import { IsoPattern } from '../../terminal/iso-patterns';
import type { IsoRequest } from '../../terminal/iso-request';
import { ReversalHandler } from './reversal-handler';

/** 0400/0401 and 0420/0421. The logic lives in ReversalHandler and ReversalService. */
@Controller()
export class ReversalController {
  constructor(@Inject(ReversalHandler) private readonly handler: ReversalHandler) {}

  @MessagePattern(IsoPattern.Reversal)
  reversal(@Payload() request: IsoRequest): Promise<IsoMessage> {
    return this.handler.handle(request);
  }

  @MessagePattern(IsoPattern.ReversalAdvice)
  advice(@Payload() request: IsoRequest): Promise<IsoMessage> {
    return this.handler.handle(request);
  }
}
