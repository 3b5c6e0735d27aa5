/**
 * Where ISV tokens live: the token sealed in merchants.agent_token_sealed (what trade calls read), and
 * its authorization in isv_tokens (auth_time, expiry, sealed refresh token, status). Both change in one
 * transaction; values are sealed with DATA_ENCRYPTION_KEY and never leave this class in clear but to
 * the caller that must send them to Alipay.
 */
import type { ChannelName } from '@switch/alipay';
import { MerchantEntity } from '../../persistence/entities';
import { sealedIn, type SecretBox } from '../../persistence/secret-box';
import { dateFrom, utcText, type ColumnValue } from '../../persistence/sql';
import type { StoredCredentials } from '../../persistence/stored-credentials';
import type { UnitOfWork } from '../../persistence/unit-of-work';

export interface IsvGrant {
  token: string;
  refreshToken?: string;
  userId?: string;
  authTime: number;
  expiresAt?: Date;
  refreshExpiresAt?: Date;
}

export interface IsvAuthorization {
  merchantId: string;
  channel: ChannelName;
  status: 'valid' | 'revoked';
  authTime: number;
  userId?: string;
  expiresAt?: Date;
  hasRefreshToken: boolean;
}

export class IsvTokenStore {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
  ) {}

  async current(merchantId: string): Promise<IsvAuthorization | undefined> {
    const rows = await this.uow.read<Array<Record<string, ColumnValue>>>((m) =>
      m.query('SELECT * FROM isv_tokens WHERE merchant_id = ?', [merchantId]),
    );
    return rows[0] ? toAuthorization(rows[0]) : undefined;
  }

  /** Valid authorizations with an expiry before `before` (due for refresh, or expired). */
  async expiringBefore(before: Date): Promise<IsvAuthorization[]> {
    const rows = await this.uow.read<Array<Record<string, ColumnValue>>>((m) =>
      m.query(
        "SELECT * FROM isv_tokens WHERE status = 'valid' AND expires_at IS NOT NULL AND expires_at <= ?",
        [utcText(before)],
      ),
    );
    return rows.map(toAuthorization);
  }

  async merchantsWithOtherUser(userId: string): Promise<Set<string>> {
    const rows = await this.uow.read<Array<{ merchant_id: string }>>((m) =>
      m.query(
        "SELECT merchant_id FROM isv_tokens WHERE status = 'valid' AND user_id IS NOT NULL AND user_id <> ?",
        [userId],
      ),
    );
    return new Set(rows.map((r) => r.merchant_id));
  }

  async refreshTokenOf(merchantId: string): Promise<string | undefined> {
    const rows = await this.uow.read<Array<{ refresh_sealed: string | null }>>((m) =>
      m.query('SELECT refresh_sealed FROM isv_tokens WHERE merchant_id = ?', [merchantId]),
    );
    const sealed = rows[0]?.refresh_sealed;
    return sealed ? this.secrets.openText(sealed, sealedIn.isvRefreshToken(merchantId)) : undefined;
  }

  async credentialsOf(
    merchantId: string,
  ): Promise<{ credentials: StoredCredentials; endpoint: string } | undefined> {
    const row = await this.uow.read((m) => m.findOneBy(MerchantEntity, { merchantId }));
    if (!row) return undefined;
    return {
      credentials: JSON.parse(this.secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(merchantId))) as StoredCredentials,
      endpoint: row.endpoint,
    };
  }

  async save(merchantId: string, channel: ChannelName, grant: IsvGrant, now: Date): Promise<void> {
    await this.uow.run(async (m) => {
      await m.update(
        MerchantEntity,
        { merchantId },
        { agentTokenSealed: this.secrets.seal(grant.token, sealedIn.merchantAgentToken(merchantId)), updatedAt: now },
      );
      await m.query('DELETE FROM isv_tokens WHERE merchant_id = ?', [merchantId]);
      await m.query(
        `INSERT INTO isv_tokens (merchant_id, channel, status, auth_time, user_id, refresh_sealed, expires_at, refresh_expires_at, updated_at)
         VALUES (?, ?, 'valid', ?, ?, ?, ?, ?, ?)`,
        [
          merchantId,
          channel,
          grant.authTime,
          grant.userId ?? null,
          grant.refreshToken ? this.secrets.seal(grant.refreshToken, sealedIn.isvRefreshToken(merchantId)) : null,
          grant.expiresAt ? utcText(grant.expiresAt) : null,
          grant.refreshExpiresAt ? utcText(grant.refreshExpiresAt) : null,
          utcText(now),
        ],
      );
    });
  }

  async revoke(merchantId: string, channel: ChannelName, authTime: number, now: Date): Promise<void> {
    await this.uow.run(async (m) => {
      await m.update(MerchantEntity, { merchantId }, { agentTokenSealed: null, updatedAt: now });
      await m.query('DELETE FROM isv_tokens WHERE merchant_id = ?', [merchantId]);
      await m.query(
        `INSERT INTO isv_tokens (merchant_id, channel, status, auth_time, updated_at) VALUES (?, ?, 'revoked', ?, ?)`,
        [merchantId, channel, authTime, utcText(now)],
      );
    });
  }
}

function toAuthorization(r: Record<string, ColumnValue>): IsvAuthorization {
  return {
    merchantId: String(r.merchant_id),
    channel: String(r.channel) as ChannelName,
    status: r.status === 'valid' ? 'valid' : 'revoked',
    authTime: Number(r.auth_time),
    ...(r.user_id ? { userId: String(r.user_id) } : {}),
    ...(r.expires_at ? { expiresAt: dateFrom(r.expires_at) } : {}),
    hasRefreshToken: Boolean(r.refresh_sealed),
  };
}
