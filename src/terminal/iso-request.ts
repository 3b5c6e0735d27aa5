import type { DialectName, IsoMessage } from '@switch/iso8583';
import type { TerminalRecord } from './terminal-directory.port';

/** The payload every ISO handler receives: a decoded, terminal-checked, MAC-verified request. */
export interface IsoRequest {
  readonly message: IsoMessage;
  readonly terminal: TerminalRecord;
  readonly dialect: DialectName;
  readonly receivedAt: Date;
  /** receivedAt + terminal.merchantTimeoutMs (epoch ms): nothing is sent to the terminal after it. */
  readonly deadlineAt: number;
  /** MTI last digit 1 (0201, 0401, 0421): a retransmission. */
  readonly repeat: boolean;
  readonly connectionId: string;
  /** Settles once the reply was written to the socket (true) or dropped (false: deadline passed, connection gone, write failed). */
  readonly delivery: Promise<boolean>;
}
