/** The merchant a REST receipt is printed for (name and time zone), from the catalogue the engine routes by. */
import type { MerchantChannels } from '../../payments/application/ports/merchant-channels.port';
import { receiptMerchant, type ReceiptMerchant } from '../../payments/domain/receipt';

export class ReceiptMerchants {
  constructor(private readonly merchants: MerchantChannels) {}

  async of(payment: { merchantId: string; terminalId: string }): Promise<ReceiptMerchant> {
    return receiptMerchant((await this.merchants.route(payment.merchantId, payment.terminalId))?.merchant);
  }
}
