import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MerchantEntity, TerminalEntity } from '../../src/persistence/entities';
import { SecretBox, sealedIn } from '../../src/persistence/secret-box';

/** Keys that are not the demo ones: what a production environment is given. */
export function productionSecrets(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PAYMENT_CODE_HASH_KEY: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SEED_DEMO_DATA: 'false',
    ALIPAY_SANDBOX: 'off',
  };
}

/** One AMS merchant with its own (freshly generated) keys at Antom's https endpoint, and one terminal. */
export async function insertProductionMerchant(
  dataSource: DataSource,
  secrets: SecretBox,
  terminal: Partial<TerminalEntity> = {},
  merchant: Partial<MerchantEntity> = {},
): Promise<void> {
  const pem = (key: { export(o: object): string | Buffer }, type: string) => key.export({ type, format: 'pem' }).toString();
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = new Date();
  const merchantId = merchant.merchantId ?? 'MERCHANTPROD001';
  await dataSource.getRepository(MerchantEntity).insert({
    merchantId,
    name: 'Production Store',
    mcc: '5812',
    storeId: 'STORE-P1',
    storeName: 'Production Store',
    channel: 'ams',
    endpoint: 'https://open-sea-global.alipay.com',
    credentialsSealed: secrets.seal(
      JSON.stringify({
        channel: 'ams',
        clientId: 'SANDBOX_5YAB2N3C4D5E6F7',
        merchantPrivateKey: pem(merchantKeys.privateKey, 'pkcs8'),
        alipayPublicKey: pem(alipayKeys.publicKey, 'spki'),
      }),
      sealedIn.merchantCredentials(merchant.merchantId ?? 'MERCHANTPROD001'),
    ),
    agentTokenSealed: null,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...merchant,
  });
  await dataSource.getRepository(TerminalEntity).insert({
    terminalId: 'TERMPROD',
    merchantId,
    dialect: 'ascii',
    status: 'active',
    merchantTimeoutMs: 4_000,
    macKeySealed: null,
    allowedNetworks: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...terminal,
  });
}
