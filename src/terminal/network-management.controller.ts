import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { IsoMessage } from '@switch/iso8583';
import type { IsoRequest } from './iso-request';
import { IsoPattern } from './iso-patterns';
import { handleNetworkManagement } from './network-management';
import { SessionRegistry } from './session-registry';

/** 0800 sign-on / sign-off / echo. One line: the logic lives in `handleNetworkManagement`. */
@Controller()
export class NetworkManagementController {
  constructor(private readonly sessions: SessionRegistry) {}

  @MessagePattern(IsoPattern.NetworkManagement)
  async handle(@Payload() request: IsoRequest): Promise<IsoMessage> {
    return handleNetworkManagement(request, this.sessions);
  }
}
