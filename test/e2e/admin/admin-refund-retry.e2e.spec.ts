/**
 * POST /admin/v1/interventions/{id}/retry on a refund given up on (`refund-unconfirmed`), over real HTTP
 * against the switch on MariaDB and the sandbox over HTTP: the refund is driven again with its own
 * refundRequestId, so a refund Alipay had already made (its answer lost) is learned, never made twice.
 * The give-up itself is real: the sandbox answers every API call HTTP 500 for the whole refund retry window
 * (60 s, fixed), so this suite takes over a minute.
 */
import { createChannel, currencyByNumeric, loadSandboxCredentials } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { DEFAULT_CURRENCY, refund } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { eventually, nextStan, sandboxPayment, setSandboxFaults as setFaults } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { buy } from '../reversals/reversal-helpers';
import { AdminClient, type Answer } from './admin-client';

const ADMIN_KEY = 'bootstrap-key-for-retry-tests-0123456789';
const reason = 'e2e: refund retry';
const REFUND_MINOR = 400;

interface Intervention {
  id: string;
  paymentId?: string;
  paymentRequestId: string;
  reason: string;
  detail: string;
  status: string;
}

describe('retrying a refund-unconfirmed intervention (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let api: AdminClient;
  let pos: PosClient;
  let operator = '';

  const interventions = async (status: string): Promise<Intervention[]> =>
    (await api.call('GET', `/admin/v1/interventions?status=${status}&limit=200`, { key: ADMIN_KEY })).body.items as Intervention[];
  const retry = (id: string, body: object = { reason }): Promise<Answer> => api.call('POST', `/admin/v1/interventions/${id}/retry`, { key: operator, body });

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', { ADMIN_BOOTSTRAP_KEY: ADMIN_KEY, LOG_LEVEL: 'warn' });
    api = new AdminClient(sut.running.httpUrl);
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    operator = (await api.call('POST', '/admin/v1/api-keys', { key: ADMIN_KEY, body: { name: 'operator-key', role: 'operator', reason } })).body.key as string;
  }, 60_000);

  afterAll(async () => {
    await setFaults(sut.sandboxUrl, undefined).catch(() => undefined);
    await pos?.close();
    await sut?.stop();
  });

  it('drives the refund again with its own refundRequestId: open while still unknown, then one refund at Alipay and the entry resolved', async () => {
    const bought = await buy(pos, '000');
    expect(bought.reply.get(Field.ResponseCode)).toBe('00');
    await setFaults(sut.sandboxUrl, { errorRate: 1 });
    const answered = await pos.send(refund({ ...bought.terminal, stan: nextStan(), amountMinor: REFUND_MINOR, originalRrn: bought.reply.get(Field.Rrn)! }));
    expect(answered.get(Field.ResponseCode)).not.toBe('00');

    const entry = await eventually(async () => (await interventions('open')).find((i) => i.reason === 'refund-unconfirmed'), 120_000, 1_000);
    expect(entry.detail).toContain(`refund of ${REFUND_MINOR} (minor units) of payment ${bought.paymentRequestId}`);
    const refundRequestId = entry.paymentRequestId;
    const before = (await api.call('GET', `/admin/v1/transactions/${bought.paymentRequestId}`, { key: ADMIN_KEY })).body;
    expect(before.refunds).toEqual([expect.objectContaining({ refundRequestId, state: 'PENDING', manualIntervention: true })]);
    expect(before.payment).toMatchObject({ refundedMinor: 0, reservedRefundMinor: REFUND_MINOR });

    expect((await retry(entry.id, {})).status).toBe(400);
    const stillUnknown = await retry(entry.id);
    expect(stillUnknown.status).toBe(202);
    expect(stillUnknown.body).toMatchObject({
      outcome: 'still-unknown',
      intervention: { id: entry.id, status: 'open', detail: expect.stringMatching(/retried .* by operator-key: still unknown after attempt \d+$/) },
      refund: { refundRequestId, state: 'PENDING', attempts: before.refunds[0].attempts + 1 },
    });
    expect((await interventions('open')).find((i) => i.id === entry.id)?.detail).toBe(stillUnknown.body.intervention.detail);

    // Alipay makes the refund, but its answer never reaches the switch: the test sends the same request itself.
    await setFaults(sut.sandboxUrl, undefined);
    const sandbox = loadSandboxCredentials();
    const channel = createChannel({ channel: 'ams', baseUrl: sut.sandboxUrl, timeoutMs: 5_000, clientId: sandbox.ams.clientId, merchantPrivateKey: sandbox.ams.merchantPrivateKey, alipayPublicKey: sandbox.ams.alipayPublicKey, keyVersion: sandbox.ams.keyVersion });
    const landed = await channel.refund({
      paymentRequestId: bought.paymentRequestId,
      refundRequestId,
      amount: { amountMinor: REFUND_MINOR, currency: currencyByNumeric(DEFAULT_CURRENCY)!.alpha },
      merchant: { merchantId: bought.terminal.merchantId, merchantName: 'Demo Store AMS', mcc: '5814', storeId: 'S1', storeName: 'Demo', terminalId: bought.terminal.terminalId },
      alipayTransactionId: before.payment.alipayTransactionId,
    });
    expect(landed.kind).toBe('success');

    const refunded = await retry(entry.id);
    expect(refunded.status).toBe(202);
    expect(refunded.body).toMatchObject({ outcome: 'refunded', intervention: { id: entry.id, status: 'resolved' }, refund: { refundRequestId, state: 'SUCCEEDED', manualIntervention: false } });
    const atAlipay = await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId);
    expect(atAlipay?.refundedMinor).toBe(REFUND_MINOR);
    expect((atAlipay as unknown as { refunds: Array<{ refundRequestId: string; amountMinor: number }> }).refunds).toEqual([expect.objectContaining({ refundRequestId, amountMinor: REFUND_MINOR })]);
    const after = (await api.call('GET', `/admin/v1/transactions/${bought.paymentRequestId}`, { key: ADMIN_KEY })).body;
    expect(after.payment).toMatchObject({ refundedMinor: REFUND_MINOR, reservedRefundMinor: 0 });
    expect((await interventions('open')).some((i) => i.id === entry.id)).toBe(false);
    expect((await interventions('resolved')).some((i) => i.id === entry.id)).toBe(true);

    const again = await retry(entry.id);
    expect(again.status).toBe(409);
    expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.refundedMinor).toBe(REFUND_MINOR);

    const audit = (await api.call('GET', `/admin/v1/audit?action=intervention.retry&targetId=${entry.id}`, { key: ADMIN_KEY })).body.items as Array<{ requestId: string; outcome: string }>;
    expect(audit.map((e) => [e.requestId, e.outcome]).sort()).toEqual([[stillUnknown.requestId, 'still-unknown'], [refunded.requestId, 'refunded']].sort());
    expect(audit.find((e) => e.requestId === refunded.requestId)).toMatchObject({
      actor: 'operator-key',
      role: 'operator',
      reason,
      before: { intervention: { status: 'open' }, refund: { state: 'PENDING' } },
      after: { intervention: { status: 'resolved' }, refund: { state: 'SUCCEEDED' } },
    });
  }, 180_000);

  it('answers 409 with a reason to a retry of an entry that has no cancel or refund to drive', async () => {
    await sut.running.dataSource.query(
      "INSERT INTO manual_interventions (payment_request_id, reason, detail, created_at, open_key) VALUES ('recon-diff-1', 'reconciliation', 'ams 2026-01-01 amount: switch 100; Alipay 90', '2026-01-01 00:00:00.000', 'recon-diff-1')",
    );
    const entry = (await interventions('open')).find((i) => i.paymentRequestId === 'recon-diff-1')!;
    const refused = await retry(entry.id);
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/kind reconciliation cannot be retried/);
    expect((await interventions('open')).some((i) => i.id === entry.id)).toBe(true);
  });
});
