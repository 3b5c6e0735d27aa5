/**
 * Merchants: their channel, store data, endpoint and status, and their Alipay credentials, which are
 * write-only (sealed with DATA_ENCRYPTION_KEY; reads show whether they are set and a fingerprint). Every
 * change drops the merchant from the catalog's cache, so the next payment uses it without a restart.
 */
import { ChannelConfigError, createChannel, type ChannelConfig } from '@switch/alipay';
import { MerchantEntity, PaymentEntity, TerminalEntity } from '../../persistence/entities';
import type { MerchantCatalog } from '../../persistence/merchant-catalog';
import { sealedIn, type SecretBox } from '../../persistence/secret-box';
import type { StoredCredentials } from '../../persistence/stored-credentials';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditTrail } from '../audit/audit-trail';
import { conflict, unprocessable } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import { CatalogWrites } from './catalog-writes';
import { fingerprint } from './key-ids';
import { checkLimits, limitsView } from './merchant-limits';

export type ChannelName = StoredCredentials['channel'];
export type MerchantStatus = MerchantEntity['status'];

export interface MerchantFields {
  name?: string;
  mcc?: string;
  storeId?: string;
  storeName?: string;
  endpoint?: string;
  status?: MerchantStatus;
  /** IANA name (checked by the DTO): the local time printed on receipts. */
  timeZone?: string;
  /** Only the limits named change; null clears one. Checked here (400 naming the bad ones). */
  limits?: Record<string, unknown>;
}

