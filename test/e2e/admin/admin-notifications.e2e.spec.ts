import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { eventually, nextStan, paymentCode, paymentRequestIdOf } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { notifyingEnv, sendNotification } from '../notifications/notify-helpers';
import { SECRET_BOX } from '../../../src/persistence/persistence.tokens';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';

const KEY = 'admin-notifications-e2e-bootstrap-key-0123456789';
const CLEAR_CODE = paymentCode('000');

/** The admin API's view of what Alipay pushed and of the ISV authorizations (MariaDB, sandbox over HTTP). */
describe('admin API: notifications and ISV tokens', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;

  const api = async (method: string, path: string, body?: object, key: string | undefined = KEY) => {
    const res = await fetch(`${sut.running.httpUrl}/admin/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', await notifyingEnv({ ADMIN_BOOTSTRAP_KEY: KEY }));
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  it('lists notifications with filters and cursor paging, masked, behind a key', async () => {
    const reply = await client.send(
      purchase({
        terminalId: 'TERM0001',
        merchantId: 'MERCHANT0000001',
        stan: nextStan(),
        amountMinor: 700,
        paymentCode: CLEAR_CODE,
      }),
    );
    expect(reply.get(Field.ResponseCode)).toBe('00');
    const id = paymentRequestIdOf(reply);
    await sendNotification(sut.sandboxUrl, 'ams', id, 'valid');
    await sendNotification(sut.sandboxUrl, 'ams', id, 'bad-signature');

    const all = await eventually(async () => {
      const page = await api('GET', `/notifications?channel=ams&paymentRequestId=${id}`);
      return (page.body.items as unknown[]).length >= 2 ? page : undefined;
    });
    const items = all.body.items as Array<{
      verification: string;
      paymentRequestId: string;
      replyStatus: number;
    }>;
    expect(items.every((n) => n.paymentRequestId === id)).toBe(true);
    expect(items.some((n) => n.verification === 'valid' && n.replyStatus === 200)).toBe(true);
    expect(items.some((n) => n.verification !== 'valid' && n.replyStatus >= 400)).toBe(true);

    const first = await api('GET', `/notifications?paymentRequestId=${id}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(
      'GET',
      `/notifications?paymentRequestId=${id}&limit=1&cursor=${String(first.body.nextCursor)}`,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items).not.toEqual(first.body.items);

    // By what the switch did: the refused bad signature only; then the valid ones only (applied or, when the
    // pay answer was recorded first, ignored: whichever the switch logged).
    const refused = await api('GET', `/notifications?paymentRequestId=${id}&outcome=refused`);
    const refusedItems = refused.body.items as Array<{ outcome: string; verification: string }>;
    expect(refusedItems.length).toBeGreaterThan(0);
    expect(refusedItems.every((n) => n.outcome === 'refused' && n.verification === 'bad-signature')).toBe(
      true,
    );
    const takenIn = items.find((n) => n.verification === 'valid') as unknown as { outcome: string };
    expect(['applied', 'ignored']).toContain(takenIn.outcome);
    const same = await api(
      'GET',
      `/notifications?paymentRequestId=${id}&outcome=${takenIn.outcome}&channel=ams`,
    );
    const sameItems = same.body.items as Array<{
      outcome: string;
      verification: string;
      replyStatus: number;
    }>;
    expect(sameItems.length).toBeGreaterThan(0);
    expect(
      sameItems.every(
        (n) => n.outcome === takenIn.outcome && n.verification === 'valid' && n.replyStatus === 200,
      ),
    ).toBe(true);
    expect((await api('GET', `/notifications?paymentRequestId=${id}&channel=mapi`)).body.items).toEqual([]);
    expect((await api('GET', '/notifications?channel=elsewhere')).status).toBe(400);

    expect(all.text).not.toContain(CLEAR_CODE);
    expect((await api('GET', '/notifications', undefined, '')).status).toBe(401);
    // The admin API is not served on the notification listener (which Alipay, i.e. the internet, reaches).
    const onNotifyPort = await fetch(
      `http://127.0.0.1:${sut.config.notifications.port}/admin/v1/notifications`,
      { headers: { authorization: `Bearer ${KEY}` } },
    );
    expect(onNotifyPort.status).toBe(404);
    expect(await onNotifyPort.text()).not.toContain('items');
  });

  it('shows a merchant’s ISV authorization without its token, and refreshes it on demand (admin, audited)', async () => {
    const notifyUrl = `http://127.0.0.1:${sut.config.notifications.port}/notifications/openapi`;
    expect((await api('GET', '/merchants/MERCHANT0000004/isv-token')).status).toBe(404);
    const authorized = await fetch(`${sut.sandboxUrl}/sandbox/isv/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        protocol: 'openapi',
        merchant: '2021000000000004',
        notifyUrl,
        tradeMerchant: 'STORE-004',
      }),
    });
    expect(authorized.status).toBe(202);
    const status = await eventually(async () => {
      const res = await api('GET', '/merchants/MERCHANT0000004/isv-token');
      return res.status === 200 ? res : undefined;
    });
    expect(status.body).toMatchObject({ channel: 'openapi', status: 'valid', hasRefreshToken: true });

    const tokens = await sut.running.dataSource.query<Array<{ agent_token_sealed: string }>>(
      'SELECT agent_token_sealed FROM merchants WHERE merchant_id = ?',
      ['MERCHANT0000004'],
    );
    expect(tokens[0].agent_token_sealed).toBeTruthy();

    expect((await api('POST', '/merchants/MERCHANT0000004/isv-token/refresh', {})).status).toBe(400);
    const refreshed = await api('POST', '/merchants/MERCHANT0000004/isv-token/refresh', {
      reason: 'token check',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ refreshed: true, authorization: { status: 'valid' } });
    expect(status.text + refreshed.text).not.toMatch(/token"\s*:\s*"[^"]/i);
    const audit = await sut.running.dataSource.query<unknown[]>(
      "SELECT action, reason FROM admin_audit WHERE action = 'merchant.isv-token.refresh'",
    );
    expect(audit).toEqual([{ action: 'merchant.isv-token.refresh', reason: 'token check' }]);

    // Neither the token before the refresh nor the one after is answered by any of these, nor by the
    // merchant's own view, nor kept in the audit trail or the logs.
    const sealed = await sut.running.dataSource.query<Array<{ agent_token_sealed: string }>>(
      'SELECT agent_token_sealed FROM merchants WHERE merchant_id = ?',
      ['MERCHANT0000004'],
    );
    const box = sut.running.app.get<SecretBox>(SECRET_BOX);
    const open = (value: string) => box.openText(value, sealedIn.merchantAgentToken('MERCHANT0000004'));
    const [before, after] = [open(tokens[0].agent_token_sealed), open(sealed[0].agent_token_sealed)];
    expect(after).not.toBe(before);
    expect(sealed[0].agent_token_sealed).not.toContain(after);
    const merchant = await api('GET', '/merchants/MERCHANT0000004');
    expect(merchant.status).toBe(200);
    const auditRows = JSON.stringify(await sut.running.dataSource.query('SELECT * FROM admin_audit'));
    const answered = [status.text, refreshed.text, merchant.text, auditRows, sut.logs.join('\n')].join('\n');
    for (const token of [before, after]) expect(answered).not.toContain(token);
  });
});
