/** In-memory MerchantChannels: merchants by id, one channel instance per channel name. */
import type { WalletChannel } from '@switch/alipay';
import type { ChannelName } from '../domain/payment';
import {
  merchantContext,
  type MerchantChannels,
  type MerchantProfile,
  type MerchantRoute,
} from '../application/ports/merchant-channels.port';

export class InMemoryMerchantChannels implements MerchantChannels {
  private readonly merchants = new Map<string, MerchantProfile>();

  constructor(
    private readonly channels: Partial<Record<ChannelName, WalletChannel>>,
    merchants: MerchantProfile[] = [],
  ) {
    for (const merchant of merchants) this.put(merchant);
  }

  put(merchant: MerchantProfile): void {
    this.merchants.set(merchant.merchantId, { ...merchant });
  }

  async route(merchantId: string, terminalId: string): Promise<MerchantRoute | undefined> {
    const found = this.merchants.get(merchantId);
    if (!found) return undefined;
    const channel = this.channels[found.channel];
    if (!channel) throw new Error(`no ${found.channel} channel configured`);
    return { merchant: { ...found }, channel, context: merchantContext(found, terminalId) };
  }
}

export function demoMerchant(overrides: Partial<MerchantProfile> = {}): MerchantProfile {
  return {
    merchantId: 'M00000000000001',
    merchantName: 'Demo Coffee',
    mcc: '5814',
    storeId: 'S001',
    storeName: 'Demo Coffee Central',
    channel: 'ams',
    status: 'active',
    ...overrides,
  };
}
