/**
 * Counts the terminal gateway's answers by request MTI and response code: two map reads and a plain-number
 * increment per message (count-cells.ts); no label text is built or hashed per message.
 */
import { Field, type IsoMessage } from '@switch/iso8583';
import type { IsoReplyObserver } from '../../terminal/iso-reply-observer';
import type { SwitchMetrics } from './switch-metrics';

/** 91 on a purchase or refund: the engine stopped waiting for Alipay at the terminal's merchant timeout. */
const IN_DOUBT = '91';
/** Processing code 31 is a status inquiry, whose 91 means "still in doubt", not a timeout of its own. */
const STATUS_INQUIRY = '31';

export class IsoReplyMeter implements IsoReplyObserver {
  private readonly answeredInDoubt: { inc(): void };
  private readonly replyDropped: { inc(): void };

  constructor(private readonly metrics: SwitchMetrics) {
    this.answeredInDoubt = metrics.merchantTimeouts.labels('answered-in-doubt');
    this.replyDropped = metrics.merchantTimeouts.labels('reply-dropped');
  }

  replied(request: IsoMessage, responseCode: string): void {
    const mti = request.mti;
    this.metrics.isoReplies.cell(mti, responseCode).n += 1;
    if (responseCode === IN_DOUBT && isFinancial(mti) && !isStatusInquiry(request))
      this.answeredInDoubt.inc();
  }

  deadlinePassed(request: IsoMessage): void {
    if (isFinancial(request.mti)) this.replyDropped.inc();
  }
}

/** Authorisations and financial requests (01xx, 02xx); reversals and network messages have no merchant timeout. */
function isFinancial(mti: string): boolean {
  return mti.startsWith('01') || mti.startsWith('02');
}

function isStatusInquiry(request: IsoMessage): boolean {
  try {
    return request.get(Field.ProcessingCode)?.startsWith(STATUS_INQUIRY) ?? false;
  } catch {
    return false;
  }
}
