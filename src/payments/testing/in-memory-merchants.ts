/** In-memory MerchantDirectory and ChannelRegistry. */
import type { WalletChannel } from '@switch/alipay';
import type { ChannelName } from '../domain/payment';
import type { ChannelRegistry } from '../application/ports/channel-registry.port';
import type { MerchantDirectory, MerchantProfile } from '../application/ports/merchant-directory.port';

export class InMemoryMerchantDirectory implements MerchantDirectory {
  private readonly merchants = new Map<string, MerchantProfile>();

  constructor(merchants: MerchantProfile[] = []) {
    for (const merchant of merchants) this.put(merchant);
  }

  put(merchant: MerchantProfile): void {
    this.merchants.set(merchant.merchantId, { ...merchant });
  }

  async findMerchant(merchantId: string): Promise<MerchantProfile | undefined> {
    const found = this.merchants.get(merchantId);
    return found ? { ...found } : undefined;
  }
}

/** One channel instance per channel name, shared by every merchant routed to it. */
export class StaticChannelRegistry implements ChannelRegistry {
  constructor(private readonly channels: Partial<Record<ChannelName, WalletChannel>>) {}

  channelFor(merchant: MerchantProfile): WalletChannel {
    const channel = this.channels[merchant.channel];
    if (!channel) throw new Error(`no ${merchant.channel} channel configured`);
    return channel;
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
