import { Field } from '@switch/iso8583';
import {
  amsSignContent,
  formatAmsSignatureHeader,
  loadPrivateKey,
  loadSandboxCredentials,
  mapiMd5Sign,
  openapiNotifySignContent,
  rsaSign,
} from '@switch/alipay';
import { NotificationLog } from '../../../src/notifications/notification-log';
import { MerchantEntity } from '../../../src/persistence/entities';
import { SECRET_BOX } from '../../../src/persistence/persistence.tokens';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { demoCredentials } from '../../../src/persistence/seed/demo-data';
import { SANDBOX_ENDPOINT, type StoredCredentials } from '../../../src/persistence/stored-credentials';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, eventually, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import { notifyingEnv, paymentRow, purchaseInDoubt, REPLIES } from './notify-helpers';

/**
 * Notifications signed with Alipay's real keys that name the wrong merchant identity (AMS client id, Open
 * Platform app_id, MAPI partner), and MAPI notifications whose MD5 is right but whose notify id the gateway
 * never sent. Each message is built here, field by field, and a control built the same way with the right
 * identity (MAPI: a notify id the gateway did send) settles the payment: so only the identity, or
 * notify_verify, is what refuses the others.
 */
const sandbox = loadSandboxCredentials();
const OTHER = {
  ams: { merchantId: 'MERCHANT0000097', identity: 'SANDBOX_5Y00000000000097' },
  openapi: { merchantId: 'MERCHANT0000098', identity: '2021000000000098' },
  mapi: { merchantId: 'MERCHANT0000099', identity: '2088000000000099' },
} as const;
const GENUINE = { ams: sandbox.ams.clientId, openapi: sandbox.openapi.appId, mapi: sandbox.mapi.partner };

type Channel = keyof typeof OTHER;

interface Claim {
  identity: string;
  paymentRequestId: string;
  amountMinor: number;
  currency: string;
  notifyId: string;
}

