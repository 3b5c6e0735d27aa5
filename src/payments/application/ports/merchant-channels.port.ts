/**
 * Merchants and their Alipay channels: who the merchant is at Alipay, which channel (AMS, Open Platform or
 * MAPI adapter, with the merchant's credentials) it routes to, and as whom a terminal of it calls.
 */
import type { MerchantContext, WalletChannel } from '@switch/alipay';
import type { MerchantLimits } from '../../domain/merchant-limits';
import type { ChannelName } from '../../domain/payment';

export interface MerchantProfile {
  merchantId: string; // field 42
  merchantName: string;
  mcc: string;
  storeId: string;
  storeName: string;
  channel: ChannelName;
  /** A suspended merchant takes no new payment; its existing ones are still inquired, refunded and cancelled. */
  status: 'active' | 'suspended';
  /** ISV credentials, decrypted in memory only; never logged. */
  agentToken?: string;
  appAuthToken?: string;
  /** Where Alipay should send notifyPayment for this merchant, if anywhere. */
  notifyUrl?: string;
  /** The merchant's own limits; absent: none (switch-wide settings still apply). */
  limits?: MerchantLimits;
  /** IANA time zone of the merchant's clock (receipts print local time); unset: the caller's default. */
  timeZone?: string;
}

/** Everything one Alipay call for a merchant's terminal needs. */
export interface MerchantRoute {
  merchant: MerchantProfile;
  channel: WalletChannel;
  context: MerchantContext;
}

export interface MerchantChannels {
  /** The merchant, its channel and the call context for `terminalId`, in one call; undefined when unknown. */
  route(merchantId: string, terminalId: string): Promise<MerchantRoute | undefined>;
}

/** The merchant as Alipay sees it on a call from `terminalId`. */
export function merchantContext(merchant: MerchantProfile, terminalId: string): MerchantContext {
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
  return context;
}
