import type { DialectName } from '@switch/iso8583';
import type { SourceNetworks } from './source-networks';

/** What the listener needs to know about a terminal; the lead's persistence layer provides it. */
export interface TerminalRecord {
  terminalId: string;
  merchantId: string;
  dialect: DialectName;
  status: 'active' | 'suspended';
  merchantTimeoutMs: number;
  /** 16 bytes, already decrypted; when set, requests must carry a valid field-64 MAC and replies get one. */
  macKey?: Buffer;
  /** When set, frames from any other source address are refused (58) before the MAC is checked. */
  allowedNetworks?: SourceNetworks;
}

export interface TerminalDirectory {
  find(terminalId: string): Promise<TerminalRecord | undefined>;
}

export const TERMINAL_DIRECTORY = Symbol('TERMINAL_DIRECTORY');