describe('notifications naming the wrong merchant identity, and MAPI notify_verify (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', await notifyingEnv());
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
    // Another merchant per channel under its own Alipay identity, verified by the same Alipay keys: a
    // notification in its name is genuine, but for a payment that is not its own. Stored before the first
    // notification, so the switch's identity index loads them.
    const secrets = sut.running.app.get<SecretBox>(SECRET_BOX);
    const now = new Date();
    for (const channel of ['ams', 'openapi', 'mapi'] as const) {
      const { merchantId, identity } = OTHER[channel];
      const credentials: StoredCredentials = {
        ...demoCredentials(channel),
        ...(channel === 'ams'
          ? { clientId: identity }
          : channel === 'openapi'
            ? { appId: identity }
            : { partner: identity }),
      };
      await sut.running.dataSource.getRepository(MerchantEntity).insert({
        merchantId,
        name: `Other ${channel}`,
        mcc: '5812',
        storeId: `STORE-${merchantId.slice(-3)}`,
        storeName: `Other ${channel}`,
        channel,
        endpoint: SANDBOX_ENDPOINT,
        credentialsSealed: secrets.seal(
          JSON.stringify(credentials),
          sealedIn.merchantCredentials(merchantId),
        ),
        agentTokenSealed: null,
        status: 'active',
        timeZone: 'UTC',
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    }
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  const notifyUrl = (channel: Channel): string =>
    `http://127.0.0.1:${sut.config.notifications.port}/notifications/${channel}`;

  /** POSTs a notification built here with Alipay's keys; answers the switch's HTTP status and reply. */
  async function post(channel: Channel, claim: Claim): Promise<{ status: number; reply: string }> {
    const url = new URL(notifyUrl(channel));
    let headers: Record<string, string>;
    let body: string;
    const major = (claim.amountMinor / 100).toFixed(2);
    if (channel === 'ams') {
      body = JSON.stringify({
        notifyType: 'PAYMENT_RESULT',
        result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
        paymentRequestId: claim.paymentRequestId,
        paymentId: `2026${Date.now()}`,
        paymentAmount: { currency: claim.currency, value: String(claim.amountMinor) },
        paymentCreateTime: new Date().toISOString(),
        paymentTime: new Date().toISOString(),
      });
      const requestTime = new Date().toISOString();
      const signature = rsaSign(
        amsSignContent('POST', url.pathname, claim.identity, requestTime, body),
        loadPrivateKey(sandbox.ams.alipayPrivateKey),
      );
      headers = {
        'content-type': 'application/json; charset=UTF-8',
        'client-id': claim.identity,
        'request-time': requestTime,
        signature: formatAmsSignatureHeader(signature, sandbox.ams.keyVersion),
      };
    } else if (channel === 'openapi') {
      const params: Record<string, string> = {
        notify_time: '2026-12-05 12:00:00',
        notify_type: 'trade_status_sync',
        notify_id: claim.notifyId,
        app_id: claim.identity,
        charset: 'utf-8',
        version: '1.0',
        sign_type: 'RSA2',
        trade_no: `2026${Date.now()}`,
        out_trade_no: claim.paymentRequestId,
        trade_status: 'TRADE_SUCCESS',
        total_amount: major,
        trans_currency: claim.currency,
      };
      params.sign = rsaSign(
        openapiNotifySignContent(params),
        loadPrivateKey(sandbox.openapi.alipayPrivateKey),
      );
      headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      body = new URLSearchParams(params).toString();
    } else {
      const params: Record<string, string> = {
        notify_id: claim.notifyId,
        partner: claim.identity,
        notify_time: '2026-12-05 12:00:00',
        notify_type: 'trade_status_sync',
        trade_status: 'TRADE_SUCCESS',
        partner_trans_id: claim.paymentRequestId,
        out_trade_no: claim.paymentRequestId,
        trade_no: `2026${Date.now()}`,
        trans_amount: major,
        currency: claim.currency,
        trans_currency: claim.currency,
      };
      // The MD5 key is the demo merchants' (the other MAPI merchant was given the same one).
      params.sign = mapiMd5Sign(params, sandbox.mapi.md5Key);
      params.sign_type = 'MD5';
      headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      body = new URLSearchParams(params).toString();
    }
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, reply: await response.text() };
  }

  async function logged(channel: Channel, notifyOrPayment: string) {
    const entries = await sut.running.app.get(NotificationLog).list({ channel });
    return entries.filter((e) => e.notifyId === notifyOrPayment || e.paymentRequestId === notifyOrPayment);
  }

  async function inDoubt(channel: Channel, index: number, amountMinor: number) {
    const { answer, row } = await purchaseInDoubt(
      sut,
      client,
      demoTerminal(channel, 'ascii', index),
      amountMinor,
    );
    const ledger = (await sandboxPayment(sut.sandboxUrl, row.paymentRequestId)) as unknown as {
      amountMinor: number;
      currency: string;
    };
    expect(ledger.amountMinor).toBe(amountMinor);
    const claim = (identity: string, notifyId: string): Claim => ({
      identity,
      notifyId,
      paymentRequestId: row.paymentRequestId,
      amountMinor,
      currency: ledger.currency,
    });
    return { answer, row, claim };
  }

  describe.each(['ams', 'openapi'] as const)('%s', (channel) => {
    it('refuses a genuinely signed notification from another merchant identity, and from an unknown one; the same message in the right name settles', async () => {
      const { answer, row, claim } = await inDoubt(channel, 0, 1300 + (channel === 'ams' ? 1 : 2));

      const other = await post(channel, claim(OTHER[channel].identity, `other${Date.now()}`));
      expect(other.status).toBe(409);
      expect(other.reply).toMatch(REPLIES[channel].fail);
      const unknown = await post(
        channel,
        claim(`${GENUINE[channel].slice(0, -3)}777`, `unknown${Date.now()}`),
      );
      expect(unknown.status).toBe(401);
      expect(unknown.reply).toMatch(REPLIES[channel].fail);
      expect((await paymentRow(sut, { id: row.id }))?.state).toBe('AWAITING_ALIPAY');

      const genuine = await post(channel, claim(GENUINE[channel], `genuine${Date.now()}`));
      expect(genuine.status).toBe(200);
      expect(genuine.reply).toMatch(REPLIES[channel].ok);
      expect((await answer).get(Field.ResponseCode)).toBe('00');
      expect((await paymentRow(sut, { id: row.id }))?.state).toBe('APPROVED');

      const entries = await eventually(async () => {
        const found = await logged(channel, row.paymentRequestId);
        return found.length >= 3 ? found : undefined;
      });
      expect(entries.map((e) => [e.verification, e.outcome]).sort()).toEqual(
        [
          ['unknown-identity', 'refused'],
          ['valid', 'applied'],
          ['valid', 'merchant-mismatch'],
        ].sort(),
      );
    });
  });

  describe('mapi', () => {
    it('asks the gateway with notify_verify: a right MD5 with a notify id Alipay never sent, or in another partner’s name, changes nothing; one it sent settles', async () => {
      const { answer, row, claim } = await inDoubt('mapi', 0, 1303);

      const madeUp = `forged${Date.now()}`;
      const forged = await post('mapi', claim(GENUINE.mapi, madeUp));
      expect(forged).toEqual({ status: 401, reply: 'fail' });
      const otherId = `other${Date.now()}`;
      const other = await post('mapi', claim(OTHER.mapi.identity, otherId));
      expect(other).toEqual({ status: 401, reply: 'fail' });
      expect((await paymentRow(sut, { id: row.id }))?.state).toBe('AWAITING_ALIPAY');
      for (const id of [madeUp, otherId]) {
        const [entry] = await eventually(async () => {
          const found = await logged('mapi', id);
          return found.length > 0 ? found : undefined;
        });
        expect(entry).toMatchObject({ verification: 'notify-verify-failed', outcome: 'refused' });
      }

      // A notify id the gateway did send for this partner (the sandbox's on-demand message, itself refused
      // for its broken signature) makes the same message genuine.
      const issued = await fetch(`${sut.sandboxUrl}/sandbox/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ protocol: 'mapi', id: row.paymentRequestId, kind: 'bad-signature' }),
      });
      expect(issued.status).toBe(202);
      const { notifyId } = (await issued.json()) as { notifyId: string };
      const genuine = await post('mapi', claim(GENUINE.mapi, notifyId));
      expect(genuine).toEqual({ status: 200, reply: 'success' });
      expect((await answer).get(Field.ResponseCode)).toBe('00');
      expect((await paymentRow(sut, { id: row.id }))?.state).toBe('APPROVED');
      const entries = await eventually(async () => {
        const found = (await logged('mapi', notifyId)).filter((e) => e.verification === 'valid');
        return found.length > 0 ? found : undefined;
      });
      expect(entries[0].outcome).toBe('applied');
    });
  });
});
