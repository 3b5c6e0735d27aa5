/**
 * ISV token messages, already verified as coming from Alipay for the sender's identity:
 * - Open Platform open_app_auth_notify: the merchant app authorized ours; keep the token of the latest
 *   auth_time (a late, older notification changes nothing). A notification carrying only the
 *   app_auth_code is exchanged with alipay.open.auth.token.app (grant authorization_code).
 * - alipay.open.auth.appauth.cancelled: the merchant withdrew it; from the next message on its
 *   terminals get 58.
 * - AMS agent-token notification: the merchant's Agent-Token; one already expired means "not authorized".
 * Tokens before their expiry are refreshed (grant refresh_token) by `refreshDue`.
 */
import {
  requestAppAuthToken,
  type AppAuthGrant,
  type AppAuthTokens,
  type ChannelName,
  type Notice,
  type PaymentResultNotice,
} from '@switch/alipay';
import type { Logger } from '../../logging/logger';
import type { MerchantCatalog } from '../../persistence/merchant-catalog';
import { SANDBOX_ENDPOINT } from '../../persistence/stored-credentials';
import type { AlipayIdentity } from '../alipay-identities';
import type { TokenNoticeHandler } from '../notification-intake';
import type { IsvAuthorization, IsvGrant, IsvTokenStore } from './isv-token-store';

type TokenNotice = Exclude<Notice, PaymentResultNotice>;

export class IsvTokens implements TokenNoticeHandler {
  constructor(
    private readonly store: IsvTokenStore,
    private readonly catalog: Pick<MerchantCatalog, 'forget'>,
    private readonly sandboxUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async take(channel: ChannelName, notice: TokenNotice, sender: AlipayIdentity): Promise<string> {
    const isvMerchantId = notice.kind === 'agent-token' ? notice.authClientId : notice.authAppId;
    const merchantId = sender.isvMerchants.get(isvMerchantId);
    if (!merchantId) return 'refused';
    const current = await this.store.current(merchantId);
    const authTime = notice.authTime ?? this.now().getTime();
    if (current && current.authTime > authTime) return 'ignored';
    const now = this.now();
    switch (notice.kind) {
      case 'app-auth-cancelled':
        await this.revoke(merchantId, channel, authTime);
        return 'applied';
      case 'agent-token':
        if (notice.expiresAt && notice.expiresAt <= now) {
          await this.revoke(merchantId, channel, authTime);
          return 'applied';
        }
        await this.keep(merchantId, channel, {
          token: notice.accessToken,
          authTime,
          ...(notice.expiresAt ? { expiresAt: notice.expiresAt } : {}),
        });
        return 'applied';
      case 'app-auth': {
        const tokens: AppAuthTokens | undefined = notice.appAuthToken
          ? { ...notice, appAuthToken: notice.appAuthToken }
          : notice.appAuthCode
            ? await this.exchange(merchantId, { grantType: 'authorization_code', code: notice.appAuthCode })
            : undefined;
        if (!tokens) return 'refused';
        await this.keep(merchantId, channel, grantFrom(tokens, authTime, now));
        return 'applied';
      }
    }
  }

  merchantsSellingAsOtherThan(sellerId: string): Promise<Set<string>> {
    return this.store.merchantsWithOtherUser(sellerId);
  }

  /** Refreshes Open Platform tokens expiring within `leadMs`; a token that cannot be refreshed and has expired is dropped. */
  async refreshDue(leadMs: number): Promise<void> {
    const now = this.now();
    for (const due of await this.store.expiringBefore(new Date(now.getTime() + leadMs))) {
      if (!(await this.refreshOne(due)) && due.expiresAt && due.expiresAt <= now)
        await this.revoke(due.merchantId, due.channel, due.authTime);
    }
  }

  /** For ops (the admin API): the merchant's authorization, never its token. */
  status(merchantId: string): Promise<IsvAuthorization | undefined> {
    return this.store.current(merchantId);
  }

  /** A refresh on demand (Open Platform tokens with a refresh token); false when there is nothing to refresh with. */
  async refresh(merchantId: string): Promise<boolean> {
    const current = await this.store.current(merchantId);
    return current?.status === 'valid' ? this.refreshOne(current) : false;
  }

  private async refreshOne(due: IsvAuthorization): Promise<boolean> {
    const refreshToken =
      due.channel === 'openapi' ? await this.store.refreshTokenOf(due.merchantId) : undefined;
    const tokens = refreshToken
      ? await this.exchange(due.merchantId, { grantType: 'refresh_token', refreshToken })
      : undefined;
    if (!tokens) return false;
    const now = this.now();
    await this.keep(due.merchantId, due.channel, grantFrom(tokens, now.getTime(), now));
    return true;
  }

  private async exchange(merchantId: string, grant: AppAuthGrant): Promise<AppAuthTokens | undefined> {
    const found = await this.store.credentialsOf(merchantId);
    if (found?.credentials.channel !== 'openapi') return undefined;
    const { credentials, endpoint } = found;
    const result = await requestAppAuthToken(
      {
        ...credentials,
        gatewayUrl: endpoint === SANDBOX_ENDPOINT ? `${this.sandboxUrl}/gateway.do` : endpoint,
        timeoutMs: this.timeoutMs,
      },
      grant,
      this.now(),
    );
    if (!result.ok) {
      this.logger.warn(
        { merchantId, grantType: grant.grantType, code: result.code },
        'app auth token request failed',
      );
      return undefined;
    }
    return result.tokens;
  }

  private async keep(merchantId: string, channel: ChannelName, grant: IsvGrant): Promise<void> {
    await this.store.save(merchantId, channel, grant, this.now());
    this.catalog.forget(merchantId);
    this.logger.info(
      { merchantId, channel, authTime: grant.authTime, expiresAt: grant.expiresAt },
      'isv token stored',
    );
  }

  private async revoke(merchantId: string, channel: ChannelName, authTime: number): Promise<void> {
    await this.store.revoke(merchantId, channel, authTime, this.now());
    this.catalog.forget(merchantId);
    this.logger.info({ merchantId, channel, authTime }, 'isv authorization withdrawn');
  }
}

function grantFrom(t: AppAuthTokens, authTime: number, now: Date): IsvGrant {
  const at = (seconds?: number): Date | undefined =>
    seconds !== undefined ? new Date(now.getTime() + seconds * 1000) : undefined;
  const expiresAt = at(t.expiresInSeconds);
  const refreshExpiresAt = at(t.reExpiresInSeconds);
  return {
    token: t.appAuthToken,
    authTime,
    ...(t.appRefreshToken ? { refreshToken: t.appRefreshToken } : {}),
    ...(t.userId ? { userId: t.userId } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(refreshExpiresAt ? { refreshExpiresAt } : {}),
  };
}
