/** Merchant profiles: who the merchant is at Alipay and which channel it routes to. */
import type { ChannelName } from '../../domain/payment';

export interface MerchantProfile {
  merchantId: string; // field 42
  merchantName: string;
  mcc: string;
  storeId: string;
  storeName: string;
  channel: ChannelName;
  status: 'active' | 'suspended';
  /** ISV credentials, decrypted in memory only; never logged. */
  agentToken?: string;
  appAuthToken?: string;
  /** Where Alipay should send notifyPayment for this merchant, if anywhere. */
  notifyUrl?: string;
}

export interface MerchantDirectory {
  findMerchant(merchantId: string): Promise<MerchantProfile | undefined>;
}
