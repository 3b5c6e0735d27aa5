/**
 * Who may notify the switch, per channel: the Alipay identity a notification names (AMS client id, Open
 * Platform app_id, MAPI partner) mapped to the keys that verify it and the merchants sharing it. Held in
 * memory so a forged notification is refused on CPU alone; an unknown identity reloads the merchants at
 * most once per RELOAD_GAP_MS, so a flood of made-up identities cannot hammer the database.
 */
import type { KeyObject } from 'node:crypto';
import { loadPublicKey, type ChannelName, type NotifyKeys } from '@switch/alipay';
import { MerchantEntity } from '../persistence/entities';
import { sealedIn, type SecretBox } from '../persistence/secret-box';
import { SANDBOX_ENDPOINT, type StoredCredentials } from '../persistence/stored-credentials';
import type { UnitOfWork } from '../persistence/unit-of-work';

export interface AlipayIdentity {
  keys: NotifyKeys;
  merchantIds: string[];
  /** ISV-onboarded merchants under this identity, by their own Alipay id (auth_app_id, authClientId). */
  isvMerchants: Map<string, string>;
  /** MAPI: the gateway that answers notify_verify. */
  gatewayUrl?: string;
}

const MAX_AGE_MS = 30_000;
const RELOAD_GAP_MS = 2_000;

export class AlipayIdentities {
  private index = new Map<string, AlipayIdentity>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  // Parsed once per key text: reloads every 30 s must not re-parse every merchant's PEM.
  private readonly parsedKeys = new Map<string, KeyObject>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly sandboxUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  async find(channel: ChannelName, identity: string): Promise<AlipayIdentity | undefined> {
    const age = this.now() - this.loadedAt;
    const known = this.index.get(key(channel, identity));
    if (age > MAX_AGE_MS || (!known && age > RELOAD_GAP_MS)) await this.reload();
    return this.index.get(key(channel, identity));
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.uow.read((m) => m.find(MerchantEntity));
    const index = new Map<string, AlipayIdentity>();
    for (const row of rows) {
      const credentials = JSON.parse(this.secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(row.merchantId))) as StoredCredentials;
      const [identity, entry] = this.entryOf(row, credentials);
      const existing = index.get(key(credentials.channel, identity));
      const target = existing ?? entry;
      if (existing) existing.merchantIds.push(row.merchantId);
      else index.set(key(credentials.channel, identity), entry);
      if (credentials.channel !== 'mapi' && credentials.isvMerchantId)
        target.isvMerchants.set(credentials.isvMerchantId, row.merchantId);
    }
    this.index = index;
    this.loadedAt = this.now();
  }

  private publicKey(text: string): KeyObject {
    let parsed = this.parsedKeys.get(text);
    if (!parsed) {
      parsed = loadPublicKey(text);
      this.parsedKeys.set(text, parsed);
    }
    return parsed;
  }

  private entryOf(row: MerchantEntity, c: StoredCredentials): [string, AlipayIdentity] {
    const merchantIds = [row.merchantId];
    const isvMerchants = new Map<string, string>();
    switch (c.channel) {
      case 'ams':
        return [
          c.clientId,
          { keys: { alipayPublicKey: this.publicKey(c.alipayPublicKey) }, merchantIds, isvMerchants },
        ];
      case 'openapi':
        return [
          c.appId,
          { keys: { alipayPublicKey: this.publicKey(c.alipayPublicKey) }, merchantIds, isvMerchants },
        ];
      case 'mapi': {
        const keys: NotifyKeys = {
          ...(c.md5Key ? { md5Key: c.md5Key } : {}),
          ...(c.alipayPublicKey ? { alipayPublicKey: this.publicKey(c.alipayPublicKey) } : {}),
        };
        const gatewayUrl =
          row.endpoint === SANDBOX_ENDPOINT ? `${this.sandboxUrl}/mapi/gateway.do` : row.endpoint;
        return [c.partner, { keys, merchantIds, isvMerchants, gatewayUrl }];
      }
    }
  }
}

function key(channel: ChannelName, identity: string): string {
  return `${channel}:${identity}`;
}
