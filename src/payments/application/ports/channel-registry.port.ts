/** The WalletChannel (AMS, Open Platform or MAPI adapter, with the merchant's credentials) for a merchant. */
import type { WalletChannel } from '@switch/alipay';
import type { MerchantProfile } from './merchant-directory.port';

export interface ChannelRegistry {
  channelFor(merchant: MerchantProfile): WalletChannel;
}
