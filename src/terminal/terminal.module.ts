import { Module } from '@nestjs/common';
import { NetworkManagementController } from './network-management.controller';
import { SessionRegistry } from './session-registry';

/**
 * The ISO handlers of the terminal gateway. The transport itself (`IsoServerStrategy`) is not a provider:
 * main.ts builds it with `createIsoServerStrategy(...)` and passes it to `connectMicroservice({ strategy })`.
 */
@Module({
  controllers: [NetworkManagementController],
  providers: [SessionRegistry],
  exports: [SessionRegistry],
})
export class TerminalModule {}
