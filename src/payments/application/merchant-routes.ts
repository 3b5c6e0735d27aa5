/** Finds who to call at Alipay, and as whom, for a merchant's terminal. */
import type { MerchantContext, WalletChannel } from '@switch/alipay';
import type { ChannelName } from '../domain/payment';
import type { ChannelRegistry } from './ports/channel-registry.port';
import type { MerchantDirectory, MerchantProfile } from './ports/merchant-directory.port';

export interface MerchantRoute {
  merchant: MerchantProfile;
  channel: WalletChannel;
  context: MerchantContext;
}

export class MerchantRoutes {
  constructor(
    private readonly merchants: MerchantDirectory,
    private readonly channels: ChannelRegistry,
  ) {}

  /**
   * The route for a merchant; `pinnedChannel` keeps an existing payment on the channel it was paid through
   * even if the merchant has since moved. Undefined when the merchant is unknown, or suspended and
   * `forNewPayment`.
   */
  async find(
    merchantId: string,
    terminalId: string,
    options: { pinnedChannel?: ChannelName; forNewPayment?: boolean } = {},
  ): Promise<MerchantRoute | undefined> {
    const found = await this.merchants.findMerchant(merchantId);
    if (!found) return undefined;
    if (options.forNewPayment && found.status !== 'active') return undefined;
    const merchant = options.pinnedChannel ? { ...found, channel: options.pinnedChannel } : found;
    const context: MerchantContext = {
      merchantId: merchant.merchantId,
      merchantName: merchant.merchantName,
      mcc: merchant.mcc,
      storeId: merchant.storeId,
      storeName: merchant.storeName,
      terminalId,
    };
    if (merchant.agentToken !== undefined) context.agentToken = merchant.agentToken;
    if (merchant.appAuthToken !== undefined) context.appAuthToken = merchant.appAuthToken;
    return { merchant, channel: this.channels.channelFor(merchant), context };
  }
}
