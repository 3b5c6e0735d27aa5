import { loadSandboxCredentials } from '@switch/alipay';
import { EntityManager } from 'typeorm';
import { ChannelName, MerchantEntity, TerminalEntity } from '../entities';
import { SecretBox, sealedIn } from '../secret-box';
import { SANDBOX_ENDPOINT, StoredCredentials } from '../stored-credentials';
import { UnitOfWork } from '../unit-of-work';

interface DemoMerchant {
  merchantId: string;
  name: string;
  channel: ChannelName;
  firstTerminal: number;
  /** ISV-onboarded: unauthorized until the merchant's token arrives (see src/notifications/isv). */
  isvMerchantId?: string;
}

// One demo merchant per Alipay API family, each with ten terminals, all pointed at the sandbox.
const DEMO_MERCHANTS: readonly DemoMerchant[] = [
  { merchantId: 'MERCHANT0000001', name: 'Demo Store AMS', channel: 'ams', firstTerminal: 1 },
  { merchantId: 'MERCHANT0000002', name: 'Demo Store Open Platform', channel: 'openapi', firstTerminal: 11 },
  { merchantId: 'MERCHANT0000003', name: 'Demo Store MAPI', channel: 'mapi', firstTerminal: 21 },
  { merchantId: 'MERCHANT0000004', name: 'Demo ISV Store Open Platform', channel: 'openapi', firstTerminal: 31, isvMerchantId: '2021000000000004' },
  { merchantId: 'MERCHANT0000005', name: 'Demo ISV Store AMS', channel: 'ams', firstTerminal: 41, isvMerchantId: 'SANDBOX_5Y00000000000005' },
];

export function demoCredentials(channel: ChannelName): StoredCredentials {
  const sandbox = loadSandboxCredentials();
  switch (channel) {
    case 'ams':
      return {
        channel,
        clientId: sandbox.ams.clientId,
        merchantPrivateKey: sandbox.ams.merchantPrivateKey,
        alipayPublicKey: sandbox.ams.alipayPublicKey,
        keyVersion: sandbox.ams.keyVersion,
      };
    case 'openapi':
      return {
        channel,
        appId: sandbox.openapi.appId,
        merchantPrivateKey: sandbox.openapi.merchantPrivateKey,
        alipayPublicKey: sandbox.openapi.alipayPublicKey,
      };
    case 'mapi':
      return { channel, partner: sandbox.mapi.partner, signType: 'MD5', md5Key: sandbox.mapi.md5Key };
  }
}

/** Inserts what is missing and leaves existing rows (and ops' edits to them) alone. */
export async function seedDemoData(
  uow: UnitOfWork,
  secrets: SecretBox,
  merchantTimeoutMs: number,
): Promise<void> {
  await uow.run(async (manager) => {
    const now = new Date();
    for (const demo of DEMO_MERCHANTS) {
      await insertMerchantIfMissing(manager, secrets, demo, now);
      for (let n = demo.firstTerminal; n < demo.firstTerminal + 10; n++) {
        const terminalId = `TERM${String(n).padStart(4, '0')}`;
        if (await manager.existsBy(TerminalEntity, { terminalId })) continue;
        await manager.insert(TerminalEntity, {
          terminalId,
          merchantId: demo.merchantId,
          // The listener refuses a terminal on the other dialect's port, so each merchant has both kinds.
          dialect: n - demo.firstTerminal < 5 ? 'ascii' : 'nac-bcd',
          status: 'active',
          merchantTimeoutMs,
          macKeySealed: null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
      }
    }
  });
}

async function insertMerchantIfMissing(
  manager: EntityManager,
  secrets: SecretBox,
  demo: DemoMerchant,
  now: Date,
) {
  if (await manager.existsBy(MerchantEntity, { merchantId: demo.merchantId })) return;
  await manager.insert(MerchantEntity, {
    merchantId: demo.merchantId,
    name: demo.name,
    mcc: '5812',
    storeId: `STORE-${demo.merchantId.slice(-3)}`,
    storeName: `${demo.name} Flagship`,
    channel: demo.channel,
    endpoint: SANDBOX_ENDPOINT,
    credentialsSealed: secrets.seal(
      JSON.stringify({ ...demoCredentials(demo.channel), ...(demo.isvMerchantId ? { isvMerchantId: demo.isvMerchantId } : {}) }),
      sealedIn.merchantCredentials(demo.merchantId),
    ),
    agentTokenSealed: null,
    status: 'active',
    // The demo stores share one city: receipts print its local time.
    timeZone: 'Asia/Shanghai',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}