export interface NewMerchant extends Required<Omit<MerchantFields, 'status' | 'limits' | 'timeZone'>> {
  merchantId: string;
  status?: MerchantStatus;
  timeZone?: string;
  limits?: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

// The fields each channel's credentials may carry; anything else is refused rather than stored unseen.
const CREDENTIAL_FIELDS: Record<ChannelName, { required: string[]; optional: string[] }> = {
  ams: { required: ['clientId', 'merchantPrivateKey', 'alipayPublicKey'], optional: ['keyVersion'] },
  openapi: { required: ['appId', 'merchantPrivateKey', 'alipayPublicKey'], optional: ['signType'] },
  mapi: { required: ['partner', 'signType'], optional: ['md5Key', 'merchantPrivateKey', 'alipayPublicKey'] },
};

export function merchantView(row: MerchantEntity, secrets: SecretBox) {
  return {
    merchantId: row.merchantId,
    name: row.name,
    mcc: row.mcc,
    storeId: row.storeId,
    storeName: row.storeName,
    channel: row.channel,
    endpoint: row.endpoint,
    status: row.status,
    timeZone: row.timeZone,
    limits: limitsView(row),
    credentials: { set: true, keyId: fingerprint(secrets.open(row.credentialsSealed, sealedIn.merchantCredentials(row.merchantId))) },
    agentToken: { set: row.agentTokenSealed !== null },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export class Merchants {
  readonly rows: CatalogWrites<MerchantEntity, ReturnType<typeof merchantView>>;

  constructor(
    uow: UnitOfWork,
    audit: AuditTrail,
    private readonly secrets: SecretBox,
    private readonly catalog: MerchantCatalog,
  ) {
    this.rows = new CatalogWrites(uow, audit, {
      entity: MerchantEntity,
      key: 'merchantId',
      column: 'merchant_id',
      kind: 'merchant',
      view: (row) => merchantView(row, secrets),
    });
  }

  async create(fields: NewMerchant, actor: AdminActor) {
    const credentials = checkCredentials(fields.credentials);
    const limits = checkLimits(fields.limits ?? {});
    const now = new Date();
    const view = await this.rows.insert(fields.merchantId, 'merchant.create', actor, async (m) => {
      if (await m.existsBy(MerchantEntity, { merchantId: fields.merchantId })) throw conflict(`merchant ${fields.merchantId} exists`);
      const row = m.create(MerchantEntity, {
        merchantId: fields.merchantId,
        name: fields.name,
        mcc: fields.mcc,
        storeId: fields.storeId,
        storeName: fields.storeName,
        channel: credentials.channel,
        endpoint: fields.endpoint,
        credentialsSealed: this.secrets.seal(JSON.stringify(credentials), sealedIn.merchantCredentials(fields.merchantId)),
        agentTokenSealed: null,
        status: fields.status ?? 'active',
        timeZone: fields.timeZone ?? 'UTC',
        purchaseMaxMinor: limits.purchaseMaxMinor ?? null,
        refundDailyMaxMinor: limits.refundDailyMaxMinor ?? null,
        refundDailyMaxCount: limits.refundDailyMaxCount ?? null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await m.insert(MerchantEntity, row);
      return row;
    });
    this.catalog.forget(fields.merchantId);
    return view;
  }

  async update(merchantId: string, fields: MerchantFields, actor: AdminActor) {
    const { limits, ...plain } = fields;
    const changes = { ...definedOnly(plain), ...(limits !== undefined ? checkLimits(limits) : {}) };
    const view = await this.rows.write(merchantId, 'merchant.update', actor, async (m, row) => {
      const next = { ...row, ...changes, updatedAt: new Date(), version: row.version + 1 };
      await m.update(MerchantEntity, { merchantId }, { ...changes, updatedAt: next.updatedAt, version: next.version });
      return next;
    });
    this.catalog.forget(merchantId);
    return view;
  }

  /** Sets the channel with the credentials: they only make sense together. */
  async putCredentials(merchantId: string, given: Record<string, unknown>, actor: AdminActor) {
    const credentials = checkCredentials(given);
    const view = await this.rows.write(merchantId, 'merchant.credentials', actor, async (m, row) => {
      const changes = { channel: credentials.channel, credentialsSealed: this.secrets.seal(JSON.stringify(credentials), sealedIn.merchantCredentials(merchantId)), updatedAt: new Date(), version: row.version + 1 };
      await m.update(MerchantEntity, { merchantId }, changes);
      return { ...row, ...changes };
    });
    this.catalog.forget(merchantId);
    return view;
  }

  async remove(merchantId: string, actor: AdminActor): Promise<void> {
    await this.rows.write(merchantId, 'merchant.delete', actor, async (m) => {
      if (await m.existsBy(TerminalEntity, { merchantId })) throw conflict('the merchant has terminals: delete or move them first (or suspend the merchant)');
      if (await m.existsBy(PaymentEntity, { merchantId })) throw conflict('the merchant has payments on record: suspend it instead');
      await m.delete(MerchantEntity, { merchantId });
      return undefined;
    });
    this.catalog.forget(merchantId);
  }
}

/** Only the channel's own fields, all text, and keys that parse: a bad key is refused here, not mid-payment. */
function checkCredentials(given: Record<string, unknown>): StoredCredentials {
  const channel = given.channel;
  if (channel !== 'ams' && channel !== 'openapi' && channel !== 'mapi')
    throw unprocessable('credentials.channel must be ams, openapi or mapi');
  const { required, optional } = CREDENTIAL_FIELDS[channel];
  const problems = [
    ...required.filter((f) => typeof given[f] !== 'string' || given[f] === '').map((f) => `credentials.${f} is required`),
    ...Object.keys(given).filter((f) => f !== 'channel' && !required.includes(f) && !optional.includes(f)).map((f) => `credentials.${f} is not a ${channel} credential`),
    ...optional.filter((f) => given[f] !== undefined && typeof given[f] !== 'string').map((f) => `credentials.${f} must be text`),
  ];
  if (problems.length > 0) throw unprocessable(problems.join('; '));
  const credentials = given as unknown as StoredCredentials;
  try {
    const probe = { ...credentials, timeoutMs: 1_000, baseUrl: 'https://127.0.0.1', gatewayUrl: 'https://127.0.0.1' };
    createChannel(probe as unknown as ChannelConfig);
  } catch (err) {
    // Only our own configuration errors are quoted: a parser's message could echo key material.
    throw unprocessable(`the credentials do not work: ${err instanceof ChannelConfigError ? err.message : 'a key cannot be parsed'}`);
  }
  return credentials;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
