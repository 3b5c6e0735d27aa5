import { randomInt, randomUUID } from 'node:crypto';
import { SandboxProtocol } from './protocol';
import { beijingDay } from './wire-time';

// Alipay's numbers are a date, a product/channel tag and a sequence. The shapes below follow that
// pattern: AMS paymentId 32 digits, Open Platform trade_no 28 digits, MAPI alipay_trans_id 28 digits.
const TRANSACTION_TAG: Readonly<Record<SandboxProtocol, { tag: string; seqDigits: number }>> = {
  ams: { tag: '114010800100', seqDigits: 12 },
  openapi: { tag: '22001', seqDigits: 15 },
  mapi: { tag: '11001004', seqDigits: 12 },
};

/** Unique numbers for one sandbox process; a random start keeps restarts from reusing recent ones. */
export class SandboxIds {
  private sequence = randomInt(1, 1_000_000) * 100_000;

  transactionId(protocol: SandboxProtocol, at: Date): string {
    const { tag, seqDigits } = TRANSACTION_TAG[protocol];
    return `${beijingDay(at)}${tag}${this.next(seqDigits)}`;
  }

  refundId(at: Date): string {
    return `${beijingDay(at)}114010800200${this.next(12)}`;
  }

  notifyId(): string {
    return randomUUID().replace(/-/g, '');
  }

  private next(digits: number): string {
    this.sequence += 1;
    return String(this.sequence).padStart(digits, '0').slice(-digits);
  }
}
