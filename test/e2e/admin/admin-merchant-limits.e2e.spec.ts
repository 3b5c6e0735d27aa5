/**
 * A merchant's own limits, set over the admin API (real HTTP) and kept by the switch at a real terminal
 * socket against the sandbox over HTTP: a purchase above the merchant's maximum gets 61 and never reaches
 * Alipay; a refund past the merchant's daily limits gets 61, the merchant's limit replacing the global one
 * of its kind, and null handing it back to the global setting. On MariaDB and on the embedded SQLite.
 */
import { loadSandboxCredentials } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { purchase, refund } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from './admin-client';

const ADMIN_KEY = 'bootstrap-key-for-limit-tests-0123456789';
const reason = 'e2e: merchant limits';
const NO_LIMITS = { purchaseMaxMinor: null, refundDailyMaxMinor: null, refundDailyMaxCount: null };

describe.each([['MariaDB', 'mysql'] as const, ['embedded SQLite', 'sqlite'] as const])('merchant limits on %s', (_label, database) => {
  let sut: SwitchUnderTest;
  let api: AdminClient;
  let pos: PosClient;
  const ams = demoTerminal('ams', 'ascii', 0);
  const openapi = demoTerminal('openapi', 'ascii', 0);

  const patch = (merchantId: string, body: object) => api.call('PATCH', `/admin/v1/merchants/${merchantId}`, { key: ADMIN_KEY, body: { ...body, reason } });
  const merchant = async (merchantId: string): Promise<{ limits: object }> => (await api.call('GET', `/admin/v1/merchants/${merchantId}`, { key: ADMIN_KEY })).body as { limits: object };
  const buy = async (terminal: { terminalId: string; merchantId: string }, amountMinor: number, code = paymentCode('000')) =>
    pos.send(purchase({ ...terminal, stan: nextStan(), amountMinor, paymentCode: code }));
  const refunded = async (terminal: { terminalId: string; merchantId: string }, rrn: string, amountMinor: number) =>
    (await pos.send(refund({ ...terminal, stan: nextStan(), amountMinor, originalRrn: rrn }))).get(Field.ResponseCode);
  const atSandbox = async (code: string): Promise<unknown[]> => (await fetch(`${sut.sandboxUrl}/sandbox/payments?paymentCode=${code}`)).json() as Promise<unknown[]>;

  beforeAll(async () => {
    // Generous timers: a refund answered 91 on a loaded machine would keep its share and blur the counts.
    sut = await startTestSwitch(database, {
      ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
      REFUND_DAILY_LIMIT_COUNT: '2',
      MERCHANT_TIMEOUT_MS: '15000',
      GATEWAY_TIMEOUT_MS: '20000',
      ALIPAY_CALL_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
    });
    api = new AdminClient(sut.running.httpUrl);
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await pos?.close();
    await sut?.stop();
  });

  it('shows, sets and clears a merchant’s limits, refuses bad values with the field named, and audits before and after', async () => {
    expect((await merchant(ams.merchantId)).limits).toEqual(NO_LIMITS);

    const bad: Array<[object, string]> = [
      [{ purchaseMaxMinor: -1 }, 'limits.purchaseMaxMinor'],
      [{ purchaseMaxMinor: 1.5 }, 'limits.purchaseMaxMinor'],
      [{ refundDailyMaxMinor: '100' }, 'limits.refundDailyMaxMinor'],
      [{ refundDailyMaxCount: 2 ** 53 }, 'limits.refundDailyMaxCount'],
      [{ perWeek: 3 }, 'limits.perWeek'],
    ];
    for (const [limits, field] of bad) {
      const refused = await patch(ams.merchantId, { limits });
      expect([limits, refused.status]).toEqual([limits, 400]);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.detail).toContain(field);
      expect(refused.body.errors.join(' ')).toContain(field);
    }
    expect((await patch(ams.merchantId, { limits: 5000 })).status).toBe(400);
    expect((await merchant(ams.merchantId)).limits).toEqual(NO_LIMITS);

    const set = await patch(ams.merchantId, { limits: { purchaseMaxMinor: 5000, refundDailyMaxCount: 1 } });
    expect(set.status).toBe(200);
    expect(set.body.limits).toEqual({ purchaseMaxMinor: 5000, refundDailyMaxMinor: null, refundDailyMaxCount: 1 });
    // Only the limits named change; null clears one.
    expect((await patch(ams.merchantId, { limits: { refundDailyMaxMinor: 0 } })).body.limits).toEqual({ purchaseMaxMinor: 5000, refundDailyMaxMinor: 0, refundDailyMaxCount: 1 });
    expect((await patch(ams.merchantId, { limits: { refundDailyMaxMinor: null } })).body.limits).toEqual({ purchaseMaxMinor: 5000, refundDailyMaxMinor: null, refundDailyMaxCount: 1 });
    expect((await merchant(ams.merchantId)).limits).toEqual({ purchaseMaxMinor: 5000, refundDailyMaxMinor: null, refundDailyMaxCount: 1 });

    const sandbox = loadSandboxCredentials();
    const fresh = {
      merchantId: 'MERCHANT0000097',
      name: 'Limited Shop',
      mcc: '5411',
      storeId: 'S-97',
      storeName: 'Limited Shop Main',
      endpoint: 'sandbox',
      credentials: { channel: 'ams', clientId: sandbox.ams.clientId, merchantPrivateKey: sandbox.ams.merchantPrivateKey, alipayPublicKey: sandbox.ams.alipayPublicKey },
      reason,
    };
    expect((await api.call('POST', '/admin/v1/merchants', { key: ADMIN_KEY, body: { ...fresh, limits: { purchaseMaxMinor: -5 } } })).status).toBe(400);
    expect((await api.call('GET', `/admin/v1/merchants/${fresh.merchantId}`, { key: ADMIN_KEY })).status).toBe(404);
    const created = await api.call('POST', '/admin/v1/merchants', { key: ADMIN_KEY, body: { ...fresh, limits: { purchaseMaxMinor: 100_000, refundDailyMaxMinor: 20_000 } } });
    expect(created.status).toBe(201);
    expect(created.body.limits).toEqual({ purchaseMaxMinor: 100_000, refundDailyMaxMinor: 20_000, refundDailyMaxCount: null });

    const audit = (await api.call('GET', `/admin/v1/audit?action=merchant.update&targetId=${ams.merchantId}`, { key: ADMIN_KEY })).body.items as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const first = audit.find((e) => e.requestId === set.requestId);
    expect(first).toMatchObject({ actor: 'bootstrap', role: 'admin', reason, before: { limits: NO_LIMITS }, after: { limits: { purchaseMaxMinor: 5000, refundDailyMaxMinor: null, refundDailyMaxCount: 1 } } });
    expect(audit).toHaveLength(3);
    const creation = (await api.call('GET', `/admin/v1/audit?action=merchant.create&targetId=${fresh.merchantId}`, { key: ADMIN_KEY })).body.items;
    expect(creation).toEqual([expect.objectContaining({ after: expect.objectContaining({ limits: { purchaseMaxMinor: 100_000, refundDailyMaxMinor: 20_000, refundDailyMaxCount: null } }) })]);
  });

  it('answers 61 to a purchase above the merchant’s maximum, and Alipay never hears of it', async () => {
    const over = paymentCode('000');
    const refused = await buy(ams, 5001, over);
    expect(refused.get(Field.ResponseCode)).toBe('61');
    expect(await atSandbox(over)).toEqual([]);
    const stored = await api.call('GET', `/admin/v1/transactions?terminalId=${ams.terminalId}&stan=${refused.get(Field.Stan)}`, { key: ADMIN_KEY });
    expect(stored.body.items).toEqual([]);

    const atMax = paymentCode('000');
    expect((await buy(ams, 5000, atMax)).get(Field.ResponseCode)).toBe('00');
    expect(await atSandbox(atMax)).toHaveLength(1);
    // Another merchant has no maximum of its own.
    expect((await buy(openapi, 5001)).get(Field.ResponseCode)).toBe('00');
  });

  it('answers 61 to a refund past the merchant’s own daily limits, which replace the global one of their kind', async () => {
    // ams: its own count 1 (the global count is 2).
    const paid = await buy(ams, 3000);
    expect(paid.get(Field.ResponseCode)).toBe('00');
    expect(await refunded(ams, paid.get(Field.Rrn)!, 100)).toBe('00');
    expect(await refunded(ams, paid.get(Field.Rrn)!, 100)).toBe('61');
    expect((await sandboxPayment(sut.sandboxUrl, paid.get(Field.ReservedPrivate63)!))?.refundedMinor).toBe(100);

    // openapi: its own amount 700 and count 5: a third and fourth refund pass the global count of 2.
    expect((await patch(openapi.merchantId, { limits: { refundDailyMaxMinor: 700, refundDailyMaxCount: 5 } })).status).toBe(200);
    const other = await buy(openapi, 2000);
    const rrn = other.get(Field.Rrn)!;
    expect(await refunded(openapi, rrn, 300)).toBe('00');
    expect(await refunded(openapi, rrn, 500)).toBe('61');
    expect(await refunded(openapi, rrn, 200)).toBe('00');
    expect(await refunded(openapi, rrn, 100)).toBe('00');
    // Its count cleared: the global count of 2 applies again, and three were made today.
    expect((await patch(openapi.merchantId, { limits: { refundDailyMaxCount: null } })).body.limits).toEqual({ purchaseMaxMinor: null, refundDailyMaxMinor: 700, refundDailyMaxCount: null });
    expect(await refunded(openapi, rrn, 50)).toBe('61');
    expect((await sandboxPayment(sut.sandboxUrl, other.get(Field.ReservedPrivate63)!))?.refundedMinor).toBe(600);
  });
});
