import { Field } from '@switch/iso8583';
import { loadConfig } from '../../../src/config/app-config';
import { IsvTokens } from '../../../src/notifications/isv/isv-tokens';
import { NotificationLog } from '../../../src/notifications/notification-log';
import { MerchantEntity } from '../../../src/persistence/entities';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { loadPrivateKey, loadSandboxCredentials, openapiNotifySignContent, rsaSign } from '@switch/alipay';
import { eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import { freePort } from '../../support/free-port';
import { notifyingEnv, paymentRow, sendNotification } from './notify-helpers';

const ISV = {
  openapi: {
    merchantId: 'MERCHANT0000004',
    terminalId: 'TERM0031',
    alipayMerchant: '2021000000000004',
    tradeMerchant: 'STORE-004',
    tokenError: 'aop.invalid-app-auth-token',
  },
  ams: {
    merchantId: 'MERCHANT0000005',
    terminalId: 'TERM0041',
    alipayMerchant: 'SANDBOX_5Y00000000000005',
    tradeMerchant: 'MERCHANT0000005',
    tokenError: 'INVALID_ACCESS_TOKEN',
  },
} as const;

interface IsvSent {
  protocol: string;
  merchant: string;
  action: string;
  httpStatus?: number;
  reply?: string;
}

describe('ISV-onboarded merchants (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;
  let deadUrl: string;

  beforeAll(async () => {
    // Tokens due within 2 s are refreshed (checked every second).
    sut = await startTestSwitch('mysql', await notifyingEnv({ ISV_TOKEN_REFRESH_LEAD_MS: '2000' }));
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
    deadUrl = `http://127.0.0.1:${await freePort()}`;
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  const notifyUrl = (protocol: string): string =>
    `http://127.0.0.1:${sut.config.notifications.port}/notifications/${protocol}`;

  async function buy(
    protocol: keyof typeof ISV,
  ): Promise<{ code: string | undefined; id: string | undefined }> {
    const stan = nextStan();
    const reply = await client.send(
      purchase({
        terminalId: ISV[protocol].terminalId,
        merchantId: ISV[protocol].merchantId,
        stan,
        amountMinor: 1200,
        paymentCode: paymentCode('000'),
      }),
    );
    const row = await paymentRow(sut, { terminalId: ISV[protocol].terminalId, stan });
    return { code: reply.get(Field.ResponseCode), id: row?.paymentRequestId };
  }

  /** The calls the sandbox saw for an id, whether or not it became a payment there. */
  async function callsOf(id: string): Promise<Array<{ api: string; resultCode: string }>> {
    const response = await fetch(`${sut.sandboxUrl}/sandbox/payments/${encodeURIComponent(id)}`);
    return ((await response.json()) as { calls: Array<{ api: string; resultCode: string }> }).calls;
  }

  async function isv(
    action: 'authorize' | 'revoke',
    protocol: keyof typeof ISV,
    url: string,
    extra: object = {},
  ): Promise<void> {
    const before = await isvSent();
    const response = await fetch(`${sut.sandboxUrl}/sandbox/isv/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        protocol,
        merchant: ISV[protocol].alipayMerchant,
        notifyUrl: url,
        tradeMerchant: ISV[protocol].tradeMerchant,
        ...extra,
      }),
    });
    expect(response.status).toBe(202);
    await eventually(async () => ((await isvSent()).length > before.length ? true : undefined));
  }

  async function isvSent(): Promise<IsvSent[]> {
    const response = await fetch(`${sut.sandboxUrl}/sandbox/isv`);
    return ((await response.json()) as { notifications: IsvSent[] }).notifications;
  }

  async function storedToken(merchantId: string): Promise<string | undefined> {
    const row = await sut.running.dataSource.getRepository(MerchantEntity).findOneByOrFail({ merchantId });
    const box = new SecretBox(loadConfig({}).secrets.dataEncryptionKey);
    return row.agentTokenSealed ? box.openText(row.agentTokenSealed, sealedIn.merchantAgentToken(merchantId)) : undefined;
  }

  describe.each(['openapi', 'ams'] as const)('%s', (protocol) => {
    it('answers 58 until authorized, approves with the token on every call, and 58 again after revocation', async () => {
      expect((await buy(protocol)).code).toBe('58');

      await isv('authorize', protocol, notifyUrl(protocol));
      const [authorized] = (await isvSent()).slice(-1);
      expect(authorized.httpStatus).toBe(200);
      expect(authorized.reply).toMatch(protocol === 'ams' ? /"resultStatus":"S"/ : /^success$/);
      const approved = await buy(protocol);
      expect(approved.code).toBe('00');
      if (protocol === 'openapi') {
        // Its notifications name the merchant as seller_id; another seller is refused.
        const sent = await sendNotification(sut.sandboxUrl, 'openapi', approved.id!, 'wrong-seller');
        expect(sent[0]).toMatchObject({ outcome: 'rejected', reply: 'fail' });
        expect((await sendNotification(sut.sandboxUrl, 'openapi', approved.id!, 'valid'))[0].outcome).toBe(
          'acknowledged',
        );
      }
      const token = await storedToken(ISV[protocol].merchantId);
      expect(token).toBeTruthy();
      if (protocol === 'ams') {
        const pay = (await sandboxPayment(sut.sandboxUrl, approved.id!))!.calls.find((c) => c.api === 'pay');
        expect(pay?.headers['agent-token']).toBe(token);
      }

      // Alipay withdraws the token but the switch does not hear of it: Alipay refuses the call, which
      // proves the call carried the (now dead) token. The terminal hears "not authorized" (58).
      await isv('revoke', protocol, deadUrl);
      const refused = await buy(protocol);
      expect(refused.code).toBe('58');
      expect((await callsOf(refused.id!))[0]?.resultCode).toBe(ISV[protocol].tokenError);

      // Authorized again (Open Platform: only the code is pushed; the switch exchanges it with token.app).
      await isv('authorize', protocol, notifyUrl(protocol), protocol === 'openapi' ? { mode: 'code' } : {});
      expect((await buy(protocol)).code).toBe('00');
      const second = await storedToken(ISV[protocol].merchantId);
      expect(second).toBeTruthy();
      expect(second).not.toBe(token);

      // The merchant withdraws; the switch is told, and the very next purchase gets 58 without reaching Alipay.
      await isv('revoke', protocol, notifyUrl(protocol));
      const [revoked] = (await isvSent()).slice(-1);
      expect(revoked.httpStatus).toBe(200);
      expect(await storedToken(ISV[protocol].merchantId)).toBeUndefined();
      expect((await buy(protocol)).code).toBe('58');

      // Tokens are never logged, kept in clear, or answered.
      const logs = sut.logs.join('\n');
      const entries = JSON.stringify(await sut.running.app.get(NotificationLog).list({ channel: protocol }));
      for (const value of [token!, second!]) {
        expect(logs).not.toContain(value);
        expect(entries).not.toContain(value);
      }
      const row = await sut.running.dataSource.query('SELECT * FROM isv_tokens');
      expect(JSON.stringify(row)).not.toContain(second!);
    });
  });

  it('keeps the authorization with the latest auth_time when an older notification arrives late', async () => {
    await isv('authorize', 'openapi', notifyUrl('openapi'));
    expect((await buy('openapi')).code).toBe('00');
    const token = await storedToken(ISV.openapi.merchantId);
    // A genuine (Alipay-signed) authorization from an hour ago, delivered now.
    const sandbox = loadSandboxCredentials();
    const params: Record<string, string> = {
      notify_id: `late${Date.now()}`,
      notify_type: 'open_app_auth_notify',
      app_id: sandbox.openapi.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      biz_content: JSON.stringify({
        detail: {
          auth_app_id: ISV.openapi.alipayMerchant,
          auth_time: Date.now() - 3_600_000,
          app_auth_token: 'OLDTOKEN0001',
        },
      }),
    };
    params.sign = rsaSign(openapiNotifySignContent(params), loadPrivateKey(sandbox.openapi.alipayPrivateKey));
    const response = await fetch(notifyUrl('openapi'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect(await storedToken(ISV.openapi.merchantId)).toBe(token);
    const entry = (await sut.running.app.get(NotificationLog).list({ channel: 'openapi' })).find(
      (e) => e.notifyId === params.notify_id,
    );
    expect(entry).toMatchObject({ kind: 'app-auth', outcome: 'ignored', verification: 'valid' });
  });

  it('an AMS agent token that expires unannounced leaves the merchant unauthorized: 58 again', async () => {
    await isv('authorize', 'ams', notifyUrl('ams'), { expiresInSeconds: 6 });
    const tokens = sut.running.app.get(IsvTokens);
    expect(await tokens.status(ISV.ams.merchantId)).toMatchObject({ status: 'valid', channel: 'ams' });
    expect((await buy('ams')).code).toBe('00');
    // No revocation is sent: the expiry alone withdraws it (the sweep runs every second here).
    await eventually(async () => {
      const now = await tokens.status(ISV.ams.merchantId);
      return now?.status === 'revoked' ? now : undefined;
    }, 20_000);
    expect(await storedToken(ISV.ams.merchantId)).toBeUndefined();
    expect((await buy('ams')).code).toBe('58');
  });

  it('refreshes an Open Platform token before it expires (grant refresh_token) and keeps serving the merchant', async () => {
    await isv('authorize', 'openapi', notifyUrl('openapi'), { expiresInSeconds: 4 });
    const first = await storedToken(ISV.openapi.merchantId);
    expect(first).toBeTruthy();
    const refreshed = await eventually(async () => {
      const now = await storedToken(ISV.openapi.merchantId);
      return now && now !== first ? now : undefined;
    }, 10_000);
    expect(refreshed).not.toBe(first);
    // On demand too (what ops' "refresh" does); the status never shows the token.
    const tokens = sut.running.app.get(IsvTokens);
    expect(await tokens.refresh(ISV.openapi.merchantId)).toBe(true);
    const status = await tokens.status(ISV.openapi.merchantId);
    expect(status).toMatchObject({ status: 'valid', channel: 'openapi', hasRefreshToken: true });
    expect(JSON.stringify(status)).not.toContain(refreshed);
    // The sandbox no longer knows the first token: an approval now proves the refreshed one is sent.
    expect((await buy('openapi')).code).toBe('00');
    expect(sut.logs.join('\n')).not.toContain(refreshed);
  });
});
