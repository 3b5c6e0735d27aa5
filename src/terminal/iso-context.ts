import { BaseRpcContext } from '@nestjs/microservices';
import type { DialectName } from '@switch/iso8583';

/** What `@Ctx()` gives an ISO handler: the pattern it was dispatched on and where the request came from. */
export class IsoContext extends BaseRpcContext<[pattern: string, connectionId: string, dialect: DialectName]> {
  getPattern(): string {
    return this.args[0];
  }
  getConnectionId(): string {
    return this.args[1];
  }
  getDialect(): DialectName {
    return this.args[2];
  }
}
