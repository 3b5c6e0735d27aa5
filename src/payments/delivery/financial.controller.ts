import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { IsoMessage } from '@switch/iso8583';
import { IsoPattern } from '../../terminal/iso-patterns';
import type { IsoRequest } from '../../terminal/iso-request';
import { FinancialHandler } from './financial-handler';

/** 0100 and 0200 (and their repeats): purchase, refund, status inquiry. The logic lives in FinancialHandler. */
@Controller()
export class FinancialController {
  constructor(@Inject(FinancialHandler) private readonly handler: FinancialHandler) {}

  @MessagePattern(IsoPattern.Financial)
  financial(@Payload() request: IsoRequest): Promise<IsoMessage> {
    return this.handler.handle(request);
  }

  @MessagePattern(IsoPattern.Authorization)
  authorization(@Payload() request: IsoRequest): Promise<IsoMessage> {
    return this.handler.handle(request);
  }
}
