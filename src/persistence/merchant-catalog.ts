import { ChannelConfig, createChannel, WalletChannel } from '@switch/alipay';
import type { Logger } from '../logging/logger';
import {
  merchantContext,
  type MerchantChannels,
  type MerchantProfile,
  type MerchantRoute,
} from '../payments/application/ports';
import type { MerchantLimits } from '../payments/domain/merchant-limits';
import { MerchantEntity } from './entities';
import { SecretBox, sealedIn } from './secret-box';
import { SANDBOX_ENDPOINT, StoredCredentials } from './stored-credentials';
import { UnitOfWork } from './unit-of-work';

const CACHE_TTL_MS = 30_000;

export interface MerchantCatalogOptions {
  /** Where merchants whose endpoint is "sandbox" are sent. */
  sandboxUrl: string;
  alipayCallTimeoutMs: number;
  /** Base URL Alipay notifications reach this switch at, if it is reachable. */
  notifyBaseUrl?: string;
  /** Why a stored endpoint may not be called (production: https on ALIPAY_ENDPOINT_HOSTS), or undefined. */
  endpointProblem?: (endpoint: string) => string | undefined;
  log?: Pick<Logger, 'error'>;
  /** Wraps every channel built (metrics); the identity when absent. */
  decorateChannel?: (channel: WalletChannel) => WalletChannel;
}

interface CachedMerchant {
  profile: MerchantProfile;
  channel: WalletChannel;
  rowVersion: number;
  expiresAt: number;
}

/**
 * Merchant profiles and their Alipay channels, built from the merchants table. A channel holds parsed
 * keys and a keep-alive HTTP agent, so it is built once per merchant row version and reused.
 */
export class MerchantCatalog implements MerchantChannels {
  private readonly cache = new Map<string, CachedMerchant>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly options: MerchantCatalogOptions,
  ) {}

  async findMerchant(merchantId: string): Promise<MerchantProfile | undefined> {
    const cached = this.cache.get(merchantId);
    if (cached && cached.expiresAt > Date.now()) return cached.profile;
    const row = await this.uow.read((m) => m.findOneBy(MerchantEntity, { merchantId }));
    if (!row) return undefined;
    // Rows change at runtime (ops, the admin API): the start-up check alone would not keep a bad endpoint out.
    const endpointProblem = this.options.endpointProblem?.(row.endpoint);
    if (endpointProblem) {
      this.options.log?.error({ merchantId, reason: endpointProblem }, 'merchant refused: Alipay endpoint not allowed');
      return undefined;
    }
    const profile = this.toProfile(row);
    const channel = cached?.rowVersion === row.version ? cached.channel : this.buildChannel(row);
    this.cache.set(merchantId, {
      profile,
      channel,
      rowVersion: row.version,
      expiresAt: Date.now() + CACHE_TTL_MS,
    });
    return profile;
  }

  async route(merchantId: string, terminalId: string): Promise<MerchantRoute | undefined> {
    const merchant = await this.findMerchant(merchantId);
    const channel = merchant && this.cache.get(merchantId)?.channel;
    if (!merchant || !channel) return undefined;
    return { merchant, channel, context: merchantContext(merchant, terminalId) };
  }

  forget(merchantId?: string): void {
    if (merchantId === undefined) this.cache.clear();
    else this.cache.delete(merchantId);
  }

  private toProfile(row: MerchantEntity): MerchantProfile {
    const token = row.agentTokenSealed ? this.secrets.openText(row.agentTokenSealed, sealedIn.merchantAgentToken(row.merchantId)) : undefined;
    // An ISV-onboarded merchant without its token is not authorized: no new payment until one arrives.
    const unauthorized = token === undefined && this.isIsvMerchant(row);
    return {
      merchantId: row.merchantId,
      merchantName: row.name,
      mcc: row.mcc,
      storeId: row.storeId,
      storeName: row.storeName,
      channel: row.channel,
      status: unauthorized ? 'suspended' : row.status,
      agentToken: row.channel === 'ams' ? token : undefined,
      appAuthToken: row.channel === 'openapi' ? token : undefined,
      notifyUrl: this.options.notifyBaseUrl
        ? `${this.options.notifyBaseUrl}/notifications/${row.channel}`
        : undefined,
      limits: merchantLimitsOf(row),
      timeZone: this.timeZoneOf(row),
    };
  }

  /** A name Intl does not know would break every receipt of the merchant: left out (callers' default) and logged. */
  private timeZoneOf(row: MerchantEntity): string | undefined {
    if (!row.timeZone) return undefined;
    try {
      new Intl.DateTimeFormat('en', { timeZone: row.timeZone });
      return row.timeZone;
    } catch {
      this.options.log?.error({ merchantId: row.merchantId, timeZone: row.timeZone }, 'merchant time zone unknown; receipts use the default');
      return undefined;
    }
  }

  private buildChannel(row: MerchantEntity): WalletChannel {
    const channel = createChannel(this.channelConfig(row));
    return this.options.decorateChannel ? this.options.decorateChannel(channel) : channel;
  }

  private isIsvMerchant(row: MerchantEntity): boolean {
    const credentials = this.credentialsOf(row);
    return credentials.channel !== 'mapi' && credentials.isvMerchantId !== undefined;
  }

  private credentialsOf(row: MerchantEntity): StoredCredentials {
    return JSON.parse(this.secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(row.merchantId))) as StoredCredentials;
  }

  private channelConfig(row: MerchantEntity): ChannelConfig {
    const credentials = this.credentialsOf(row);
    const timeoutMs = this.options.alipayCallTimeoutMs;
    const sandbox = row.endpoint === SANDBOX_ENDPOINT;
    switch (credentials.channel) {
      case 'ams':
        return { ...credentials, timeoutMs, baseUrl: sandbox ? this.options.sandboxUrl : row.endpoint };
      case 'openapi':
        return {
          ...credentials,
          timeoutMs,
          gatewayUrl: sandbox ? `${this.options.sandboxUrl}/gateway.do` : row.endpoint,
        };
      case 'mapi':
        return {
          ...credentials,
          timeoutMs,
          gatewayUrl: sandbox ? `${this.options.sandboxUrl}/mapi/gateway.do` : row.endpoint,
        };
    }
  }
}

/** The row's limits with NULLs left out: a NULL column is no limit of the merchant's own. */
export function merchantLimitsOf(row: MerchantEntity): MerchantLimits {
  return {
    ...(row.purchaseMaxMinor !== null ? { purchaseMaxMinor: row.purchaseMaxMinor } : {}),
    ...(row.refundDailyMaxMinor !== null ? { refundDailyMaxMinor: row.refundDailyMaxMinor } : {}),
    ...(row.refundDailyMaxCount !== null ? { refundDailyMaxCount: row.refundDailyMaxCount } : {}),
  };
}
